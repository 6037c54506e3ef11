import type { OutputMode } from '../../sinks/sink.js';
import type { StateStoreConf } from '../../state/state-store.js';
import type { Row } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';
import type { StateSchema } from '../state-source/spark-schema.js';

/** What a stateful operator learns when the query starts. */
export interface StatefulOperatorContext {
  /** The checkpoint's `state/` directory. */
  readonly stateDir: string;
  /** `spark.sql.streaming.stateStore.providerClass` (default `memory`). */
  readonly providerName: string;
  readonly storeConf: StateStoreConf;
  /** State shards per operator (`spark.sql.shuffle.partitions` of the checkpoint). */
  readonly numShards: number;
  /**
   * The eviction watermark of the last batch committed before this run (ms), so that a restarted
   * query asks for the same no-data batches as one that never stopped.
   */
  readonly lastWatermarkMs: number;
  /** The query's processing-time clock (the trigger clock), for processing-time timeouts. */
  readonly now?: () => number;
  /** `spark.sql.streaming.stateStore.stateSchemaCheck` (default true): check the recorded state schemas on open. */
  readonly stateSchemaCheck?: boolean;
}

/** Per-batch information. */
export interface BatchInfo {
  readonly batchId: number;
  readonly outputMode: OutputMode;
  /** The watermark in effect for this batch (ms): state and output below it are final (eviction). */
  readonly watermarkMs: number;
  /** The previous batch's watermark (ms): input rows at or below it are late and dropped. */
  readonly lateWatermarkMs: number;
  /** True when the query has a watermark at all. */
  readonly hasWatermark: boolean;
  /** The batch's processing time (Spark's batchTimestampMs). */
  readonly batchTimestampMs?: number;
}

/** Pushes rows into a callback (a physical operator's `forEachRow`, or a chunk of an array). */
export type RowSource = (sink: (row: Row) => void) => void;

/**
 * The lifecycle every streaming (stateful) operator shares (docs/decisions/0002):
 *  - `open` once per query run (creates its sharded stores);
 *  - `startBatch` loads state version `batchId` (the state after batch `batchId - 1`);
 *  - `processChunk` per chunk of input rows (at most a few thousand), emitting what it can
 *    emit at once (dedup) — never more than bounded work per chunk;
 *  - `finishBatch` after the last chunk: the "on watermark" step — emit what the batch
 *    finalized (update/complete output, append output below the watermark), evict state below
 *    the watermark, fire timeouts;
 *  - `commit` makes state version `batchId + 1` durable and returns the progress entry;
 *  - `abort` throws a failed batch's updates away; `close` when the query stops;
 *  - `needsNoDataBatch` asks for a batch without new input when the watermark moved (Spark's
 *    shouldRunAnotherBatch).
 * Adding an operator is one file implementing this plus one case in `operators/index.ts`.
 */
export interface StatefulOperator {
  /** Spark's progress `operatorName` (`stateStoreSave`, `dedupe`, ...). */
  readonly name: string;
  readonly operatorId: number;
  display(): string;
  open(ctx: StatefulOperatorContext): void;
  startBatch(info: BatchInfo): void;
  /** `input` is which of the operator's inputs the chunk comes from (a join's left 0, right 1). */
  processChunk(rows: RowSource, emit: (row: Row) => void, input?: number): void;
  finishBatch(emit: (row: Row) => void): void;
  commit(): StateOperatorProgress;
  abort(): void;
  close(): void;
  needsNoDataBatch(nextWatermarkMs: number): boolean;
  /**
   * The operator's stores and their key/value schemas, when it has other stores than `default`
   * (a join's four): what the checkpoint's metadata and the state data source see.
   */
  stateSchemas?(): { storeName: string; schema: StateSchema }[];
  /** Spark's operator properties (state-metadata's `operatorProperties`), when the operator has any. */
  operatorProperties?(): Record<string, unknown>;
}

/** The progress entry every operator fills from its sharded store's metrics. */
export function stateProgress(
  operatorName: string,
  m: {
    numKeys: number;
    numUpdated: number;
    numRemoved: number;
    memoryUsedBytes: number;
    commitTimeMs: number;
    custom: Record<string, number>;
  },
  numShards: number,
  times: { updatesMs: number; removalsMs: number; droppedByWatermark: number },
  customMetrics: Record<string, number> = {},
): StateOperatorProgress {
  return {
    operatorName,
    numRowsTotal: m.numKeys,
    numRowsUpdated: m.numUpdated,
    allUpdatesTimeMs: Math.round(times.updatesMs),
    numRowsRemoved: m.numRemoved,
    allRemovalsTimeMs: Math.round(times.removalsMs),
    commitTimeMs: Math.round(m.commitTimeMs),
    memoryUsedBytes: m.memoryUsedBytes,
    numRowsDroppedByWatermark: times.droppedByWatermark,
    numShufflePartitions: numShards,
    numStateStoreInstances: numShards,
    customMetrics: { ...m.custom, stateOnCurrentVersionSizeBytes: m.memoryUsedBytes, ...customMetrics },
  };
}
