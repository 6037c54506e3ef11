/**
 * Kafka records read outside a query, the way the Kafka source reads them (its own Fetch requests on
 * assigned partitions, batch CRCs checked, no consumer group): for tools such as the server's message
 * browser and live tail, which must not leave groups on a user's cluster nor wait for one to form.
 * Records come as `read_uncommitted` reads them (aborted records included, control records left out).
 */
import type { Kafka } from 'kafkajs';
import type { Row } from '../../types/data-type.js';
import { KafkaFetcher } from './kafka-fetcher.js';

/** One record read by `readKafkaRanges` or `followKafkaTopic`. */
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

function fetcherFor(kafka: Kafka, maxBufferedRows: number): KafkaFetcher {
  return new KafkaFetcher({
    kafka,
    includeHeaders: true,
    readUncommitted: true,
    checkCrcs: true,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: undefined,
    minBytes: undefined,
    maxBufferedRows,
  });
}

function recordOf(row: Row): KafkaRecord {
  return {
    partition: row[3] as number,
    offset: row[4] as number,
    timestampMs: (row[5] as number) / 1000,
    key: row[0] as Buffer | null,
    value: row[1] as Buffer | null,
    headers: row[7] as [string, Buffer | null][],
  };
}

/**
 * The records of fixed offset ranges of one topic, each range's in offset order; rejects with
 * `KafkaReadTimeoutError` when `timeoutMs` passes first, or with the error of a partition that
 * cannot be read.
 */
export async function readKafkaRanges(
  kafka: Kafka,
  topic: string,
  ranges: readonly KafkaOffsetRange[],
  timeoutMs: number,
): Promise<KafkaRecord[][]> {
  const fetcher = fetcherFor(kafka, Math.max(1000, ...ranges.map((r) => r.until - r.from)));
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
    return rows.map((part) => part.map(recordOf));
  } finally {
    await fetcher.removeReader(reader);
  }
}

/** A running `followKafkaTopic`. */
export interface KafkaTopicFollower {
  /** Also follows `partition` from `offset` (a partition added to the topic); no-op if followed. */
  follow(partition: number, offset: number): void;
  stop(): Promise<void>;
}

/**
 * Follows partitions of a topic from the given offsets: `onRecords` gets each batch of new records
 * as they are fetched (each partition's in offset order), `onError` a partition's failure.
 */
export function followKafkaTopic(
  kafka: Kafka,
  topic: string,
  starts: readonly { readonly partition: number; readonly offset: number }[],
  onRecords: (records: KafkaRecord[]) => void,
  onError: (error: Error) => void,
): KafkaTopicFollower {
  const fetcher = fetcherFor(kafka, 10_000);
  const reader = fetcher.addReader();
  const cursors = new Map(starts.map((s) => [s.partition, s.offset]));
  let stopped = false;
  let draining = false;
  let again = false;
  // Takes what the fetcher buffered past each cursor; a notification during a take runs it again.
  const drain = async (): Promise<void> => {
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    try {
      do {
        again = false;
        const ranges = [];
        for (const [partition, from] of cursors) {
          const until = fetcher.positionOf(topic, partition);
          if (until !== undefined && until > from) ranges.push({ topic, partition, from, until });
        }
        if (ranges.length === 0) continue;
        const rows = await fetcher.fetch(reader, ranges, Date.now() + 30_000, async () => {});
        for (const r of ranges) cursors.set(r.partition, r.until);
        const records = rows.flat().map(recordOf);
        if (records.length > 0 && !stopped) onRecords(records);
      } while (again && !stopped);
    } catch (e) {
      if (!stopped) onError(e as Error);
    } finally {
      draining = false;
    }
  };
  const unsubscribe = fetcher.onRows(() => void drain());
  // A range of one offset past each start: the buffers begin there and fetch on from it.
  fetcher.prefetch(
    reader,
    starts.map((s) => ({ topic, partition: s.partition, from: s.offset, until: s.offset + 1 })),
  );
  return {
    follow(partition, offset) {
      if (stopped || cursors.has(partition)) return;
      cursors.set(partition, offset);
      fetcher.prefetch(reader, [{ topic, partition, from: offset, until: offset + 1 }]);
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await fetcher.removeReader(reader);
    },
  };
}
