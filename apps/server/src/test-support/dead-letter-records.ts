import { Kafka, logLevel } from 'kafkajs';
import { DeadLetterHeader } from '../dead-letters/contract.js';

/** The context of one dead letter, as a query puts it in the `__sluice.errors.*` headers. */
export interface DeadLetterContext {
  topic: string;
  partition: number;
  offset: number;
  queryId: string;
  queryName: string;
  runId: string;
  batchId: number;
  stage: 'parse' | 'eval' | 'sink';
  exceptionClass: string;
  message: string;
  stack: string;
  /** Epoch milliseconds. */
  failedAt: number;
}

export interface DeadLetterInput {
  key: string | Buffer | null;
  value: string | Buffer | null;
  /** The original record's own headers, kept next to the context ones. */
  headers?: Record<string, string | Buffer>;
  /** The original record's timestamp (epoch ms). */
  timestamp: number;
  context: DeadLetterContext;
}

export function contextHeaders(c: DeadLetterContext): Record<string, string> {
  return {
    [DeadLetterHeader.topic]: c.topic,
    [DeadLetterHeader.partition]: String(c.partition),
    [DeadLetterHeader.offset]: String(c.offset),
    [DeadLetterHeader.queryId]: c.queryId,
    [DeadLetterHeader.queryName]: c.queryName,
    [DeadLetterHeader.runId]: c.runId,
    [DeadLetterHeader.batchId]: String(c.batchId),
    [DeadLetterHeader.stage]: c.stage,
    [DeadLetterHeader.exceptionClass]: c.exceptionClass,
    [DeadLetterHeader.exceptionMessage]: c.message,
    [DeadLetterHeader.exceptionStacktrace]: c.stack,
    [DeadLetterHeader.timestamp]: String(c.failedAt),
  };
}

/**
 * Produces dead-letter records to `topic` over TCP as a query does: original key, value, headers and
 * timestamp plus the context headers. Answers where each landed.
 */
export async function produceDeadLetters(
  bootstrap: readonly string[],
  topic: string,
  records: DeadLetterInput[],
  partition = 0,
): Promise<{ partition: number; offset: number }[]> {
  const kafka = new Kafka({ brokers: [...bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: Math.max(1, partition + 1) }] });
    }
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({
        partition,
        key: r.key,
        value: r.value,
        timestamp: String(r.timestamp),
        headers: { ...r.headers, ...contextHeaders(r.context) },
      })),
    });
    const base = Number(meta?.baseOffset);
    return records.map((_, i) => ({ partition, offset: base + i }));
  } finally {
    await producer.disconnect();
  }
}
