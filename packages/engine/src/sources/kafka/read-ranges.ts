import type { Kafka } from 'kafkajs';
import { KafkaFetcher } from './kafka-fetcher.js';

/** One record read by `readKafkaRanges`. */
export interface KafkaRecord {
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch (CreateTime or LogAppendTime, as the batch says). */
  readonly timestampMs: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** In record order; a name may repeat. */
  readonly headers: readonly (readonly [string, Buffer | null])[];
}

/** `readKafkaRanges` did not get every record within its time. */
export class KafkaReadTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaReadTimeoutError';
  }
}

/** The offsets [from, until) of one partition. */
export interface KafkaOffsetRange {
  readonly partition: number;
  readonly from: number;
  readonly until: number;
}

/**
 * The records of fixed offset ranges of one topic, read the way the Kafka source reads them (its
 * own Fetch requests, no consumer group, CRCs checked): for tools such as the server's message
 * browser, which must not leave groups on a user's cluster nor wait for a group to form. Resolves
 * with each range's records in offset order (transaction markers and other control records left
 * out, aborted records included, as `read_uncommitted`); rejects when `timeoutMs` passes first or a
 * partition cannot be read.
 */
export async function readKafkaRanges(
  kafka: Kafka,
  topic: string,
  ranges: readonly KafkaOffsetRange[],
  timeoutMs: number,
): Promise<KafkaRecord[][]> {
  const fetcher = new KafkaFetcher({
    kafka,
    includeHeaders: true,
    readUncommitted: true,
    checkCrcs: true,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: undefined,
    minBytes: undefined,
    maxBufferedRows: Math.max(1000, ...ranges.map((r) => r.until - r.from)),
  });
  const reader = fetcher.addReader();
  const deadline = Date.now() + timeoutMs;
  try {
    const rows = await fetcher
      .fetch(
        reader,
        ranges.map((r) => ({ topic, ...r })),
        deadline,
        async () => {},
      )
      .catch((e: unknown) => {
        if (Date.now() > deadline) throw new KafkaReadTimeoutError((e as Error).message);
        throw e;
      });
    return rows.map((part) =>
      part.map((row) => ({
        partition: row[3] as number,
        offset: row[4] as number,
        timestampMs: (row[5] as number) / 1000,
        key: row[0] as Buffer | null,
        value: row[1] as Buffer | null,
        headers: row[7] as [string, Buffer | null][],
      })),
    );
  } finally {
    await fetcher.removeReader(reader);
  }
}
