/**
 * Dead letters: a record a query cannot process never stops the query and is never dropped silently
 * (unless asked). It goes to the query's dead-letter topic with its original key, value, headers and
 * timestamp, plus `__sluice.errors.*` headers that say where it came from and why (the pattern of Kafka
 * Connect's `__connect.errors.*`). The contract of those headers is in docs/dead-letters.md.
 *
 * Policy (writeStream options): `onError` = `deadletter` (the default when `deadLetterTopic` is set),
 * `fail` (Spark's behaviour and the default otherwise: the query fails with the record's error) or
 * `drop` (counted in progress); `deadLetterTopic` defaults to `<queryName>.dlq` (`<queryId>.dlq` for
 * an unnamed query). Dead letters are written, and acknowledged by every in-sync replica, before the
 * batch commits, so a crash never loses one; a batch re-run after a crash writes them again (at least
 * once, like Spark's Kafka sink).
 */
import type { Admin, Kafka, Producer } from 'kafkajs';
import { AnalysisError } from '../errors.js';
import { kafkaClient } from '../sources/kafka/kafka-source.js';
import { getOption } from '../sources/source.js';

export type FailureStage = 'parse' | 'eval' | 'sink';

/** One record that could not be processed. */
export interface DeadLetter {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
  /** The record's timestamp (epoch ms). */
  readonly timestamp: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly stage: FailureStage;
  readonly error: Error;
}

/** What a source hands over after `getBatch`: its dead letters and the Kafka cluster they came from. */
export interface SourceDeadLetters {
  readonly letters: readonly DeadLetter[];
  /** The source's `kafka.*` options: the dead-letter topic lives on the same cluster. */
  readonly kafkaOptions: Readonly<Record<string, string>>;
}

export type OnError = 'deadletter' | 'fail' | 'drop';

export interface DeadLetterPolicy {
  readonly onError: OnError;
  readonly topic: string;
}

/** The policy of a query from its writeStream options. */
export function deadLetterPolicy(
  options: Readonly<Record<string, string>>,
  queryName: string | null,
  queryId: string,
): DeadLetterPolicy {
  const topicOption = getOption(options, 'deadLetterTopic')?.trim();
  const raw = getOption(options, 'onError')?.trim().toLowerCase();
  if (raw !== undefined && raw !== 'deadletter' && raw !== 'fail' && raw !== 'drop') {
    throw new AnalysisError(
      'INVALID_OPTION',
      `Invalid value '${raw}' for option 'onError': expected 'deadletter', 'fail' or 'drop'.`,
    );
  }
  const onError: OnError = (raw as OnError | undefined) ?? (topicOption ? 'deadletter' : 'fail');
  const topic = topicOption || `${queryName ?? queryId}.dlq`;
  if (onError === 'deadletter' && !/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    throw new AnalysisError(
      'INVALID_OPTION',
      `Invalid dead-letter topic name '${topic}': a Kafka topic name has at most 249 characters from [a-zA-Z0-9._-].`,
    );
  }
  return { onError, topic };
}

/** The `__sluice.errors.*` header names. */
export const DEAD_LETTER_HEADERS = {
  topic: '__sluice.errors.topic',
  partition: '__sluice.errors.partition',
  offset: '__sluice.errors.offset',
  queryId: '__sluice.errors.query.id',
  queryName: '__sluice.errors.query.name',
  runId: '__sluice.errors.run.id',
  batchId: '__sluice.errors.batch.id',
  stage: '__sluice.errors.stage',
  exceptionClass: '__sluice.errors.exception.class.name',
  exceptionMessage: '__sluice.errors.exception.message',
  exceptionStacktrace: '__sluice.errors.exception.stacktrace',
  timestamp: '__sluice.errors.timestamp',
} as const;

export interface DeadLetterContext {
  readonly queryId: string;
  readonly queryName: string | null;
  readonly runId: string;
  readonly batchId: number;
}

/** The error's class as the headers name it: Sluice's error class when it has one, else its JS name. */
function exceptionClass(e: Error): string {
  const cls = (e as { errorClass?: unknown }).errorClass;
  return typeof cls === 'string' ? cls : e.name;
}

/** The Kafka message of a dead letter: the original record and the context headers. */
export function deadLetterMessage(
  l: DeadLetter,
  ctx: DeadLetterContext,
  now: number,
): {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers: Record<string, Buffer | string | (Buffer | string)[]>;
} {
  const headers: Record<string, Buffer | string | (Buffer | string)[]> = {};
  for (const h of l.headers) {
    const v = h.value ?? '';
    const prev = headers[h.key];
    headers[h.key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const context: Record<string, string> = {
    [DEAD_LETTER_HEADERS.topic]: l.topic,
    [DEAD_LETTER_HEADERS.partition]: String(l.partition),
    [DEAD_LETTER_HEADERS.offset]: String(l.offset),
    [DEAD_LETTER_HEADERS.queryId]: ctx.queryId,
    [DEAD_LETTER_HEADERS.queryName]: ctx.queryName ?? '',
    [DEAD_LETTER_HEADERS.runId]: ctx.runId,
    [DEAD_LETTER_HEADERS.batchId]: String(ctx.batchId),
    [DEAD_LETTER_HEADERS.stage]: l.stage,
    [DEAD_LETTER_HEADERS.exceptionClass]: exceptionClass(l.error),
    [DEAD_LETTER_HEADERS.exceptionMessage]: l.error.message,
    [DEAD_LETTER_HEADERS.exceptionStacktrace]: (l.error.stack ?? l.error.message).slice(0, 8192),
    [DEAD_LETTER_HEADERS.timestamp]: String(now),
  };
  Object.assign(headers, context);
  return { key: l.key, value: l.value, timestamp: String(l.timestamp), headers };
}

/** Writes dead letters to a topic on a source's cluster (creating the topic when it is missing). */
export class DeadLetterWriter {
  private producer: Producer | undefined;
  private readonly ensured = new Set<string>();

  constructor(private readonly kafka: Kafka) {}

  /** A writer to the cluster a source's `kafka.*` options name. */
  static forKafkaOptions(options: Readonly<Record<string, string>>): DeadLetterWriter {
    return new DeadLetterWriter(kafkaClient(options, 'producer'));
  }

  async write(topic: string, letters: readonly DeadLetter[], ctx: DeadLetterContext): Promise<void> {
    if (letters.length === 0) return;
    if (!this.ensured.has(topic)) {
      const admin: Admin = this.kafka.admin();
      await admin.connect();
      try {
        const existing = await admin.listTopics();
        if (!existing.includes(topic)) {
          await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        }
      } finally {
        await admin.disconnect();
      }
      this.ensured.add(topic);
    }
    if (!this.producer) {
      const p = this.kafka.producer();
      await p.connect();
      this.producer = p;
    }
    const now = Date.now();
    await this.producer.send({
      topic,
      acks: -1,
      messages: letters.map((l) => deadLetterMessage(l, ctx, now)),
    });
  }

  async stop(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p) await p.disconnect();
  }
}
