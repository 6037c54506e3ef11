import { kafkaClientConfig } from '@sluice/engine';
import { EnvError } from './env.js';

/** `SLUICE_KAFKA_SASL_JAAS_CONFIG` → `kafka.sasl.jaas.config`: Spark's option names, Confluent-style env names. */
export const KAFKA_ENV_PREFIX = 'SLUICE_KAFKA_';

/** The env variable that carries one `kafka.*` option (for messages and docs). */
export function kafkaEnvName(option: string): string {
  return `${KAFKA_ENV_PREFIX}${option
    .replace(/^kafka\./, '')
    .replaceAll('.', '_')
    .toUpperCase()}`;
}

/**
 * The `kafka.*` client options of the server's own Kafka clients (the topic routes and live tails),
 * from `SLUICE_KAFKA_*` variables: security (`security.protocol`, `sasl.mechanism`,
 * `sasl.jaas.config`, PEM `ssl.*` stores), `client.id`, timeouts. They are checked here, with the
 * engine's own mapping, so a typo stops the server at start instead of failing every topic route.
 */
export function readKafkaClientOptions(
  source: NodeJS.ProcessEnv,
  brokers: readonly string[] | undefined,
): Readonly<Record<string, string>> {
  const options: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (!name.startsWith(KAFKA_ENV_PREFIX) || value === undefined) continue;
    const option = `kafka.${name.slice(KAFKA_ENV_PREFIX.length).toLowerCase().replaceAll('_', '.')}`;
    if (option === 'kafka.bootstrap.servers') {
      throw new EnvError(`${name} is not read: set the bootstrap servers with KAFKA_BROKERS`);
    }
    options[option] = value;
  }
  if (Object.keys(options).length === 0) return options;
  const protocol = (options['kafka.security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (brokers === undefined && protocol !== 'PLAINTEXT') {
    throw new EnvError(
      `${kafkaEnvName('kafka.security.protocol')}=${protocol} needs KAFKA_BROKERS: the embedded broker speaks PLAINTEXT only`,
    );
  }
  try {
    kafkaClientConfig(
      { ...options, 'kafka.bootstrap.servers': brokers?.join(',') ?? '127.0.0.1:9092' },
      'consumer',
    );
  } catch (error) {
    throw new EnvError(`${KAFKA_ENV_PREFIX}* options: ${(error as Error).message}`);
  }
  return options;
}
