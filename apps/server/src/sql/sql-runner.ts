import { Worker } from 'node:worker_threads';
import { HttpError } from '../queries/http-error.js';
import type { MemoryTables } from '../queries/memory-tables.js';
import { siblingModule, workerEntry } from '../workers/worker-entry.js';
import type { FromSqlWorker, SqlRequest, SqlResult, TableInput } from './protocol.js';

export interface SqlRunnerOptions {
  readonly tables: MemoryTables;
  /** Ad-hoc queries running at once; one more answers 429. */
  readonly maxConcurrent: number;
  /** Heap of one SQL worker; a query that needs more fails with QUERY_OUT_OF_MEMORY. */
  readonly heapLimitMb: number;
}

export interface SqlAnswer extends SqlResult {
  readonly elapsedMs: number;
}

/** How long a worker may take to load the engine before the request fails. */
const STARTUP_TIMEOUT_MS = 60_000;
const workerUrl = siblingModule(import.meta.url, 'worker');

interface PendingRequest {
  resolve(result: SqlResult): void;
  reject(error: Error): void;
}

/** One SQL worker thread: loads the engine once, runs one request at a time. */
class SqlWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private pending: { requestId: number; request: PendingRequest } | undefined;
  private nextRequestId = 1;
  dead = false;

  constructor(heapLimitMb: number) {
    const { entry, execArgv } = workerEntry(workerUrl);
    this.worker = new Worker(entry, { execArgv, resourceLimits: { maxOldGenerationSizeMb: heapLimitMb } });
    this.worker.unref();
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    this.ready.catch(() => {});
    this.worker.on('message', (message: FromSqlWorker) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'result' || message.type === 'error') {
        const pending = this.pending;
        if (!pending || pending.requestId !== message.requestId) return;
        this.pending = undefined;
        if (message.type === 'result') pending.request.resolve(message.result);
        else {
          const { message: text, ...details } = message.error;
          pending.request.reject(new HttpError(422, text, details));
        }
      }
    });
    const die = (error: Error) => {
      this.dead = true;
      failStart(error);
      const pending = this.pending;
      this.pending = undefined;
      pending?.request.reject(error);
    };
    this.worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        die(
          new HttpError(422, 'The query needed more memory than an ad-hoc query may use', {
            errorClass: 'QUERY_OUT_OF_MEMORY',
          }),
        );
      } else die(error);
    });
    this.worker.on('exit', (code) => die(new Error(`the SQL worker exited with code ${code}`)));
  }

  run(sql: string, limit: number, tables: readonly TableInput[]): Promise<SqlResult> {
    return new Promise<SqlResult>((resolve, reject) => {
      const requestId = this.nextRequestId++;
      this.pending = { requestId, request: { resolve, reject } };
      const request: SqlRequest = { type: 'run', requestId, sql, limit, tables };
      this.worker.postMessage(request);
    });
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

/**
 * Ad-hoc read-only SQL over the memory tables (docs/server-api.md `POST /api/sql`). Each query runs
 * in a worker thread, off the event loop; one that outlives its time limit is stopped by terminating
 * its worker (a synchronous engine loop cannot be interrupted otherwise). One idle worker is kept
 * warm so the next query does not pay for loading the engine.
 */
export class SqlRunner {
  private readonly idle: SqlWorker[] = [];
  private readonly busy = new Set<SqlWorker>();
  private closing = false;

  constructor(private readonly options: SqlRunnerOptions) {}

  async run(sql: string, limit: number, timeoutMs: number): Promise<SqlAnswer> {
    if (this.closing) throw new HttpError(503, 'the server is shutting down');
    if (this.busy.size >= this.options.maxConcurrent) {
      throw new HttpError(
        429,
        `${this.options.maxConcurrent} ad-hoc queries are already running; try again when one has finished`,
      );
    }
    const tables = this.tablesFor(sql);
    const worker = this.idle.pop() ?? new SqlWorker(this.options.heapLimitMb);
    this.busy.add(worker);
    let startTimer: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        worker.ready,
        new Promise<never>((_, reject) => {
          startTimer = setTimeout(
            () => reject(new HttpError(503, 'the SQL worker did not start in time')),
            STARTUP_TIMEOUT_MS,
          );
        }),
      ]);
      clearTimeout(startTimer);
      // The time limit covers the query, not loading the engine into a new worker.
      const started = performance.now();
      const result = await Promise.race([
        worker.run(sql, limit, tables),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            void worker.terminate();
            reject(
              new HttpError(408, `The query did not finish within ${timeoutMs} ms and was stopped`, {
                errorClass: 'QUERY_EXECUTION_TIMEOUT',
              }),
            );
          }, timeoutMs);
        }),
      ]);
      return { ...result, elapsedMs: Math.round(performance.now() - started) };
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // The worker ended under the query: the server is closing, or the thread died.
      throw new HttpError(503, `the SQL worker stopped: ${(error as Error).message}`, {
        errorClass: 'SQL_WORKER_STOPPED',
      });
    } finally {
      clearTimeout(startTimer);
      clearTimeout(timer);
      this.busy.delete(worker);
      if (!worker.dead && !this.closing && this.idle.length === 0) this.idle.push(worker);
      else if (!worker.dead) void worker.terminate();
    }
  }

  /** The tables the SQL text can name (a cheap filter: only their rows are copied to the worker). */
  private tablesFor(sql: string): TableInput[] {
    const text = sql.toLowerCase();
    return this.options.tables
      .list()
      .filter((t) => text.includes(t.name.toLowerCase()))
      .map((t) => ({ name: t.name, schema: t.schema, rows: t.rows }));
  }

  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
