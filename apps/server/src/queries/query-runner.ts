import { Worker } from 'node:worker_threads';
import { siblingModule, workerEntry } from '../workers/worker-entry.js';
import type { ColumnView, OutputMode, QueryException } from './schemas.js';
import type { FromWorker, ProgressMessage, ToWorker, WorkerInput } from './worker-protocol.js';

/** What a running query reports to whoever started it (all called on the main thread, in order). */
export interface RunEvents {
  onStarted(runId: string, startedAt: Date): void;
  onProgress(progress: ProgressMessage): void;
  onTable(table: string, schema: ColumnView[], outputMode: OutputMode, keyColumns: string[] | null): void;
  onRows(table: string, batchId: number, rows: Record<string, unknown>[]): void;
  /** Exactly once: the query stopped (exception null), ended by itself, failed or its worker died. */
  onTerminated(exception: QueryException | null): void;
}

const workerUrl = siblingModule(import.meta.url, 'query-worker');

/** How long a stop may take before the worker is terminated outright (a batch stuck on I/O). */
const STOP_TIMEOUT_MS = 30_000;

/** The main thread's handle on one query's worker. */
export class QueryWorker {
  private readonly worker: Worker;
  private ended = false;
  private readonly endedPromise: Promise<void>;
  private nextRequestId = 1;
  private readonly pendingRows = new Map<
    number,
    { resolve: (n: number) => void; reject: (e: Error) => void }
  >();

  constructor(input: WorkerInput, events: RunEvents) {
    const { entry, execArgv } = workerEntry(workerUrl);
    this.worker = new Worker(entry, { workerData: input, execArgv });
    let endRun!: () => void;
    this.endedPromise = new Promise((resolve) => {
      endRun = resolve;
    });
    const finish = (exception: QueryException | null) => {
      if (this.ended) return;
      this.ended = true;
      for (const pending of this.pendingRows.values()) pending.reject(new Error('the query is not running'));
      this.pendingRows.clear();
      events.onTerminated(exception);
      void this.worker.terminate().finally(endRun);
    };
    this.worker.on('message', (message: FromWorker) => {
      if (this.ended) return;
      switch (message.type) {
        case 'started':
          events.onStarted(message.runId, new Date(message.startedAt));
          break;
        case 'progress':
          events.onProgress(message.progress);
          break;
        case 'table':
          events.onTable(message.table, message.schema, message.outputMode, message.keyColumns);
          break;
        case 'rows':
          events.onRows(message.table, message.batchId, message.rows);
          break;
        case 'rowsAdded': {
          const pending = this.pendingRows.get(message.requestId);
          this.pendingRows.delete(message.requestId);
          if (message.error !== undefined) pending?.reject(new Error(message.error));
          else pending?.resolve(message.added ?? 0);
          break;
        }
        case 'terminated':
          finish(message.exception);
          break;
      }
    });
    this.worker.on('error', (error) =>
      finish({
        errorClass: error.name,
        message: `the query's worker crashed: ${error.message}`,
        stack: error.stack ?? null,
      }),
    );
    this.worker.on('exit', (code) =>
      finish({
        errorClass: 'WORKER_EXITED',
        message: `the query's worker exited with code ${code}`,
        stack: null,
      }),
    );
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Resolves once the worker is gone (after `onTerminated`). */
  get terminated(): Promise<void> {
    return this.endedPromise;
  }

  /** Asks the query to stop after the batch in flight; resolves once it has. */
  async stop(): Promise<void> {
    if (this.ended) return this.endedPromise;
    this.post({ type: 'stop' });
    const timer = setTimeout(() => void this.worker.terminate(), STOP_TIMEOUT_MS);
    try {
      await this.endedPromise;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Adds rows to a memory source of the query; resolves with how many were added. */
  addRows(alias: string, rows: unknown[]): Promise<number> {
    if (this.ended) return Promise.reject(new Error('the query is not running'));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pendingRows.set(requestId, { resolve, reject });
      this.post({ type: 'addRows', requestId, alias, rows });
    });
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}
