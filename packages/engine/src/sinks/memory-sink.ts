import { AnalysisError } from '../errors.js';
import type { Row, StructType } from '../types/data-type.js';
import type { OutputMode, Sink, SinkProvider } from './sink.js';

/** Listener of memory-table changes (the server pushes them over socket.io). */
export type MemoryTableListener = (table: string, batchId: number, rows: readonly Row[]) => void;

const tables = new Map<string, MemorySink>();
const listeners = new Set<MemoryTableListener>();

/**
 * How the memory sink makes its table visible to `session.sql` / `session.table`: it registers a
 * temp view (a LocalRelation over the sink's rows) in the session's catalog after every batch.
 */
export interface MemoryTableSession {
  catalog?: { registerView(name: string, plan: unknown, replace: boolean): void };
}

/**
 * Spark's MemorySink: the table named by `queryName` holds the query's output. Append (and
 * update, treated as append as Spark's SupportsStreamingUpdateAsAppend) adds each batch's rows;
 * complete replaces them. A batch id at or below the last one added is skipped (re-run after a
 * failure).
 */
export class MemorySink implements Sink {
  readonly description = 'MemorySink';
  private data: Row[] = [];
  private lastBatchId = -1;
  /** Called after every change (the provider re-registers the session view). */
  onChange: (() => void) | undefined;

  constructor(
    readonly name: string,
    readonly schema: StructType,
    readonly outputMode: OutputMode,
  ) {}

  /** All rows of the table now. */
  get rows(): readonly Row[] {
    return this.data;
  }

  get latestBatchId(): number {
    return this.lastBatchId;
  }

  addBatch(batchId: number, rows: Row[]): void {
    if (batchId <= this.lastBatchId) return;
    if (this.outputMode === 'complete') this.data = rows.slice();
    else for (const r of rows) this.data.push(r);
    this.lastBatchId = batchId;
    this.onChange?.();
    for (const l of listeners) l(this.name, batchId, rows);
  }

  /**
   * Trigger.Continuous: rows are appended as soon as they are processed (the epoch's `addBatch`
   * then only records the epoch). At-least-once across restarts, as Spark's continuous mode.
   */
  writeContinuous(_epochId: number, rows: Row[]): void {
    for (const r of rows) this.data.push(r);
    this.onChange?.();
    for (const l of listeners) l(this.name, _epochId, rows);
  }

  clear(): void {
    this.data = [];
    this.lastBatchId = -1;
  }

  /**
   * A run with asynchronous progress tracking re-runs batches under batch ids that may already be
   * here with other rows (docs/decisions/0010): the rows stay, no batch id is skipped any more.
   */
  forgetBatchIds(): void {
    this.lastBatchId = -1;
  }
}

/** The memory table of a query name, if any (what `GET /api/tables` lists). */
export function getMemoryTable(name: string): MemorySink | undefined {
  return tables.get(name);
}

/** Names of all memory-sink tables. */
export function memoryTableNames(): string[] {
  return [...tables.keys()].sort();
}

/** Drops a memory table. */
export function dropMemoryTable(name: string): void {
  tables.delete(name);
}

/** Subscribes to memory-table changes; returns the unsubscribe function. */
export function onMemoryTableRows(listener: MemoryTableListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const memorySinkProvider: SinkProvider = {
  format: 'memory',
  supportsAsyncProgressTracking: true,
  supportedOutputModes: ['append', 'complete', 'update'],
  allowsTemporaryCheckpoint: true,
  supportsContinuous: true,
  createSink(ctx) {
    if (!ctx.queryName) {
      throw new AnalysisError('QUERY_NAME_REQUIRED', 'queryName must be specified for memory sink');
    }
    // A restart in complete mode rebuilds the table; in append mode rows of committed batches stay.
    const existing = tables.get(ctx.queryName);
    const sink =
      existing && ctx.outputMode !== 'complete' && sameSchema(existing.schema, ctx.schema)
        ? existing
        : new MemorySink(ctx.queryName, ctx.schema, ctx.outputMode);
    if (ctx.asyncProgressTracking) sink.forgetBatchIds();
    tables.set(ctx.queryName, sink);
    const catalog = (ctx.session as MemoryTableSession | undefined)?.catalog;
    const name = ctx.queryName;
    if (catalog) {
      sink.onChange = () =>
        catalog.registerView(
          name,
          { kind: 'localRelation', schema: sink.schema, rows: sink.rows, label: `MemorySink ${name}` },
          true,
        );
      sink.onChange();
    }
    return sink;
  },
};

function sameSchema(a: StructType, b: StructType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
