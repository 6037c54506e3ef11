import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import kafkajs, { type Kafka, type Message, type PartitionMetadata } from 'kafkajs';
import type { Server } from 'socket.io';
import { HttpError } from '../queries/http-error.js';
import { mapKafkaErrors } from '../topics/kafka-errors.js';
import { replayHeaders } from './contract.js';
import {
  type CountsResult,
  type DeadLetterDetail,
  type DeadLetterFilter,
  type DeadLetterSummary,
  type GroupBy,
  MAX_BULK,
  type PurgeBody,
  type ReplayBody,
  type ReplayResult,
} from './schemas.js';
import {
  BadDeadLetterCursorError,
  type DeadLetterStore,
  type ReplayRecord,
  type ReplaySource,
} from './store.js';

// kafkajs is CommonJS: Node's ESM loader does not see this one as a named export.
const { Partitioners } = kafkajs;

/** The socket.io room of the dead letters (docs/server-api.md "socket.io"). */
export const DEAD_LETTERS_ROOM = 'dead-letters';

/** Most `archived` items pushed per batch (the event's `count` says how many there were). */
const MAX_PUSHED_ITEMS = 200;

export interface DeadLetterServiceOptions {
  readonly store: DeadLetterStore;
  readonly kafka: Kafka;
  readonly io: Server;
  readonly log: FastifyBaseLogger;
}

/**
 * The dead letters as the REST routes and the `dead-letters` room see them: lists, counts,
 * replays and purges over Postgres, replays produced with kafkajs.
 */
export class DeadLetterService {
  constructor(private readonly options: DeadLetterServiceOptions) {}

  private get store(): DeadLetterStore {
    return this.options.store;
  }

  async list(filter: DeadLetterFilter, limit: number, cursor: string | undefined) {
    try {
      return await this.store.list(filter, limit, cursor);
    } catch (error) {
      if (error instanceof BadDeadLetterCursorError)
        throw new HttpError(400, error.message, { field: '/cursor' });
      throw error;
    }
  }

  async get(id: string): Promise<DeadLetterDetail> {
    const detail = await this.store.get(id);
    if (!detail) throw HttpError.notFound(`dead letter ${id}`);
    return detail;
  }

  counts(filter: DeadLetterFilter, groupBy: GroupBy, bucketSeconds?: number): Promise<CountsResult> {
    checkRange(filter, '');
    return this.store.counts(filter, groupBy, bucketSeconds);
  }

  /** Called by the archiver with each batch's new rows: pushes them and the updated counts. */
  async published(rows: DeadLetterSummary[]): Promise<void> {
    const { io } = this.options;
    io.to(DEAD_LETTERS_ROOM).emit('archived', { count: rows.length, items: rows.slice(0, MAX_PUSHED_ITEMS) });
    await this.publishCounts();
  }

  /** `counts` on the room: totals by query and by stage (all time). */
  async publishCounts(): Promise<void> {
    try {
      const [byQuery, byStage] = await Promise.all([
        this.store.counts({}, 'queryName', undefined),
        this.store.counts({}, 'stage', undefined),
      ]);
      this.options.io
        .to(DEAD_LETTERS_ROOM)
        .emit('counts', { total: byQuery.total, byQuery: byQuery.totals, byStage: byStage.totals });
    } catch (error) {
      this.options.log.warn({ err: error }, 'dead-letter counts not published');
    }
  }

  /** The ids a replay or purge covers: the listed ones, or every row of the filter (at most MAX_BULK). */
  private async selection(body: { ids?: string[]; filter?: DeadLetterFilter }): Promise<string[]> {
    if ((body.ids === undefined) === (body.filter === undefined)) {
      throw new HttpError(400, 'give exactly one of ids and filter', {
        field: body.ids ? '/filter' : '/ids',
      });
    }
    if (body.ids) return [...new Set(body.ids)];
    checkRange(body.filter!, '/filter');
    const ids = await this.store.idsMatching(body.filter!, MAX_BULK);
    if (ids.length > MAX_BULK) {
      throw new HttpError(400, `the filter matches more than ${MAX_BULK} dead letters: narrow it`, {
        field: '/filter',
      });
    }
    return ids;
  }

  /**
   * Sends each chosen dead letter's key, value and original headers (without the `__sluice.errors.*`
   * context, with `__sluice.replay.of`) to `targetTopic`, or back to its source topic, and records
   * each send in `dead_letter_replays` with the partition and offset it landed at.
   */
  async replay(body: ReplayBody): Promise<ReplayResult> {
    const ids = await this.selection(body);
    const requestId = randomUUID();
    const sources = await this.store.replaySources(ids);
    const found = new Set(sources.map((s) => s.id));
    const failed: ReplayResult['failed'] = ids
      .filter((id) => !found.has(id))
      .map((id) => ({ id, message: 'no such dead letter' }));
    const byTopic = new Map<string, ReplaySource[]>();
    for (const source of sources) {
      const topic = body.targetTopic ?? source.sourceTopic;
      if (!topic) {
        failed.push({ id: source.id, message: 'the dead letter names no source topic: give targetTopic' });
        continue;
      }
      const list = byTopic.get(topic) ?? [];
      list.push(source);
      byTopic.set(topic, list);
    }
    const replays: ReplayRecord[] = [];
    if (byTopic.size > 0) {
      await mapKafkaErrors(async () => {
        const admin = this.options.kafka.admin();
        await admin.connect();
        let partitionsOf: Map<string, PartitionMetadata[]>;
        try {
          const existing = new Set(await admin.listTopics());
          if (body.targetTopic !== undefined && !existing.has(body.targetTopic)) {
            throw new HttpError(404, `topic '${body.targetTopic}' not found`, { field: '/targetTopic' });
          }
          for (const [topic, list] of byTopic) {
            if (existing.has(topic)) continue;
            for (const s of list) failed.push({ id: s.id, message: `topic '${topic}' does not exist` });
            byTopic.delete(topic);
          }
          const metadata =
            byTopic.size > 0
              ? await admin.fetchTopicMetadata({ topics: [...byTopic.keys()] })
              : { topics: [] };
          partitionsOf = new Map(metadata.topics.map((t) => [t.name, t.partitions]));
        } finally {
          await admin.disconnect().catch(() => {});
        }
        const producer = this.options.kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        try {
          const partitioner = Partitioners.DefaultPartitioner();
          for (const [topic, list] of byTopic) {
            const partitionMetadata = partitionsOf.get(topic) ?? [];
            // Each record's partition is chosen here (Kafka's default partitioner: by key, else
            // spread), so that one send per partition yields one batch and each record's offset is
            // the batch's base offset plus its index.
            const perPartition = new Map<number, { source: ReplaySource; message: Message }[]>();
            for (const source of list) {
              const message: Message = {
                key: source.key === null ? null : Buffer.from(source.key),
                value: source.value === null ? null : Buffer.from(source.value),
                headers: replayHeaders(source.headers, source.id),
              };
              const partition = partitioner({ topic, partitionMetadata, message });
              const group = perPartition.get(partition) ?? [];
              group.push({ source, message });
              perPartition.set(partition, group);
            }
            for (const [partition, group] of perPartition) {
              for (let i = 0; i < group.length; i += 500) {
                const chunk = group.slice(i, i + 500);
                const [meta] = await producer.send({
                  topic,
                  acks: -1,
                  messages: chunk.map((c) => ({ ...c.message, partition })),
                });
                const base = Number(meta?.baseOffset ?? meta?.offset ?? -1);
                for (const [index, c] of chunk.entries()) {
                  replays.push({
                    deadLetterId: c.source.id,
                    requestId,
                    targetTopic: topic,
                    targetPartition: partition,
                    targetOffset: base + index,
                  });
                }
              }
            }
          }
        } finally {
          await producer.disconnect().catch(() => {});
        }
      });
    }
    await this.store.recordReplays(replays);
    const targets = new Map<string, number>();
    for (const r of replays) targets.set(r.targetTopic, (targets.get(r.targetTopic) ?? 0) + 1);
    const result: ReplayResult = {
      requestId,
      requested: ids.length,
      replayed: replays.length,
      targets: [...targets].map(([topic, count]) => ({ topic, count })),
      failed,
    };
    this.options.io.to(DEAD_LETTERS_ROOM).emit('replayed', {
      requestId,
      ids: replays.map((r) => r.deadLetterId),
      targets: result.targets,
    });
    return result;
  }

  async purge(body: PurgeBody): Promise<{ purged: number }> {
    let purged: number;
    if (body.filter !== undefined && body.ids === undefined) {
      checkRange(body.filter, '/filter');
      purged = await this.store.deleteMatching(body.filter);
    } else {
      purged = await this.store.deleteIds(await this.selection(body));
    }
    if (purged > 0) await this.afterDelete(purged);
    return { purged };
  }

  /** Retention: deletes the dead letters that failed more than `maxAgeMs` ago. */
  async purgeOlderThan(maxAgeMs: number, now = new Date()): Promise<number> {
    const purged = await this.store.deleteOlderThan(new Date(now.getTime() - maxAgeMs));
    if (purged > 0) await this.afterDelete(purged);
    return purged;
  }

  private async afterDelete(purged: number): Promise<void> {
    this.options.io.to(DEAD_LETTERS_ROOM).emit('purged', { count: purged });
    await this.publishCounts();
  }
}

function checkRange(filter: DeadLetterFilter, base: string): void {
  if (
    filter.from !== undefined &&
    filter.to !== undefined &&
    Date.parse(filter.from) >= Date.parse(filter.to)
  ) {
    throw new HttpError(400, '`from` must be before `to`', { field: `${base}/to` });
  }
}
