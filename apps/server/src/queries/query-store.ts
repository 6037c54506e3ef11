import {
  and,
  asc,
  DeadLetters,
  desc,
  eq,
  gt,
  gte,
  lt,
  lte,
  Queries,
  QueryProgress,
  QueryRuns,
  type SluiceDatabase,
  type SQL,
  sql,
} from '@sluice/db';
import type { DesiredState, QueryException, QuerySpec } from './schemas.js';

/** A stored query row. */
export interface StoredQuery {
  id: string;
  name: string;
  spec: QuerySpec;
  desiredState: DesiredState;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredRun {
  runId: string;
  queryId: string;
  startedAt: Date;
  endedAt: Date | null;
  status: string;
  exception: QueryException | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ProgressFilter {
  sinceBatchId?: number;
  untilBatchId?: number;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

/** Thrown for a name that another query already has (the unique index answered). */
export class DuplicateNameError extends Error {}

/** Thrown for a cursor that does not decode. */
export class BadCursorError extends Error {}

function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

function decodeCursor(cursor: string): unknown[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parts)) throw new Error('not a list');
    return parts;
  } catch {
    throw new BadCursorError(`invalid cursor '${cursor}'`);
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

function toStoredQuery(row: typeof Queries.$inferSelect): StoredQuery {
  return {
    id: row.id,
    name: row.name,
    spec: row.spec as QuerySpec,
    desiredState: row.desiredState === 'running' ? 'running' : 'stopped',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toStoredRun(row: typeof QueryRuns.$inferSelect): StoredRun {
  return { ...row, exception: (row.exception as QueryException | null) ?? null };
}

/**
 * Postgres access for queries, their runs and their progress history. Progress is trimmed to the
 * newest `progressRetention` rows per query as it is written.
 */
export class QueryStore {
  private readonly insertsSinceTrim = new Map<string, number>();

  constructor(
    private readonly db: SluiceDatabase,
    private readonly progressRetention: number,
  ) {}

  async create(id: string, spec: QuerySpec, desiredState: DesiredState): Promise<StoredQuery> {
    try {
      const [row] = await this.db
        .insert(Queries)
        .values({ id, name: spec.name, spec, desiredState })
        .returning();
      return toStoredQuery(row!);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DuplicateNameError(`a query named '${spec.name}' already exists`);
      throw error;
    }
  }

  async get(id: string): Promise<StoredQuery | null> {
    const [row] = await this.db.select().from(Queries).where(eq(Queries.id, id));
    return row ? toStoredQuery(row) : null;
  }

  async all(): Promise<StoredQuery[]> {
    const rows = await this.db.select().from(Queries).orderBy(asc(Queries.createdAt), asc(Queries.id));
    return rows.map(toStoredQuery);
  }

  /**
   * Oldest first; the cursor is the (createdAt, id) of the last item. Ordered by createdAt cut to
   * milliseconds (what a JS Date in the cursor can carry: Postgres keeps microseconds), then id.
   */
  async list(limit: number, cursor: string | undefined): Promise<Page<StoredQuery>> {
    const createdMs = sql`date_trunc('milliseconds', ${Queries.createdAt})`;
    let where: SQL | undefined;
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor);
      if (typeof createdAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(createdAt))) {
        throw new BadCursorError(`invalid cursor '${cursor}'`);
      }
      where = sql`(${createdMs}, ${Queries.id}) > (${new Date(createdAt).toISOString()}::timestamptz, ${id}::uuid)`;
    }
    const rows = await this.db
      .select()
      .from(Queries)
      .where(where)
      .orderBy(asc(createdMs), asc(Queries.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(toStoredQuery);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async updateSpec(id: string, spec: QuerySpec): Promise<StoredQuery | null> {
    try {
      const [row] = await this.db
        .update(Queries)
        .set({ spec, name: spec.name, updatedAt: new Date() })
        .where(eq(Queries.id, id))
        .returning();
      return row ? toStoredQuery(row) : null;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DuplicateNameError(`a query named '${spec.name}' already exists`);
      throw error;
    }
  }

  async setDesiredState(id: string, desiredState: DesiredState): Promise<StoredQuery | null> {
    const [row] = await this.db
      .update(Queries)
      .set({ desiredState, updatedAt: new Date() })
      .where(eq(Queries.id, id))
      .returning();
    return row ? toStoredQuery(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(Queries).where(eq(Queries.id, id)).returning({ id: Queries.id });
    this.insertsSinceTrim.delete(id);
    return rows.length > 0;
  }

  async startRun(queryId: string, runId: string, startedAt: Date): Promise<void> {
    await this.db.insert(QueryRuns).values({ queryId, runId, startedAt, status: 'running' });
  }

  async endRun(runId: string, status: string, exception: QueryException | null): Promise<void> {
    await this.db
      .update(QueryRuns)
      .set({ status, exception, endedAt: new Date() })
      .where(eq(QueryRuns.runId, runId));
  }

  /** Runs left `running` by a server that died without stopping them. */
  async closeDanglingRuns(): Promise<void> {
    await this.db
      .update(QueryRuns)
      .set({ status: 'stopped', endedAt: new Date() })
      .where(eq(QueryRuns.status, 'running'));
  }

  /** Newest first. */
  async runs(queryId: string): Promise<StoredRun[]> {
    const rows = await this.db
      .select()
      .from(QueryRuns)
      .where(eq(QueryRuns.queryId, queryId))
      .orderBy(desc(QueryRuns.startedAt), desc(QueryRuns.runId));
    return rows.map(toStoredRun);
  }

  async lastRun(queryId: string): Promise<StoredRun | null> {
    const [row] = await this.db
      .select()
      .from(QueryRuns)
      .where(eq(QueryRuns.queryId, queryId))
      .orderBy(desc(QueryRuns.startedAt))
      .limit(1);
    return row ? toStoredRun(row) : null;
  }

  async addProgress(
    queryId: string,
    progress: { runId: string; batchId: number; timestamp: string },
  ): Promise<void> {
    await this.db.insert(QueryProgress).values({
      queryId,
      runId: progress.runId,
      batchId: progress.batchId,
      timestamp: new Date(progress.timestamp),
      progress,
    });
    // Trimming on every insert would double the writes; every 50th keeps the table within 50 rows of the limit.
    const inserted = (this.insertsSinceTrim.get(queryId) ?? 0) + 1;
    this.insertsSinceTrim.set(queryId, inserted);
    if (inserted >= Math.min(50, this.progressRetention)) {
      this.insertsSinceTrim.set(queryId, 0);
      await this.trimProgress(queryId);
    }
  }

  /** Deletes all but the newest `progressRetention` progress rows of a query. */
  async trimProgress(queryId: string): Promise<void> {
    await this.db.execute(sql`
      delete from ${QueryProgress}
      where ${QueryProgress.queryId} = ${queryId}
        and ${QueryProgress.id} < (
          select ${QueryProgress.id} from ${QueryProgress}
          where ${QueryProgress.queryId} = ${queryId}
          order by ${QueryProgress.id} desc
          offset ${this.progressRetention - 1} limit 1
        )`);
  }

  async lastProgress(queryId: string): Promise<Record<string, unknown> | null> {
    const [row] = await this.db
      .select({ progress: QueryProgress.progress })
      .from(QueryProgress)
      .where(eq(QueryProgress.queryId, queryId))
      .orderBy(desc(QueryProgress.id))
      .limit(1);
    return (row?.progress as Record<string, unknown> | undefined) ?? null;
  }

  /** Oldest first (in the order they were written); the cursor is the last row's id. */
  async progress(queryId: string, filter: ProgressFilter): Promise<Page<Record<string, unknown>>> {
    const conditions: SQL[] = [eq(QueryProgress.queryId, queryId)];
    if (filter.sinceBatchId !== undefined) conditions.push(gt(QueryProgress.batchId, filter.sinceBatchId));
    if (filter.untilBatchId !== undefined) conditions.push(lte(QueryProgress.batchId, filter.untilBatchId));
    if (filter.from) conditions.push(gte(QueryProgress.timestamp, filter.from));
    if (filter.to) conditions.push(lt(QueryProgress.timestamp, filter.to));
    if (filter.cursor) {
      const [lastId] = decodeCursor(filter.cursor);
      if (typeof lastId !== 'number' || !Number.isSafeInteger(lastId)) {
        throw new BadCursorError(`invalid cursor '${filter.cursor}'`);
      }
      conditions.push(gt(QueryProgress.id, lastId));
    }
    const rows = await this.db
      .select({ id: QueryProgress.id, progress: QueryProgress.progress })
      .from(QueryProgress)
      .where(and(...conditions))
      .orderBy(asc(QueryProgress.id))
      .limit(filter.limit + 1);
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => r.progress as Record<string, unknown>),
      nextCursor: rows.length > filter.limit && last ? encodeCursor([last.id]) : null,
    };
  }

  /** Dead letters archived per query name (for the metrics). */
  async deadLetterCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ name: DeadLetters.queryName, count: sql<number>`count(*)::int` })
      .from(DeadLetters)
      .groupBy(DeadLetters.queryName);
    return new Map(rows.filter((r) => r.name !== null).map((r) => [r.name as string, Number(r.count)]));
  }
}
