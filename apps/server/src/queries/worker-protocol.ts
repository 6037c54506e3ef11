import type { ColumnView, OutputMode, QueryException, QuerySpec } from './schemas.js';

/** What a query worker is started with (`workerData`). */
export interface WorkerInput {
  readonly queryId: string;
  readonly spec: QuerySpec;
  readonly dataDir: string;
  readonly bootstrap: readonly string[];
}

/** Main thread → worker. */
export type ToWorker =
  | { readonly type: 'stop' }
  | {
      readonly type: 'addRows';
      readonly requestId: number;
      readonly alias: string;
      readonly rows: unknown[];
    };

/** Worker → main thread, in the order things happen. */
export type FromWorker =
  | { readonly type: 'started'; readonly runId: string; readonly startedAt: string }
  | { readonly type: 'progress'; readonly progress: ProgressMessage }
  | {
      readonly type: 'table';
      readonly table: string;
      readonly schema: ColumnView[];
      readonly outputMode: OutputMode;
      /** The grouping key's output columns (update mode upserts by them); null when there is none. */
      readonly keyColumns: string[] | null;
    }
  | {
      readonly type: 'rows';
      readonly table: string;
      readonly batchId: number;
      readonly rows: Record<string, unknown>[];
    }
  | {
      readonly type: 'rowsAdded';
      readonly requestId: number;
      readonly added?: number;
      readonly error?: string;
    }
  | { readonly type: 'terminated'; readonly exception: QueryException | null };

/** Spark's StreamingQueryProgress as it crosses the thread boundary. */
export interface ProgressMessage extends Record<string, unknown> {
  readonly id: string;
  readonly runId: string;
  readonly batchId: number;
  readonly timestamp: string;
}

export function exceptionOf(error: unknown): QueryException {
  if (error instanceof Error) {
    const errorClass = (error as { errorClass?: unknown }).errorClass;
    return {
      errorClass: typeof errorClass === 'string' ? errorClass : error.name,
      message: error.message,
      stack: error.stack ?? null,
    };
  }
  return { errorClass: null, message: String(error), stack: null };
}
