import type { Row } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';
import type { EventTimeColumn } from './event-time.js';
import { eventTimeMicros } from './event-time.js';
import { ShardedStateStore } from './sharded-state.js';
import {
  type BatchInfo,
  type RowSource,
  type StatefulOperator,
  type StatefulOperatorContext,
  stateProgress,
} from './stateful-operator.js';

/** Plain config of a streaming deduplication. */
export interface DedupConfig {
  readonly operatorId: number;
  /** Column ordinals of the child's rows that make the key. */
  readonly keys: readonly number[];
  /** `dropDuplicatesWithinWatermark` (Spark 3.5's StreamingDeduplicateWithinWatermarkExec). */
  readonly withinWatermark: boolean;
  /** The child's event-time column, if it has a watermark. */
  readonly eventTime?: { readonly index: number; readonly column: EventTimeColumn };
  /** Position of the event-time column inside `keys` (plain dropDuplicates evicts by it). */
  readonly eventTimeKeyIndex?: number;
  readonly label: string;
}

/**
 * Spark's StreamingDeduplicateExec / StreamingDeduplicateWithinWatermarkExec: the first row of
 * each key is emitted as it arrives (within a chunk, in input order) and the key is remembered in
 * state; later rows with the key are dropped, in this batch or any later one.
 *  - `dropDuplicates` with the event-time column among the keys: keys at or below the watermark
 *    are evicted; late rows (at or below the previous watermark) are dropped first.
 *  - `dropDuplicates` without it: state is kept forever (Spark's behaviour), late rows still drop.
 *  - `dropDuplicatesWithinWatermark`: the state value is `expiresAt = eventTime + delay`; a key is
 *    evicted once the watermark reaches it, so duplicates are dropped while they can still come.
 */
export class DedupExec implements StatefulOperator {
  readonly name: string;
  private state: ShardedStateStore | undefined;
  private info: BatchInfo | undefined;
  private updateTimeMs = 0;
  private removalTimeMs = 0;
  private droppedByWatermark = 0;
  private lastEvictionWatermarkMs = 0;
  private droppedDuplicates = 0;

  constructor(readonly config: DedupConfig) {
    this.name = config.withinWatermark ? 'dedupeWithinWatermark' : 'dedupe';
  }

  get operatorId(): number {
    return this.config.operatorId;
  }

  display(): string {
    return `${this.config.label} [${this.config.keys.join(', ')}], state info [operatorId = ${this.operatorId}]`;
  }

  open(ctx: StatefulOperatorContext): void {
    this.state = new ShardedStateStore(ctx, this.operatorId);
    this.lastEvictionWatermarkMs = ctx.lastWatermarkMs;
  }

  startBatch(info: BatchInfo): void {
    this.info = info;
    this.state!.load(info.batchId);
    this.updateTimeMs = 0;
    this.removalTimeMs = 0;
    this.droppedByWatermark = 0;
    this.droppedDuplicates = 0;
  }

  processChunk(rows: RowSource, emit: (row: Row) => void): void {
    const start = performance.now();
    const state = this.state!;
    const info = this.info!;
    const { keys, eventTime, withinWatermark } = this.config;
    const nKeys = keys.length;
    const late =
      eventTime && info.hasWatermark && info.lateWatermarkMs > 0 ? info.lateWatermarkMs * 1000 : undefined;
    const delayMicros = eventTime ? eventTime.column.delayMs * 1000 : 0;
    rows((row) => {
      if (eventTime && late !== undefined) {
        const t = eventTimeMicros(row[eventTime.index], eventTime.column.kind);
        if (t !== null && t <= late) {
          this.droppedByWatermark++;
          return;
        }
      }
      const key: Row = new Array(nKeys);
      for (let i = 0; i < nKeys; i++) key[i] = row[keys[i]!] ?? null;
      if (state.get(key) !== undefined) {
        this.droppedDuplicates++;
        return;
      }
      if (withinWatermark && eventTime) {
        const t = eventTimeMicros(row[eventTime.index], eventTime.column.kind);
        state.put(key, [t === null ? null : t + delayMicros]);
      } else {
        state.put(key, []);
      }
      emit(row);
    });
    this.updateTimeMs += performance.now() - start;
  }

  finishBatch(): void {
    const info = this.info!;
    const { eventTime, eventTimeKeyIndex, withinWatermark } = this.config;
    if (info.hasWatermark && eventTime && (withinWatermark || eventTimeKeyIndex !== undefined)) {
      const r0 = performance.now();
      const limit = info.watermarkMs * 1000;
      const state = this.state!;
      for (const [key, value] of state.iterator()) {
        const t = withinWatermark
          ? (value[0] as number | null)
          : eventTimeMicros(key[eventTimeKeyIndex!], eventTime.column.kind);
        // Within watermark: the key expires once the watermark reaches expiresAt; plain dedup:
        // the key is final once its event time is at or below the watermark.
        if (t !== null && t <= limit) state.remove(key);
      }
      this.removalTimeMs = performance.now() - r0;
    }
    this.lastEvictionWatermarkMs = info.watermarkMs;
  }

  needsNoDataBatch(nextWatermarkMs: number): boolean {
    const { eventTime, eventTimeKeyIndex, withinWatermark } = this.config;
    return (
      eventTime !== undefined &&
      (withinWatermark || eventTimeKeyIndex !== undefined) &&
      nextWatermarkMs > this.lastEvictionWatermarkMs
    );
  }

  commit(): StateOperatorProgress {
    const state = this.state!;
    const m = state.commit();
    return stateProgress(
      this.name,
      m,
      state.numShards,
      {
        updatesMs: this.updateTimeMs,
        removalsMs: this.removalTimeMs,
        droppedByWatermark: this.droppedByWatermark,
      },
      { numDroppedDuplicateRows: this.droppedDuplicates },
    );
  }

  abort(): void {
    this.state?.abort();
  }

  close(): void {
    this.state?.close();
    this.state = undefined;
  }
}
