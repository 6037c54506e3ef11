import {
  and,
  DeadLetterReplays,
  DeadLetters,
  desc,
  eq,
  gte,
  inArray,
  lt,
  type SluiceDatabase,
  type SQL,
  sql,
} from '@sluice/db';
import { encodeBytes } from '../topics/bytes.js';
import type { HeaderView, NewDeadLetter } from './contract.js';
import type {
  CountsResult,
  DeadLetterDetail,
  DeadLetterFilter,
  DeadLetterSummary,
  GroupBy,
  ReplayView,
} from './schemas.js';

/** Thrown for a cursor that does not decode. */
export class BadDeadLetterCursorError extends Error {}

type Row = typeof DeadLetters.$inferSelect;

/** `dead_letters.id` spelled out: drizzle leaves columns unqualified, which a subquery on replays (with its own `id`) would misread. */
const deadLetterId = sql.raw('"dead_letters"."id"');

/** The replay statistics of each row, joined to lists and details. */
const replayCount = sql<number>`(select count(*)::int from ${DeadLetterReplays} r where r.dead_letter_id = ${deadLetterId})`;
const lastReplayedAt = sql<
  string | null
>`(select max(r.replayed_at) from ${DeadLetterReplays} r where r.dead_letter_id = ${deadLetterId})`;

const summaryColumns = {
  id: DeadLetters.id,
  dlqTopic: DeadLetters.dlqTopic,
  dlqPartition: DeadLetters.dlqPartition,
  dlqOffset: DeadLetters.dlqOffset,
  sourceTopic: DeadLetters.sourceTopic,
  sourcePartition: DeadLetters.sourcePartition,
  sourceOffset: DeadLetters.sourceOffset,
  queryId: DeadLetters.queryId,
  queryName: DeadLetters.queryName,
  runId: DeadLetters.runId,
  batchId: DeadLetters.batchId,
  stage: DeadLetters.stage,
  errorClass: DeadLetters.errorClass,
  errorMessage: sql<string>`left(${DeadLetters.errorMessage}, 1000)`,
  valueHead: sql<Uint8Array | null>`substring(${DeadLetters.value} from 1 for 200)`,
  valueSize: sql<number | null>`octet_length(${DeadLetters.value})`,
  failedAt: DeadLetters.failedAt,
  archivedAt: DeadLetters.archivedAt,
  replayCount,
  lastReplayedAt,
};

type SummaryRow = {
  [K in keyof typeof summaryColumns]: unknown;
} & Pick<
  Row,
  'id' | 'dlqTopic' | 'dlqPartition' | 'dlqOffset' | 'stage' | 'errorClass' | 'failedAt' | 'archivedAt'
>;

const lossy = new TextDecoder('utf-8');

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

function int(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function toSummary(row: SummaryRow): DeadLetterSummary {
  const head = row.valueHead as Uint8Array | null;
  return {
    id: row.id,
    dlqTopic: row.dlqTopic,
    dlqPartition: row.dlqPartition,
    dlqOffset: Number(row.dlqOffset),
    sourceTopic: (row.sourceTopic as string | null) ?? null,
    sourcePartition: int(row.sourcePartition),
    sourceOffset: int(row.sourceOffset),
    queryId: (row.queryId as string | null) ?? null,
    queryName: (row.queryName as string | null) ?? null,
    runId: (row.runId as string | null) ?? null,
    batchId: int(row.batchId),
    stage: row.stage,
    errorClass: row.errorClass,
    errorMessage: row.errorMessage as string,
    valuePreview: head === null ? null : lossy.decode(head),
    valueSize: int(row.valueSize),
    failedAt: iso(row.failedAt)!,
    archivedAt: iso(row.archivedAt)!,
    replayCount: Number(row.replayCount ?? 0),
    lastReplayedAt: iso(row.lastReplayedAt),
  };
}

function encodeCursor(failedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([failedAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parts) &&
      parts.length === 2 &&
      typeof parts[0] === 'string' &&
      !Number.isNaN(Date.parse(parts[0])) &&
      typeof parts[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parts[1])
    ) {
      return [parts[0], parts[1]];
    }
  } catch {}
  throw new BadDeadLetterCursorError(`invalid cursor '${cursor}'`);
}

/** The WHERE of a filter (docs/server-api.md "Dead letters"). */
export function filterCondition(filter: DeadLetterFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.queryName !== undefined) conditions.push(eq(DeadLetters.queryName, filter.queryName));
  if (filter.queryId !== undefined) conditions.push(eq(DeadLetters.queryId, filter.queryId));
  if (filter.sourceTopic !== undefined) conditions.push(eq(DeadLetters.sourceTopic, filter.sourceTopic));
  if (filter.stage !== undefined) conditions.push(eq(DeadLetters.stage, filter.stage));
  if (filter.errorClass !== undefined) conditions.push(eq(DeadLetters.errorClass, filter.errorClass));
  if (filter.from !== undefined) conditions.push(gte(DeadLetters.failedAt, new Date(filter.from)));
  if (filter.to !== undefined) conditions.push(lt(DeadLetters.failedAt, new Date(filter.to)));
  if (filter.q !== undefined) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // The message case-insensitively; the payload as bytes (it need not be valid UTF-8 text).
    conditions.push(
      sql`(${DeadLetters.errorMessage} ilike ${like} or position(convert_to(${filter.q}, 'UTF8') in coalesce(${DeadLetters.value}, ''::bytea)) > 0)`,
    );
  }
  if (filter.replayed !== undefined) {
    const exists = sql`exists (select 1 from ${DeadLetterReplays} r where r.dead_letter_id = ${deadLetterId})`;
    conditions.push(filter.replayed ? exists : sql`not ${exists}`);
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** A bucket width giving about 60 buckets over the range, rounded to a familiar step. */
export function bucketSecondsFor(rangeMs: number): number {
  const steps = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800];
  const wanted = rangeMs / 1000 / 60;
  return steps.find((s) => s >= wanted) ?? steps[steps.length - 1]!;
}

const GROUP_COLUMNS: Record<GroupBy, SQL> = {
  stage: sql`${DeadLetters.stage}`,
  queryName: sql`coalesce(${DeadLetters.queryName}, '')`,
  errorClass: sql`${DeadLetters.errorClass}`,
};

export interface ReplayRecord {
  deadLetterId: string;
  requestId: string;
  targetTopic: string;
  targetPartition: number;
  targetOffset: number;
}

/** What a replay needs of a dead letter. */
export interface ReplaySource {
  id: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: HeaderView[];
  recordTimestamp: Date | null;
}

/** Postgres access for `dead_letters` and `dead_letter_replays`. */
export class DeadLetterStore {
  constructor(private readonly db: SluiceDatabase) {}

  /**
   * Inserts the rows that are not there yet (by dead-letter topic, partition and offset) in one
   * statement, and answers the ones it inserted — a batch the archiver writes again after a crash
   * or a lost acknowledgement adds nothing.
   */
  async insert(rows: NewDeadLetter[]): Promise<DeadLetterSummary[]> {
    if (rows.length === 0) return [];
    const inserted = await this.db
      .insert(DeadLetters)
      .values(rows)
      .onConflictDoNothing({
        target: [DeadLetters.dlqTopic, DeadLetters.dlqPartition, DeadLetters.dlqOffset],
      })
      .returning({ id: DeadLetters.id });
    if (inserted.length === 0) return [];
    return this.summaries(inserted.map((r) => r.id));
  }

  private async summaries(ids: string[]): Promise<DeadLetterSummary[]> {
    const rows = await this.db
      .select(summaryColumns)
      .from(DeadLetters)
      .where(inArray(DeadLetters.id, ids))
      .orderBy(DeadLetters.dlqTopic, DeadLetters.dlqPartition, DeadLetters.dlqOffset);
    return rows.map((r) => toSummary(r as SummaryRow));
  }

  /** Newest failure first; the cursor is the last item's (failedAt, id). */
  async list(
    filter: DeadLetterFilter,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: DeadLetterSummary[]; nextCursor: string | null }> {
    const conditions: (SQL | undefined)[] = [filterCondition(filter)];
    if (cursor) {
      const [failedAt, id] = decodeCursor(cursor);
      conditions.push(
        sql`(${DeadLetters.failedAt}, ${DeadLetters.id}) < (${new Date(failedAt).toISOString()}::timestamptz, ${id}::uuid)`,
      );
    }
    const rows = await this.db
      .select(summaryColumns)
      .from(DeadLetters)
      .where(and(...conditions))
      .orderBy(desc(DeadLetters.failedAt), desc(DeadLetters.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map((r) => toSummary(r as SummaryRow));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.failedAt, last.id) : null };
  }

  async get(id: string): Promise<DeadLetterDetail | null> {
    const [row] = await this.db
      .select({
        ...summaryColumns,
        fullMessage: DeadLetters.errorMessage,
        stack: DeadLetters.stack,
        key: DeadLetters.key,
        value: DeadLetters.value,
        headers: DeadLetters.headers,
        recordTimestamp: DeadLetters.recordTimestamp,
      })
      .from(DeadLetters)
      .where(eq(DeadLetters.id, id));
    if (!row) return null;
    const replays = await this.db
      .select()
      .from(DeadLetterReplays)
      .where(eq(DeadLetterReplays.deadLetterId, id))
      .orderBy(desc(DeadLetterReplays.replayedAt), desc(DeadLetterReplays.id));
    const bytes = (v: Uint8Array | null) => encodeBytes(v === null ? null : Buffer.from(v));
    return {
      ...toSummary(row as SummaryRow),
      errorMessage: row.fullMessage,
      stack: row.stack,
      key: bytes(row.key),
      value: bytes(row.value),
      headers: (row.headers as HeaderView[]) ?? [],
      recordTimestamp: iso(row.recordTimestamp),
      replays: replays.map(
        (r): ReplayView => ({
          id: Number(r.id),
          requestId: r.requestId,
          targetTopic: r.targetTopic,
          targetPartition: r.targetPartition,
          targetOffset: int(r.targetOffset),
          replayedAt: iso(r.replayedAt)!,
        }),
      ),
    };
  }

  /** The ids a filter selects, oldest failure first, at most `limit` + 1 (so the caller sees "too many"). */
  async idsMatching(filter: DeadLetterFilter, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: DeadLetters.id })
      .from(DeadLetters)
      .where(filterCondition(filter))
      .orderBy(DeadLetters.failedAt, DeadLetters.id)
      .limit(limit + 1);
    return rows.map((r) => r.id);
  }

  /** What a replay sends, in the order of `ids` (ids that do not exist are left out). */
  async replaySources(ids: string[]): Promise<ReplaySource[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({
        id: DeadLetters.id,
        sourceTopic: DeadLetters.sourceTopic,
        sourcePartition: DeadLetters.sourcePartition,
        key: DeadLetters.key,
        value: DeadLetters.value,
        headers: DeadLetters.headers,
        recordTimestamp: DeadLetters.recordTimestamp,
      })
      .from(DeadLetters)
      .where(inArray(DeadLetters.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ ...r, headers: (r.headers as HeaderView[]) ?? [] }] : [];
    });
  }

  async recordReplays(replays: ReplayRecord[]): Promise<void> {
    if (replays.length === 0) return;
    await this.db.insert(DeadLetterReplays).values(replays);
  }

  async deleteIds(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db
      .delete(DeadLetters)
      .where(inArray(DeadLetters.id, ids))
      .returning({ id: DeadLetters.id });
    return rows.length;
  }

  async deleteMatching(filter: DeadLetterFilter): Promise<number> {
    const rows = await this.db
      .delete(DeadLetters)
      .where(filterCondition(filter))
      .returning({ id: DeadLetters.id });
    return rows.length;
  }

  /** Retention: deletes the dead letters that failed before `cutoff`. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const rows = await this.db
      .delete(DeadLetters)
      .where(lt(DeadLetters.failedAt, cutoff))
      .returning({ id: DeadLetters.id });
    return rows.length;
  }

  /** Counts per group over time buckets, plus totals over the whole filter. */
  async counts(
    filter: DeadLetterFilter,
    groupBy: GroupBy,
    bucketSeconds: number | undefined,
    now = new Date(),
  ): Promise<CountsResult> {
    const to = filter.to ? new Date(filter.to) : now;
    const from = filter.from ? new Date(filter.from) : new Date(to.getTime() - 24 * 3600_000);
    const bucket = bucketSeconds ?? bucketSecondsFor(Math.max(1, to.getTime() - from.getTime()));
    const group = GROUP_COLUMNS[groupBy];
    const where = filterCondition(filter);
    const ranged = and(where, gte(DeadLetters.failedAt, from), lt(DeadLetters.failedAt, to));
    const bucketStart = sql`to_timestamp(floor(extract(epoch from ${DeadLetters.failedAt}) / ${bucket}) * ${bucket})`;
    const [bucketRows, totalRows] = await Promise.all([
      this.db
        .select({
          time: sql<Date | string>`${bucketStart}`,
          group: sql<string>`${group}`,
          count: sql<number>`count(*)::int`,
        })
        .from(DeadLetters)
        .where(ranged)
        .groupBy(sql`1`, sql`2`)
        .orderBy(sql`1`),
      this.db
        .select({ group: sql<string>`${group}`, count: sql<number>`count(*)::int` })
        .from(DeadLetters)
        .where(where)
        .groupBy(sql`1`),
    ]);
    const buckets: CountsResult['buckets'] = [];
    for (const row of bucketRows) {
      const time = iso(row.time)!;
      let last = buckets[buckets.length - 1];
      if (!last || last.time !== time) {
        last = { time, counts: {} };
        buckets.push(last);
      }
      last.counts[row.group] = Number(row.count);
    }
    const totals: Record<string, number> = {};
    let total = 0;
    for (const row of totalRows) {
      totals[row.group] = Number(row.count);
      total += Number(row.count);
    }
    return {
      groupBy,
      bucketSeconds: bucket,
      from: from.toISOString(),
      to: to.toISOString(),
      buckets,
      totals,
      total,
    };
  }
}
