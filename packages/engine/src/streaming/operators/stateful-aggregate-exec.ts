import type { AggregateBuffer, BoundAggregate, BoundExpr } from '../../plan/expr-api.js';
import { compileExpr } from '../../plan/expr-api.js';
import { getStateStoreProviderFactory } from '../../state/registry.js';
import type { StateStore, StateStoreProvider } from '../../state/state-store.js';
import type { Row } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';
import { GroupIndex } from './group-index.js';
import type { BatchInfo, StatefulOperator, StatefulOperatorContext } from './stateful-operator.js';

/** Plain config: the aggregate's bound grouping and aggregate expressions. */
export interface StatefulAggregateConfig {
  readonly operatorId: number;
  readonly groupings: readonly BoundExpr[];
  readonly aggregates: readonly BoundAggregate[];
}

interface Group {
  key: Row;
  buffers: AggregateBuffer[];
}

/**
 * Streaming aggregation (Spark's StateStoreRestore + HashAggregate + StateStoreSave): each batch's
 * rows are aggregated into the groups' buffers restored from the state store
 * (`AggregateBuffer.toState` / `fromState`), the touched groups are saved back, and the output is
 * every group (complete mode) or only the groups this batch changed (update mode). Output rows are
 * grouping values followed by aggregate results, as the batch aggregate's.
 */
export class StatefulAggregateExec implements StatefulOperator {
  readonly name = 'StateStoreSaveExec';
  private provider: StateStoreProvider | undefined;
  private store: StateStore | undefined;
  private readonly keyFns: ((row: Row) => unknown)[];
  private version = 0;
  private updateTimeMs = 0;

  constructor(readonly config: StatefulAggregateConfig) {
    this.keyFns = config.groupings.map((g) => compileExpr(g));
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
    const factory = getStateStoreProviderFactory(ctx.providerName);
    this.provider = factory(
      { stateDir: ctx.stateDir, operatorId: this.operatorId, partitionId: 0, storeName: 'default' },
      ctx.storeConf,
    );
  }

  processBatch(rows: readonly Row[], info: BatchInfo): Row[] {
    return this.processFrom((f) => {
      for (let i = 0; i < rows.length; i++) f(rows[i]!);
    }, info);
  }

  /** `processBatch` over rows pushed by `forEachRow` (the child operator's push form, no array in between). */
  processFrom(forEachRow: (f: (row: Row) => void) => void, info: BatchInfo): Row[] {
    const start = performance.now();
    // State version N is the state after batch N-1: batch N loads version N and commits N+1.
    this.version = info.batchId;
    const store = this.provider!.getStore(info.batchId);
    this.store = store;
    const { aggregates } = this.config;
    const nAgg = aggregates.length;
    const nKeys = this.keyFns.length;
    // Groups touched by this batch, found through nested Maps (no string per row); the state
    // store's own key encoding runs once per group, not once per row.
    const touched: Group[] = [];
    const index = new GroupIndex<Group>(this.config.groupings.map((g) => g.dataType));
    const scratch: unknown[] = new Array(nKeys);
    const keyFns = this.keyFns;
    const create = (): Group => {
      const key = scratch.slice();
      const g: Group = { key, buffers: this.restore(store, key) };
      touched.push(g);
      return g;
    };
    forEachRow((row) => {
      for (let i = 0; i < nKeys; i++) scratch[i] = keyFns[i]!(row);
      const bs = index.getOrCreate(scratch, create).buffers;
      for (let i = 0; i < nAgg; i++) bs[i]!.update(row);
    });
    // A global aggregate (no grouping keys) has its one row even before any input, as in Spark.
    if (nKeys === 0 && touched.length === 0 && store.size === 0) {
      touched.push({ key: [], buffers: aggregates.map((a) => a.create()) });
    }
    for (const g of touched) {
      store.put(
        g.key,
        g.buffers.map((b) => b.toState()),
      );
    }
    const out: Row[] = [];
    if (info.outputMode === 'complete') {
      for (const [key, state] of store.iterator()) out.push(this.resultRow(key, state));
    } else {
      for (const g of touched) {
        const row = g.key.slice();
        for (let i = 0; i < nAgg; i++) row.push(g.buffers[i]!.result());
        out.push(row);
      }
    }
    this.updateTimeMs = performance.now() - start;
    return out;
  }

  private restore(store: StateStore, key: Row): AggregateBuffer[] {
    const state = store.get(key);
    const { aggregates } = this.config;
    if (state === undefined) return aggregates.map((a) => a.create());
    return aggregates.map((a, i) => a.fromState(state[i]));
  }

  private resultRow(key: Row, state: Row): Row {
    const row = key.slice();
    const { aggregates } = this.config;
    for (let i = 0; i < aggregates.length; i++) row.push(aggregates[i]!.fromState(state[i]).result());
    return row;
  }

  onWatermark(): Row[] {
    return [];
  }

  needsNoDataBatch(): boolean {
    return false;
  }

  checkpoint(): StateOperatorProgress {
    const store = this.store!;
    const m0 = store.metrics();
    store.commit();
    const m = store.metrics();
    this.provider!.doMaintenance();
    this.store = undefined;
    return {
      operatorName: 'stateStoreSave',
      numRowsTotal: m.numKeys,
      numRowsUpdated: m0.numUpdated,
      allUpdatesTimeMs: Math.round(this.updateTimeMs),
      numRowsRemoved: m0.numRemoved,
      allRemovalsTimeMs: 0,
      commitTimeMs: Math.round(m.commitTimeMs),
      memoryUsedBytes: m.memoryUsedBytes,
      numRowsDroppedByWatermark: 0,
      numShufflePartitions: 1,
      numStateStoreInstances: 1,
      customMetrics: { ...m.custom, stateOnCurrentVersionSizeBytes: m.memoryUsedBytes },
    };
  }

  abort(): void {
    this.store?.abort();
    this.store = undefined;
  }

  close(): void {
    this.abort();
    this.provider?.close();
    this.provider = undefined;
  }

  /** The version the next batch loads (for tests). */
  get stateVersion(): number {
    return this.version;
  }
}
