import type { ColumnView } from '../queries/schemas.js';

/** A memory table as the ad-hoc SQL worker registers it (a temp view over these rows). */
export interface TableInput {
  readonly name: string;
  readonly schema: ColumnView[];
  readonly rows: readonly Record<string, unknown>[];
}

/** Main thread → SQL worker: run one query. */
export interface SqlRequest {
  readonly type: 'run';
  readonly requestId: number;
  readonly sql: string;
  readonly limit: number;
  readonly tables: readonly TableInput[];
}

export interface SqlFailure {
  readonly message: string;
  readonly errorClass: string;
  readonly line?: number;
  readonly column?: number;
}

export interface SqlResult {
  readonly schema: ColumnView[];
  readonly rows: Record<string, unknown>[];
  readonly truncated: boolean;
}

/** SQL worker → main thread. `ready` once the engine is loaded; then one `result` per request. */
export type FromSqlWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly requestId: number }
  | { readonly type: 'result'; readonly requestId: number; readonly result: SqlResult }
  | { readonly type: 'error'; readonly requestId: number; readonly error: SqlFailure };
