import { resolve } from 'node:path';
import { readKafkaClientOptions } from './kafka-env.js';

/** Every environment variable the server reads, validated in one place (nowhere else reads process.env). */
export interface ServerEnv {
  readonly port: number;
  readonly host: string;
  /** Real Postgres when set; otherwise PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Comma-separated bootstrap servers of a real Kafka cluster; unset starts the embedded broker. */
  readonly kafkaBrokers: readonly string[] | undefined;
  /** `kafka.*` options (security, client id, timeouts) of the server's own Kafka clients, from `SLUICE_KAFKA_*`. */
  readonly kafkaClientOptions: Readonly<Record<string, string>>;
  /** Port of the embedded broker (0 = any free port). */
  readonly embeddedBrokerPort: number;
  /** When set, REST and socket.io require `Authorization: Bearer <token>`. */
  readonly apiToken: string | undefined;
  readonly logLevel: string;
  /** Running queries and previews at once (`SLUICE_MAX_ACTIVE_QUERIES`); more answer 429. */
  readonly maxActiveQueries: number;
  /** Progress rows kept per query in Postgres (`SLUICE_PROGRESS_RETENTION`), older ones deleted. */
  readonly progressRetention: number;
  /** Rows kept per memory-sink table (`SLUICE_MEMORY_TABLE_ROWS`), oldest dropped first. */
  readonly memoryTableRows: number;
  /** Regex over topic names the dead-letter archiver reads (`SLUICE_DEAD_LETTER_TOPICS`). */
  readonly deadLetterTopics: string;
  /** Dead letters older than this are deleted (`SLUICE_DEAD_LETTER_RETENTION_DAYS`, in days). */
  readonly deadLetterRetentionMs: number;
}

/** Defaults of the query limits, shared by `readEnv` and `buildApp` callers that leave them out. */
export const QUERY_LIMIT_DEFAULTS = {
  maxActiveQueries: 50,
  progressRetention: 10_000,
  memoryTableRows: 10_000,
} as const;

/** Defaults of the dead-letter settings. */
export const DEAD_LETTER_DEFAULTS = {
  topics: '.*\\.dlq',
  retentionDays: 30,
} as const;

export class EnvError extends Error {}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EnvError(`${name} must be a port number between 0 and 65535, got '${raw}'`);
  }
  return port;
}

function parsePositiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new EnvError(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const logLevel = source.LOG_LEVEL ?? 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(logLevel))
    throw new EnvError(`LOG_LEVEL must be one of ${levels.join(', ')}, got '${logLevel}'`);
  const brokers = source.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return {
    port: parsePort('PORT', source.PORT, 3000),
    // Loopback unless told otherwise: the embedded defaults run with no token, so the API and the
    // dashboard must not be reachable from the network by accident (HOST=0.0.0.0 exposes them).
    host: source.HOST ?? '127.0.0.1',
    databaseUrl: source.DATABASE_URL || undefined,
    dataDir: resolve(source.SLUICE_DATA_DIR ?? 'data'),
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : undefined,
    kafkaClientOptions: readKafkaClientOptions(source, brokers && brokers.length > 0 ? brokers : undefined),
    embeddedBrokerPort: parsePort('SLUICE_BROKER_PORT', source.SLUICE_BROKER_PORT, 9092),
    apiToken: source.SLUICE_API_TOKEN || undefined,
    logLevel,
    maxActiveQueries: parsePositiveInt(
      'SLUICE_MAX_ACTIVE_QUERIES',
      source.SLUICE_MAX_ACTIVE_QUERIES,
      QUERY_LIMIT_DEFAULTS.maxActiveQueries,
    ),
    progressRetention: parsePositiveInt(
      'SLUICE_PROGRESS_RETENTION',
      source.SLUICE_PROGRESS_RETENTION,
      QUERY_LIMIT_DEFAULTS.progressRetention,
    ),
    memoryTableRows: parsePositiveInt(
      'SLUICE_MEMORY_TABLE_ROWS',
      source.SLUICE_MEMORY_TABLE_ROWS,
      QUERY_LIMIT_DEFAULTS.memoryTableRows,
    ),
    deadLetterTopics: parsePattern(
      'SLUICE_DEAD_LETTER_TOPICS',
      source.SLUICE_DEAD_LETTER_TOPICS,
      DEAD_LETTER_DEFAULTS.topics,
    ),
    deadLetterRetentionMs:
      parsePositiveInt(
        'SLUICE_DEAD_LETTER_RETENTION_DAYS',
        source.SLUICE_DEAD_LETTER_RETENTION_DAYS,
        DEAD_LETTER_DEFAULTS.retentionDays,
      ) * 86_400_000,
  };
}

function parsePattern(name: string, raw: string | undefined, fallback: string): string {
  if (raw === undefined || raw === '') return fallback;
  try {
    new RegExp(raw);
  } catch (error) {
    throw new EnvError(`${name} must be a regular expression: ${(error as Error).message}`);
  }
  return raw;
}
