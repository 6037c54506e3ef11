import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { HttpError } from '../queries/http-error.js';
import { messageView } from './message-view.js';
import type { BrowseQuery, BrowseResult, MessageView } from './schemas.js';
import type { PartitionRange, TopicAdmin } from './topic-admin.js';

/** How long one browse may wait for its records before it answers 504. */
const BROWSE_TIMEOUT_MS = 20_000;

interface ReadRange {
  partition: number;
  from: number;
  until: number;
}

type Seek = 'offset' | 'timestamp' | 'latest';

/**
 * Reads records of a topic for the message browser: from an offset, from a timestamp, or the latest
 * N, in one partition or all. The ranges are fixed before reading ([start, high watermark at the
 * time of the request)), so a browse always ends. kafkajs has no manual assignment: each browse
 * joins a consumer group of its own (never committing offsets), seeks, and deletes the group once
 * it has left it, so browsing leaves no group behind.
 */
export class MessageBrowser {
  private active = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: TopicAdmin,
    private readonly maxConcurrent: number,
  ) {}

  async browse(topic: string, query: BrowseQuery): Promise<BrowseResult> {
    if (query.offset !== undefined && query.timestamp !== undefined) {
      throw new HttpError(400, 'give either offset or timestamp, not both', { field: '/timestamp' });
    }
    const seek: Seek =
      query.offset !== undefined ? 'offset' : query.timestamp !== undefined ? 'timestamp' : 'latest';
    if (this.active >= this.maxConcurrent) {
      throw new HttpError(429, `${this.maxConcurrent} topic browses are already running; try again shortly`);
    }
    this.active++;
    try {
      const { ranges, partitions } = await this.plan(topic, query, seek);
      const messages = ranges.length === 0 ? [] : await this.read(topic, ranges, partitions);
      return { messages: pick(messages, seek, query.limit, query.partition !== undefined), ranges };
    } finally {
      this.active--;
    }
  }

  /** Which offsets of which partitions to read. */
  private async plan(
    topic: string,
    query: BrowseQuery,
    seek: Seek,
  ): Promise<{ ranges: ReadRange[]; partitions: number[] }> {
    return this.admin.withAdmin(async (admin) => {
      await this.admin.assertExists(admin, topic);
      let partitions: PartitionRange[] = await this.admin.offsetsOf(admin, topic);
      const all = partitions.map((p) => p.partition);
      if (query.partition !== undefined) {
        const one = partitions.find((p) => p.partition === query.partition);
        if (!one) {
          throw new HttpError(400, `topic '${topic}' has no partition ${query.partition}`, {
            field: '/partition',
            errorClass: 'UNKNOWN_TOPIC_OR_PARTITION',
          });
        }
        partitions = [one];
      }
      const limit = query.limit;
      let starts: Map<number, number>;
      if (seek === 'offset') {
        const offset = query.offset!;
        if (query.partition !== undefined) {
          const p = partitions[0]!;
          if (offset < p.earliest || offset > p.latest) {
            throw new HttpError(
              400,
              `offset ${offset} is out of range for partition ${p.partition} of '${topic}' (earliest ${p.earliest}, latest ${p.latest})`,
              { field: '/offset', errorClass: 'OFFSET_OUT_OF_RANGE' },
            );
          }
        }
        // Across partitions the same offset applies to each (clamped to what each still holds).
        starts = new Map(partitions.map((p) => [p.partition, Math.max(p.earliest, offset)]));
      } else if (seek === 'timestamp') {
        const millis = Date.parse(query.timestamp!);
        const found = await admin.fetchTopicOffsetsByTimestamp(topic, millis);
        starts = new Map(found.map((f) => [f.partition, Number(f.offset)]));
      } else {
        starts = new Map(partitions.map((p) => [p.partition, Math.max(p.earliest, p.latest - limit)]));
      }
      const ranges = partitions
        .map((p) => {
          const from = Math.max(p.earliest, starts.get(p.partition) ?? p.latest);
          const until = seek === 'latest' ? p.latest : Math.min(p.latest, from + limit);
          return { partition: p.partition, from, until };
        })
        .filter((r) => r.until > r.from);
      return { ranges, partitions: all };
    });
  }

  /** Every record in the ranges, read by a consumer of a throwaway group. */
  private partitionsOf(ranges: readonly ReadRange[], all: readonly number[]): number[] {
    const read = new Set(ranges.map((r) => r.partition));
    return all.filter((p) => !read.has(p));
  }

  private async read(
    topic: string,
    ranges: readonly ReadRange[],
    allPartitions: readonly number[],
  ): Promise<MessageView[]> {
    const groupId = `sluice-browse-${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      retry: { retries: 2 },
    });
    const wanted = new Map(ranges.map((r) => [r.partition, r]));
    const remaining = new Set(wanted.keys());
    const seen = new Set<string>();
    const messages: MessageView[] = [];
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const reached = (partition: number, lastOffset: number) => {
      const range = wanted.get(partition);
      if (!range || lastOffset < range.until - 1 || !remaining.delete(partition)) return;
      consumer.pause([{ topic, partitions: [partition] }]);
      if (remaining.size === 0) finish();
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // Batches of control records only reach eachBatch empty or not at all: their end is seen here.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic === topic) reached(payload.partition, Number(payload.lastOffset));
      });
      // Positioned on every join, not once after run(): on a young cluster the first join can fail
      // (the offsets topic is still being created) and kafkajs restarts the consumer, forgetting seeks;
      // a seek right after run() would then find no consumer group at all.
      const unwanted = this.partitionsOf(ranges, allPartitions);
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const range of ranges)
          consumer.seek({ topic, partition: range.partition, offset: String(range.from) });
        if (unwanted.length > 0) consumer.pause([{ topic, partitions: unwanted }]);
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => {
          const range = wanted.get(batch.partition);
          if (!range) return;
          for (const message of batch.messages) {
            const offset = Number(message.offset);
            const id = `${batch.partition}:${offset}`;
            // Before a seek lands, kafkajs may deliver records from the earliest offset: skipped.
            if (offset < range.from || offset >= range.until || seen.has(id)) continue;
            seen.add(id);
            messages.push(messageView(topic, batch.partition, message));
          }
          if (batch.messages.length > 0) reached(batch.partition, Number(batch.lastOffset()));
        },
      });
      await Promise.race([
        done,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new HttpError(504, `reading '${topic}' took longer than ${BROWSE_TIMEOUT_MS} ms`, {
                  errorClass: 'KAFKA_FETCH_TIMEOUT',
                }),
              ),
            BROWSE_TIMEOUT_MS,
          );
        }),
      ]);
      return messages;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => {});
      await this.admin.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => {});
    }
  }
}

/** The page: `limit` records, oldest first; the latest N are the newest by timestamp across partitions. */
function pick(messages: MessageView[], seek: Seek, limit: number, onePartition: boolean): MessageView[] {
  const byTime = (a: MessageView, b: MessageView) =>
    a.timestamp.localeCompare(b.timestamp) || a.partition - b.partition || a.offset - b.offset;
  const sorted = messages.sort(onePartition ? (a, b) => a.offset - b.offset : byTime);
  return seek === 'latest' ? sorted.slice(-limit) : sorted.slice(0, limit);
}
