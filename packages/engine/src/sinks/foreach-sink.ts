import type { Row, StructType } from '../types/data-type.js';
import type { Sink } from './sink.js';

/**
 * Spark's ForeachWriter. `open(partitionId, epochId)` returns whether to process the partition;
 * `process` gets each row as an object keyed by column name; `close` gets the error, if any.
 * Any method may be async.
 */
export interface ForeachWriter {
  open?(partitionId: number, epochId: number): boolean | Promise<boolean>;
  process(row: Record<string, unknown>): void | Promise<void>;
  close?(error: Error | null): void | Promise<void>;
}

/** Runs a ForeachWriter over each batch (one partition, id 0). At-least-once, as in Spark. */
export class ForeachSink implements Sink {
  readonly description = 'ForeachSink';
  /** Set by continuous execution: empty epoch commits do not open the writer. */
  continuousEpochCommit = false;
  constructor(readonly writer: ForeachWriter) {}

  /** Trigger.Continuous: rows go through the writer as soon as they are processed. */
  async writeContinuous(epochId: number, rows: Row[], schema: StructType): Promise<void> {
    if (rows.length > 0) await this.addBatch(epochId, rows, schema);
  }

  async addBatch(batchId: number, rows: Row[], schema: StructType): Promise<void> {
    if (rows.length === 0 && this.continuousEpochCommit) return;
    const names = schema.fields.map((f) => f.name);
    const open = this.writer.open ? await this.writer.open(0, batchId) : true;
    let error: Error | null = null;
    try {
      if (open) {
        for (const r of rows) {
          const obj: Record<string, unknown> = {};
          for (let i = 0; i < names.length; i++) obj[names[i]!] = r[i];
          const p = this.writer.process(obj);
          if (p) await p;
        }
      }
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    if (this.writer.close) await this.writer.close(error);
    if (error) throw error;
  }
}

/** The user function of `foreachBatch`: the batch as a (batch) DataFrame and its id. */
export type ForeachBatchFunction<DF = unknown> = (df: DF, batchId: number) => void | Promise<void>;

/**
 * Spark's ForeachBatchSink: calls the function with each batch as a DataFrame built by
 * `toDataFrame` (the session's createDataFrame).
 */
export class ForeachBatchSink implements Sink {
  readonly description = 'ForeachBatchSink';
  constructor(
    readonly fn: ForeachBatchFunction,
    readonly toDataFrame: (rows: Row[], schema: StructType) => unknown,
  ) {}

  async addBatch(batchId: number, rows: Row[], schema: StructType): Promise<void> {
    await this.fn(this.toDataFrame(rows, schema), batchId);
  }
}
