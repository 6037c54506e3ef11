import type { OutputMode } from '../../sinks/sink.js';
import type { StateStoreConf } from '../../state/state-store.js';
import type { Row } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';

/** What a stateful operator learns when the query starts. */
export interface StatefulOperatorContext {
  /** The checkpoint's `state/` directory. */
  readonly stateDir: string;
  /** `spark.sql.streaming.stateStore.providerClass` (default `memory`). */
  readonly providerName: string;
  readonly storeConf: StateStoreConf;
}

/** Per-batch information. */
export interface BatchInfo {
  readonly batchId: number;
  readonly outputMode: OutputMode;
  /** The watermark in effect for this batch (ms), 0 without a watermark. */
  readonly watermarkMs: number;
}

/**
 * The lifecycle every streaming (stateful) operator shares: `open` once per query run,
 * `processBatch` per micro-batch, `onWatermark` when the watermark advances, `checkpoint` to commit
 * the batch's state (returns its progress metrics), `close` when the query stops.
 */
export interface StatefulOperator {
  readonly name: string;
  readonly operatorId: number;
  display(): string;
  open(ctx: StatefulOperatorContext): void;
  processBatch(rows: readonly Row[], info: BatchInfo): Row[];
  onWatermark(watermarkMs: number): Row[];
  checkpoint(): StateOperatorProgress;
  /** Throws away the uncommitted updates of a failed batch. */
  abort(): void;
  close(): void;
  /** True when the operator wants a batch even without new data (watermark / timeouts). */
  needsNoDataBatch(watermarkMs: number): boolean;
}
