import { KafkaReadTimeoutError, readKafkaRanges } from '@sluice/engine';
import type { Kafka } from 'kafkajs';
import { HttpError } from '../queries/http-error.js';
import { recordView } from './message-view.js';
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
 * time of the request)), so a browse always ends. The records are read as the Kafka source reads
 * them (its own Fetch requests on assigned partitions): no consumer group is formed or left behind.
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
      const ranges = await this.plan(topic, query, seek);
      const messages = ranges.length === 0 ? [] : await this.read(topic, ranges);
      return { messages: pick(messages, seek, query.limit, query.partition !== undefined), ranges };
    } finally {
      this.active--;
    }
  }

  /** Which offsets of which partitions to read. */
  private async plan(topic: string, query: BrowseQuery, seek: Seek): Promise<ReadRange[]> {
    return this.admin.withAdmin(async (admin) => {
      await this.admin.assertExists(admin, topic);
      let partitions: PartitionRange[] = await this.admin.offsetsOf(admin, topic);
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
      return ranges;
    });
  }

  /** Every record in the ranges, read as the Kafka source reads (no consumer group, nothing left behind). */
  private async read(topic: string, ranges: readonly ReadRange[]): Promise<MessageView[]> {
    try {
      const records = await readKafkaRanges(this.kafka, topic, ranges, BROWSE_TIMEOUT_MS);
      return records.flat().map((r) => recordView(topic, r));
    } catch (e) {
      if (e instanceof KafkaReadTimeoutError) {
        throw new HttpError(504, `reading '${topic}' took longer than ${BROWSE_TIMEOUT_MS} ms`, {
          errorClass: 'KAFKA_FETCH_TIMEOUT',
        });
      }
      throw e;
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
