import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Server, Socket } from 'socket.io';
import { checkpointLocationOf } from './build-query.js';
import { HttpError } from './http-error.js';
import type { MemoryTables, TableChange } from './memory-tables.js';
import type { QueryMetrics } from './query-metrics.js';
import { QueryWorker } from './query-runner.js';
import {
  BadCursorError,
  DuplicateNameError,
  type ProgressFilter,
  type QueryStore,
  type StoredQuery,
} from './query-store.js';
import type {
  ColumnView,
  QueryException,
  QuerySpec,
  QueryStatus,
  QueryView,
  RunView,
  ValidationResult,
} from './schemas.js';
import { validateSpec } from './validate.js';
import type { ProgressMessage } from './worker-protocol.js';

export interface QueryServiceOptions {
  readonly store: QueryStore;
  readonly tables: MemoryTables;
  readonly io: Server;
  readonly log: FastifyBaseLogger;
  readonly dataDir: string;
  readonly bootstrap: readonly string[];
  readonly maxActiveQueries: number;
}

/** What the server knows about a query beyond its row: the current or last run. */
interface RunState {
  status: QueryStatus;
  runId: string | null;
  startedAt: Date | null;
  exception: QueryException | null;
  lastProgress: ProgressMessage | Record<string, unknown> | null;
  worker: QueryWorker | null;
  /** Set by stop/restart/delete/shutdown: the end is a stop, not a failure or a finish. */
  stopRequested: boolean;
}

interface Preview {
  readonly id: string;
  readonly table: string;
  readonly worker: QueryWorker;
  readonly checkpoint: string;
}

const ACTIVE: readonly QueryStatus[] = ['starting', 'running', 'stopping'];

/**
 * The queries' lifecycle on the main thread: Postgres (specs, desired state, runs, progress), one
 * worker per running query, the memory tables, and the socket.io events. Lifecycle actions on one
 * query are serialised; everything a query reports (progress, status) is persisted and then
 * published in order through one chain per query, which is also what lets a reconnecting client
 * catch up without gaps or duplicates.
 */
export class QueryService {
  private readonly states = new Map<string, RunState>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly previews = new Map<string, Preview>();
  private closing = false;
  metrics: QueryMetrics | undefined;

  constructor(private readonly options: QueryServiceOptions) {}

  /** The memory-sink tables (and preview tables). */
  get tables(): MemoryTables {
    return this.options.tables;
  }

  private get store(): QueryStore {
    return this.options.store;
  }

  private get buildContext() {
    return { dataDir: this.options.dataDir, bootstrap: this.options.bootstrap };
  }

  validate(spec: QuerySpec): ValidationResult {
    return validateSpec(spec, this.buildContext);
  }

  /** Running queries and previews. */
  activeCount(): number {
    let n = this.previews.size;
    for (const state of this.states.values()) if (state.worker && !state.worker.isEnded) n++;
    return n;
  }

  // ---- queries ------------------------------------------------------------------------------

  async create(spec: QuerySpec, start: boolean): Promise<QueryView> {
    this.assertValid(spec);
    const id = randomUUID();
    const stored = await this.mapErrors(() => this.store.create(id, spec, 'stopped'));
    this.publishQuery('created', id);
    if (start) return this.start(id);
    return this.view(stored);
  }

  async get(id: string): Promise<QueryView> {
    return this.view(await this.stored(id));
  }

  async list(
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: QueryView[]; nextCursor: string | null }> {
    const page = await this.mapErrors(() => this.store.list(limit, cursor));
    return { items: await Promise.all(page.items.map((q) => this.view(q))), nextCursor: page.nextCursor };
  }

  async update(id: string, spec: QuerySpec): Promise<QueryView> {
    return this.locked(id, async () => {
      await this.stored(id);
      if (this.isActive(id)) throw new HttpError(409, 'the query is running: stop it before editing it');
      this.assertValid(spec);
      const stored = await this.mapErrors(() => this.store.updateSpec(id, spec));
      if (!stored) throw HttpError.notFound(`query ${id}`);
      this.publishQuery('updated', id);
      return this.view(stored);
    });
  }

  async start(id: string): Promise<QueryView> {
    return this.locked(id, async () => {
      const stored = await this.stored(id);
      if (this.isActive(id)) throw new HttpError(409, 'the query is already running');
      await this.launch(stored);
      await this.store.setDesiredState(id, 'running');
      return this.view(await this.stored(id));
    });
  }

  async stop(id: string): Promise<QueryView> {
    return this.locked(id, async () => {
      await this.stored(id);
      if (!this.isActive(id)) throw new HttpError(409, 'the query is not running');
      await this.store.setDesiredState(id, 'stopped');
      await this.halt(id);
      return this.view(await this.stored(id));
    });
  }

  async restart(id: string): Promise<QueryView> {
    return this.locked(id, async () => {
      let stored = await this.stored(id);
      if (this.isActive(id)) await this.halt(id);
      stored = await this.stored(id);
      await this.launch(stored);
      await this.store.setDesiredState(id, 'running');
      return this.view(await this.stored(id));
    });
  }

  async delete(id: string, deleteCheckpoint: boolean): Promise<void> {
    await this.locked(id, async () => {
      const stored = await this.stored(id);
      if (this.isActive(id)) await this.halt(id);
      await this.chains.get(id);
      await this.store.delete(id);
      this.states.delete(id);
      this.options.tables.dropQuery(id);
      this.metrics?.forget(stored.name);
      if (deleteCheckpoint) await this.removeCheckpoint(stored);
      this.publishQuery('deleted', id);
    });
  }

  async progress(
    id: string,
    filter: ProgressFilter,
  ): Promise<{ items: NonNullable<QueryView['lastProgress']>[]; nextCursor: string | null }> {
    await this.stored(id);
    const page = await this.mapErrors(() => this.store.progress(id, filter));
    return { items: page.items as NonNullable<QueryView['lastProgress']>[], nextCursor: page.nextCursor };
  }

  async runs(id: string): Promise<RunView[]> {
    await this.stored(id);
    const runs = await this.store.runs(id);
    return runs.map((r) => ({
      runId: r.runId,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      status: r.status,
      exception: r.exception,
    }));
  }

  async addRows(id: string, alias: string, rows: unknown[]): Promise<number> {
    const stored = await this.stored(id);
    const source = stored.spec.sources[alias];
    if (!source) throw HttpError.notFound(`source '${alias}' of query ${id}`);
    if (source.format !== 'memory') {
      throw new HttpError(400, `source '${alias}' is a ${source.format} source, not a memory source`, {
        field: '/rows',
      });
    }
    const worker = this.states.get(id)?.worker;
    if (!worker || worker.isEnded || this.states.get(id)?.status !== 'running') {
      throw new HttpError(409, 'the query is not running');
    }
    try {
      return await worker.addRows(alias, rows);
    } catch (error) {
      if (worker.isEnded) throw new HttpError(409, 'the query is not running');
      throw new HttpError(400, (error as Error).message, { field: '/rows' });
    }
  }

  // ---- previews ----------------------------------------------------------------------------

  async startPreview(
    spec: QuerySpec,
    maxRows: number,
    maxSeconds: number,
  ): Promise<{ id: string; table: string; schema: ColumnView[] }> {
    if (this.closing) throw new HttpError(503, 'the server is shutting down');
    const validation = this.validate(spec);
    const firstError = validation.errors[0];
    if (firstError) throw HttpError.unprocessable(firstError);
    if (this.activeCount() >= this.options.maxActiveQueries) throw this.tooMany();
    const id = randomUUID();
    const table = `preview-${id}`;
    const checkpoint = await mkdtemp(join(this.options.dataDir, 'previews-'));
    const previewSpec: QuerySpec = {
      ...spec,
      name: `preview_${id.replaceAll('-', '')}`,
      sink: { format: 'memory', options: { queryName: table } },
      checkpointLocation: checkpoint,
    };
    this.options.tables.open(table, id, validation.schema, spec.outputMode);
    let received = 0;
    let timer: NodeJS.Timeout | undefined;
    const worker = new QueryWorker(
      { queryId: id, spec: previewSpec, dataDir: this.options.dataDir, bootstrap: this.options.bootstrap },
      {
        onStarted: () => {},
        onProgress: () => {},
        onTable: (name, schema, outputMode, keyColumns) =>
          this.options.tables.open(name, id, schema, outputMode, keyColumns),
        onRows: (name, batchId, rows) => {
          this.publishRows(this.options.tables.addBatch(name, batchId, rows));
          received += rows.length;
          if (received >= maxRows) void worker.stop();
        },
        onTerminated: () => {
          clearTimeout(timer);
          this.previews.delete(id);
          void rm(checkpoint, { recursive: true, force: true });
        },
      },
    );
    timer = setTimeout(() => void worker.stop(), maxSeconds * 1000);
    timer.unref();
    this.previews.set(id, { id, table, worker, checkpoint });
    return { id, table, schema: validation.schema };
  }

  async deletePreview(id: string): Promise<void> {
    const preview = this.previews.get(id);
    const table = this.options.tables.get(`preview-${id}`);
    if (!preview && !table) throw HttpError.notFound(`preview ${id}`);
    await preview?.worker.stop();
    this.options.tables.dropQuery(id);
  }

  // ---- server lifecycle --------------------------------------------------------------------

  /** Starts every query whose desired state is `running`, from its checkpoint. */
  async resumeAll(): Promise<void> {
    await this.store.closeDanglingRuns();
    for (const stored of await this.store.all()) {
      if (stored.desiredState !== 'running') continue;
      void this.locked(stored.id, () => this.launch(stored)).catch((error: unknown) => {
        this.options.log.error({ err: error, query: stored.name }, 'could not resume query');
        const state = this.stateOf(stored.id);
        state.status = 'failed';
        state.exception = {
          errorClass: (error as { details?: { errorClass?: string } }).details?.errorClass ?? null,
          message: (error as Error).message,
          stack: null,
        };
      });
    }
  }

  /** Stops every query at a batch boundary (desired states untouched, so they resume) and flushes their writes. */
  async close(): Promise<void> {
    this.closing = true;
    const stops: Promise<void>[] = [];
    for (const [id, state] of this.states) {
      if (state.worker && !state.worker.isEnded) {
        state.stopRequested = true;
        this.setStatus(id, 'stopping');
        stops.push(state.worker.stop());
      }
    }
    for (const preview of this.previews.values()) stops.push(preview.worker.stop());
    await Promise.all(stops);
    // Chains remove themselves when drained; a link may queue another (terminated → status).
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /**
   * Sends a socket the progress it missed (`batchId > sinceBatchId`, from Postgres, in order) and then
   * joins it to the query's room; run inside the query's chain so no live progress falls in between.
   */
  catchUp(socket: Socket, queryId: string, sinceBatchId: number): Promise<void> {
    return this.enqueue(queryId, async () => {
      let cursor: string | undefined;
      do {
        const page = await this.store.progress(queryId, { sinceBatchId, limit: 500, cursor });
        for (const progress of page.items) socket.emit('progress', { queryId, progress });
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      await socket.join(`query:${queryId}`);
    });
  }

  // ---- tables ------------------------------------------------------------------------------

  tableRows(name: string, offset: number, limit: number) {
    const table = this.options.tables.get(name);
    if (!table) throw HttpError.notFound(`table '${name}'`);
    return {
      schema: table.schema,
      rows: table.rows.slice(offset, offset + limit),
      total: table.rowCount,
      truncated: table.truncated,
    };
  }

  // ---- internals ---------------------------------------------------------------------------

  private assertValid(spec: QuerySpec): void {
    const first = this.validate(spec).errors[0];
    if (first) throw HttpError.unprocessable(first);
  }

  private async mapErrors<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DuplicateNameError) throw new HttpError(409, error.message, { field: '/name' });
      if (error instanceof BadCursorError) throw new HttpError(400, error.message, { field: '/cursor' });
      throw error;
    }
  }

  private async stored(id: string): Promise<StoredQuery> {
    const stored = await this.store.get(id);
    if (!stored) throw HttpError.notFound(`query ${id}`);
    return stored;
  }

  private isActive(id: string): boolean {
    const state = this.states.get(id);
    return !!state && ACTIVE.includes(state.status);
  }

  private locked<T>(id: string, run: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(run);
    const settled = next.catch(() => {});
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return next;
  }

  /** Runs `task` after everything already queued for this query (persist-then-publish ordering). */
  private enqueue(id: string, task: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      this.options.log.error({ err: error, queryId: id }, 'query event handling failed');
    });
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
    return next;
  }

  private stateOf(id: string): RunState {
    let state = this.states.get(id);
    if (!state) {
      state = {
        status: 'stopped',
        runId: null,
        startedAt: null,
        exception: null,
        lastProgress: null,
        worker: null,
        stopRequested: false,
      };
      this.states.set(id, state);
    }
    return state;
  }

  private tooMany(): HttpError {
    return new HttpError(
      429,
      `${this.options.maxActiveQueries} queries are already running (SLUICE_MAX_ACTIVE_QUERIES)`,
    );
  }

  /** Starts a worker for the query and resolves once it runs (or has already ended). */
  private async launch(stored: StoredQuery): Promise<void> {
    if (this.closing) throw new HttpError(503, 'the server is shutting down');
    if (this.activeCount() >= this.options.maxActiveQueries) throw this.tooMany();
    this.assertValid(stored.spec);
    const id = stored.id;
    const state = this.stateOf(id);
    Object.assign(state, { runId: null, startedAt: null, exception: null, stopRequested: false });
    this.setStatus(id, 'starting');
    let settle!: () => void;
    const startedOrEnded = new Promise<void>((resolve) => {
      settle = resolve;
    });
    state.worker = new QueryWorker(
      { queryId: id, spec: stored.spec, dataDir: this.options.dataDir, bootstrap: this.options.bootstrap },
      {
        onStarted: (runId, startedAt) => {
          state.runId = runId;
          state.startedAt = startedAt;
          void this.enqueue(id, () => this.store.startRun(id, runId, startedAt));
          this.setStatus(id, 'running');
          settle();
        },
        onProgress: (progress) => {
          state.lastProgress = progress;
          void this.enqueue(id, async () => {
            await this.store.addProgress(id, progress);
            this.options.io.to(`query:${id}`).emit('progress', { queryId: id, progress });
          });
          this.metrics?.record(stored.name, progress);
        },
        onTable: (name, schema, outputMode, keyColumns) =>
          this.options.tables.open(name, id, schema, outputMode, keyColumns),
        onRows: (name, batchId, rows) => this.publishRows(this.options.tables.addBatch(name, batchId, rows)),
        onTerminated: (exception) => {
          const status: QueryStatus = state.stopRequested ? 'stopped' : exception ? 'failed' : 'finished';
          state.exception = state.stopRequested ? null : exception;
          const runId = state.runId ?? randomUUID();
          const startedAt = state.startedAt ?? new Date();
          const hadRun = state.runId !== null;
          state.runId = runId;
          state.startedAt = startedAt;
          void this.enqueue(id, async () => {
            if (!hadRun) await this.store.startRun(id, runId, startedAt);
            await this.store.endRun(runId, status, state.exception);
            // A query that failed or finished by itself is not restarted with the server.
            if (status !== 'stopped') await this.store.setDesiredState(id, 'stopped');
          });
          this.setStatus(id, status);
          settle();
        },
      },
    );
    await startedOrEnded;
  }

  /** Stops the query's worker at a batch boundary and waits until its end is recorded. */
  private async halt(id: string): Promise<void> {
    const state = this.states.get(id);
    if (!state?.worker || state.worker.isEnded) return;
    state.stopRequested = true;
    this.setStatus(id, 'stopping');
    await state.worker.stop();
    await this.chains.get(id);
  }

  private setStatus(id: string, status: QueryStatus): void {
    const state = this.stateOf(id);
    state.status = status;
    const event = { queryId: id, status, runId: state.runId, exception: state.exception };
    void this.enqueue(id, async () => {
      this.options.io.to(`query:${id}`).emit('status', event);
      const stored = await this.store.get(id);
      if (stored)
        this.options.io.to('queries').emit('query', { type: 'status', query: await this.view(stored) });
    });
  }

  private publishQuery(type: 'created' | 'updated' | 'deleted', id: string): void {
    void this.enqueue(id, async () => {
      if (type === 'deleted') {
        this.options.io.to('queries').emit('query', { type, query: { id } });
        return;
      }
      const stored = await this.store.get(id);
      if (stored) this.options.io.to('queries').emit('query', { type, query: await this.view(stored) });
    });
  }

  private publishRows(change: TableChange | null): void {
    if (change) this.options.io.to(`table:${change.table}`).emit('rows', change);
  }

  private async removeCheckpoint(stored: StoredQuery): Promise<void> {
    const location = resolve(checkpointLocationOf(stored.spec, { ...this.buildContext, queryId: stored.id }));
    const root = resolve(this.options.dataDir, 'checkpoints');
    // Only checkpoints under the server's own directory: a spec's checkpointLocation may point anywhere.
    const inside = relative(root, location);
    if (inside === '' || inside.startsWith('..') || resolve(root, inside) !== location) {
      this.options.log.warn({ location }, 'checkpoint outside $SLUICE_DATA_DIR/checkpoints left in place');
      return;
    }
    await rm(location, { recursive: true, force: true });
  }

  private async view(stored: StoredQuery): Promise<QueryView> {
    let state = this.states.get(stored.id);
    if (!state) {
      // Not run since the server started: the last run in Postgres tells its status.
      const [run, lastProgress] = await Promise.all([
        this.store.lastRun(stored.id),
        this.store.lastProgress(stored.id),
      ]);
      state = this.stateOf(stored.id);
      if (run) {
        state.runId = run.runId;
        state.startedAt = run.startedAt;
        state.exception = run.exception;
        state.status = run.status === 'failed' || run.status === 'finished' ? run.status : 'stopped';
      }
      state.lastProgress = lastProgress;
    }
    return {
      id: stored.id,
      name: stored.name,
      spec: stored.spec,
      status: state.status,
      desiredState: stored.desiredState,
      runId: state.runId,
      startedAt: state.startedAt?.toISOString() ?? null,
      lastProgress: (state.lastProgress as QueryView['lastProgress']) ?? null,
      exception: state.exception,
      createdAt: stored.createdAt.toISOString(),
      updatedAt: stored.updatedAt.toISOString(),
    };
  }
}
