/** The server's shapes (docs/server-api.md), shared by the dashboard's features. */

export type OutputMode = 'append' | 'update' | 'complete';
export type SourceFormat = 'kafka' | 'rate' | 'rate-micro-batch' | 'memory' | 'file' | 'socket';

export interface SourceSpec {
  format: SourceFormat;
  options?: Record<string, string>;
  schema?: string;
  valueFormat?: 'json' | 'csv' | 'raw';
  watermark?: { column: string; delay: string };
}

export interface TriggerSpec {
  processingTime?: string;
  once?: true;
  availableNow?: true;
}

export interface QuerySpec {
  name: string;
  sources: Record<string, SourceSpec>;
  sql: string;
  sink: { format: string; options?: Record<string, string> };
  outputMode: OutputMode;
  trigger?: TriggerSpec;
  checkpointLocation?: string;
}

export type QueryStatus = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed' | 'finished';

export interface QueryException {
  errorClass: string | null;
  message: string;
  stack: string | null;
}

export interface StateOperatorProgress {
  operatorName: string;
  numRowsTotal: number;
  numRowsUpdated: number;
  numRowsRemoved?: number;
  memoryUsedBytes: number;
  numRowsDroppedByWatermark: number;
  [key: string]: unknown;
}

export interface SourceProgress {
  description: string;
  startOffset: unknown;
  endOffset: unknown;
  latestOffset: unknown;
  numInputRows: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  metrics?: Record<string, string>;
}

/** Spark's StreamingQueryProgress JSON, verbatim. */
export interface StreamingQueryProgress {
  id: string;
  runId: string;
  name: string | null;
  timestamp: string;
  batchId: number;
  batchDuration: number;
  numInputRows: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  durationMs?: Record<string, number>;
  eventTime?: Record<string, string>;
  stateOperators: StateOperatorProgress[];
  sources: SourceProgress[];
  sink: { description: string; numOutputRows: number; metrics?: Record<string, string> };
  observedMetrics?: Record<string, unknown>;
}

export interface QueryView {
  id: string;
  name: string;
  spec: QuerySpec;
  status: QueryStatus;
  desiredState: 'running' | 'stopped';
  runId: string | null;
  startedAt: string | null;
  lastProgress: StreamingQueryProgress | null;
  exception: QueryException | null;
  createdAt: string;
  updatedAt: string;
}

export interface ColumnSchema {
  name: string;
  type: string;
  nullable?: boolean;
}

export type Row = Record<string, unknown>;

/** `rows` on a `table:<name>` room. */
export interface TableRowsEvent {
  table: string;
  batchId: number;
  /** complete mode replaces, append mode appends, update mode upserts by `key`. */
  mode: 'append' | 'replace' | 'upsert';
  /** The grouping key's columns, for upserts. */
  key?: string[] | null;
  schema: ColumnSchema[];
  rows: Row[];
  /** The table's row count after this batch. */
  rowCount?: number;
  /** True once the table dropped its oldest rows to stay within the server's limit. */
  truncated?: boolean;
}

/** `progress` on a `query:<id>` room. */
export interface ProgressEvent {
  queryId: string;
  progress: StreamingQueryProgress;
}

/** `status` on a `query:<id>` room. */
export interface StatusEvent {
  queryId: string;
  status: QueryStatus;
  runId: string | null;
  exception: QueryException | null;
}

/** `query` on the `queries` room. */
export interface QueryListEvent {
  type: 'created' | 'updated' | 'deleted' | 'status';
  query: QueryView | { id: string };
}
