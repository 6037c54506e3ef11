import type { AggregateBuffer, BoundAggregate, BoundExpr } from '../../plan/expr-api.js';
import { compileExpr } from '../../plan/expr-api.js';
import type { OutputMode } from '../../sinks/sink.js';
import type { Row } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';
import type { EventTimeColumn } from './event-time.js';
import { eventTimeMicros } from './event-time.js';
import { GroupIndex } from './group-index.js';
import { type KeyLocation, ShardedStateStore } from './sharded-state.js';
import {
  type BatchInfo,
  type RowSource,
  type StatefulOperator,
  type StatefulOperatorContext,
  stateProgress,
} from './stateful-operator.js';

/** Plain config: the aggregate's bound grouping and aggregate expressions. */
export interface StatefulAggregateConfig {
  readonly operatorId: number;
  readonly groupings: readonly BoundExpr[];
  readonly aggregates: readonly BoundAggregate[];
  readonly outputMode: OutputMode;
  /** The grouping key carrying event time (a watermarked timestamp or a window over one). */
  readonly eventTimeKey?: { readonly index: number; readonly column: EventTimeColumn };
}

interface Group {
  key: Row;
  /** The key's shard and encoding, worked out once for the batch's read and write of its state. */
  at: KeyLocation | undefined;
  buffers: AggregateBuffer[];
  /** Late (at or below the previous watermark): not merged into state, counted as dropped. */
  late: boolean;
}

/**
 * Streaming aggregation (Spark's StateStoreRestore + HashAggregate + StateStoreSave): each chunk's
 * rows are aggregated into the groups' buffers restored from the state store
 * (`AggregateBuffer.toState` / `fromState`); at the end of the batch the touched groups are saved
 * back and the output is every group (complete), the groups this batch changed (update), or the
 * groups the watermark finalized (append). With an event-time grouping key, groups at or below
 * the watermark are evicted (append: emitted first), and groups of late rows (at or below the
 * previous batch's watermark) are dropped and counted in `numRowsDroppedByWatermark`.
 */
export class StatefulAggregateExec implements StatefulOperator {
  readonly name = 'stateStoreSave';
  private state: ShardedStateStore | undefined;
  private readonly keyFns: ((row: Row) => unknown)[];
  private info: BatchInfo | undefined;
  private touched: Group[] = [];
  private index: GroupIndex<Group>;
  private readonly scratch: unknown[];
  private updateTimeMs = 0;
  private removalTimeMs = 0;
  private droppedByWatermark = 0;
  /** The watermark the last batch evicted with (Spark's eventTimeWatermarkForEviction). */
  private lastEvictionWatermarkMs = 0;
  private version = 0;

  constructor(readonly config: StatefulAggregateConfig) {
    this.keyFns = config.groupings.map((g) => compileExpr(g));
    this.index = new GroupIndex<Group>(config.groupings.map((g) => g.dataType));
    this.scratch = new Array(this.keyFns.length);
  }

  get operatorId(): number {
    return this.config.operatorId;
  }

  display(): string {
    const keys = this.config.groupings.map((g) => g.sql).join(', ');
    const fns = this.config.aggregates.map((a) => a.sql).join(', ');
    return `StateStoreSave [${keys}], state info [operatorId = ${this.operatorId}], functions=[${fns}]`;
  }

  open(ctx: StatefulOperatorContext): void {
    this.state = new ShardedStateStore(ctx, this.operatorId);
    this.lastEvictionWatermarkMs = ctx.lastWatermarkMs;
  }

  startBatch(info: BatchInfo): void {
    // State version N is the state after batch N-1: batch N loads version N and commits N+1.
    this.version = info.batchId;
    this.info = info;
    this.state!.load(info.batchId);
    this.touched = [];
    this.index.clear();
    this.updateTimeMs = 0;
    this.removalTimeMs = 0;
    this.droppedByWatermark = 0;
  }

  processChunk(rows: RowSource): void {
    const start = performance.now();
    const state = this.state!;
    const { aggregates } = this.config;
    const nAgg = aggregates.length;
    const nKeys = this.keyFns.length;
    const keyFns = this.keyFns;
    const scratch = this.scratch;
    const touched = this.touched;
    const lateMicros = this.lateMicros();
    const et = this.config.eventTimeKey;
    // Groups touched by this batch, found through nested Maps (no string per row); the state
    // store's own key encoding runs once per group, not once per row.
    const create = (): Group => {
      const key = scratch.slice();
      let late = false;
      if (et && lateMicros !== undefined) {
        const t = eventTimeMicros(key[et.index], et.column.kind);
        late = t !== null && t <= lateMicros;
      }
      const at = late ? undefined : state.locate(key);
      const g: Group = { key, at, buffers: at ? this.restore(state, key, at) : [], late };
      touched.push(g);
      return g;
    };
    const index = this.index;
    rows((row) => {
      for (let i = 0; i < nKeys; i++) scratch[i] = keyFns[i]!(row);
      const g = index.getOrCreate(scratch, create);
      if (g.late) {
        this.droppedByWatermark++;
        return;
      }
      const bs = g.buffers;
      for (let i = 0; i < nAgg; i++) bs[i]!.update(row);
    });
    this.updateTimeMs += performance.now() - start;
  }

  finishBatch(emit: (row: Row) => void): void {
    const start = performance.now();
    const state = this.state!;
    const info = this.info!;
    const { aggregates } = this.config;
    const nAgg = aggregates.length;
    const touched = this.touched.filter((g) => !g.late);
    // A global aggregate (no grouping keys) has its one row even before any input, as in Spark.
    if (this.keyFns.length === 0 && touched.length === 0 && state.size === 0) {
      touched.push({ key: [], at: undefined, buffers: aggregates.map((a) => a.create()), late: false });
    }
    for (const g of touched) {
      state.put(
        g.key,
        g.buffers.map((b) => b.toState()),
        g.at,
      );
    }
    if (info.outputMode === 'complete') {
      for (const [key, value] of state.iterator()) emit(this.resultRow(key, value));
    } else if (info.outputMode === 'update') {
      for (const g of touched) {
        const row = g.key.slice();
        for (let i = 0; i < nAgg; i++) row.push(g.buffers[i]!.result());
        emit(row);
      }
    }
    this.updateTimeMs += performance.now() - start;
    // Complete mode keeps every group (its output is the whole result); the others evict.
    const et = this.config.eventTimeKey;
    if (et && info.hasWatermark && info.outputMode !== 'complete') {
      const r0 = performance.now();
      const limit = info.watermarkMs * 1000;
      for (const [key, value] of state.iterator()) {
        const t = eventTimeMicros(key[et.index], et.column.kind);
        if (t === null || t > limit) continue;
        if (info.outputMode === 'append') emit(this.resultRow(key, value));
        state.remove(key);
      }
      this.removalTimeMs = performance.now() - r0;
    }
    this.lastEvictionWatermarkMs = info.watermarkMs;
    this.touched = [];
    this.index.clear();
  }

  private lateMicros(): number | undefined {
    const info = this.info!;
    return info.hasWatermark && info.lateWatermarkMs > 0 ? info.lateWatermarkMs * 1000 : undefined;
  }

  private restore(state: ShardedStateStore, key: Row, at: KeyLocation): AggregateBuffer[] {
    const value = state.get(key, at);
    const { aggregates } = this.config;
    if (value === undefined) return aggregates.map((a) => a.create());
    return aggregates.map((a, i) => a.fromState(value[i]));
  }

  private resultRow(key: Row, value: Row): Row {
    const row = key.slice();
    const { aggregates } = this.config;
    for (let i = 0; i < aggregates.length; i++) row.push(aggregates[i]!.fromState(value[i]).result());
    return row;
  }

  needsNoDataBatch(nextWatermarkMs: number): boolean {
    // Spark's StateStoreSaveExec.shouldRunAnotherBatch: an event-time key, a mode that evicts, and
    // a watermark that moved past the one the last batch evicted with.
    return (
      this.config.eventTimeKey !== undefined &&
      this.config.outputMode !== 'complete' &&
      nextWatermarkMs > this.lastEvictionWatermarkMs
    );
  }

  commit(): StateOperatorProgress {
    const state = this.state!;
    const m = state.commit();
    return stateProgress('stateStoreSave', m, state.numShards, {
      updatesMs: this.updateTimeMs,
      removalsMs: this.removalTimeMs,
      droppedByWatermark: this.droppedByWatermark,
    });
  }

  abort(): void {
    this.state?.abort();
    this.touched = [];
    this.index.clear();
  }

  close(): void {
    this.state?.close();
    this.state = undefined;
  }

  /** The version the batch loaded (for tests). */
  get stateVersion(): number {
    return this.version;
  }
}
