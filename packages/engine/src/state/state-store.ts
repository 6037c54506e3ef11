import type { Row } from '../types/data-type.js';

/**
 * Identifies one store: an operator's partition, under a checkpoint's `state/` directory.
 * A stream-stream join keeps four named stores per partition; every other operator uses `default`.
 */
export interface StateStoreId {
  /** The checkpoint's `state/` directory. */
  readonly stateDir: string;
  readonly operatorId: number;
  readonly partitionId: number;
  /** `default`, or e.g. `left-keyToNumValues` for join state. */
  readonly storeName: string;
}

/** Metrics of one store version, reported in `stateOperators[]` of the progress. */
export interface StateStoreMetrics {
  /** Keys in the store (Spark's numRowsTotal). */
  numKeys: number;
  /** Puts since the version was loaded. */
  numUpdated: number;
  /** Removes since the version was loaded. */
  numRemoved: number;
  /** Estimated heap used by keys and values. */
  memoryUsedBytes: number;
  /** Time spent in the last `commit()`. */
  commitTimeMs: number;
  /** Provider-specific metrics (Spark's customMetrics). */
  custom: Record<string, number>;
}

/**
 * A versioned key-value store, modeled on Spark's StateStore: load version V, apply updates,
 * `commit()` makes version V+1 durable (a `.delta` file); `abort()` throws the updates away.
 * Keys and values are rows (positional arrays of engine values).
 */
export interface StateStore {
  readonly id: StateStoreId;
  /** The version this store was loaded at (the committed one it updates). */
  readonly version: number;
  /** `encoded` is `encodeKey(key)` when the caller has it (an operator touching a key several times). */
  get(key: Row, encoded?: string): Row | undefined;
  put(key: Row, value: Row, encoded?: string): void;
  remove(key: Row): void;
  /** Every (key, value) pair, in no particular order. Safe against removal of the current key. */
  iterator(): IterableIterator<[Row, Row]>;
  /** Number of keys. */
  readonly size: number;
  /** Makes the updates durable as version `version + 1` and returns that version. */
  commit(): number;
  /** Discards the updates; the provider returns to `version`. */
  abort(): void;
  readonly hasCommitted: boolean;
  metrics(): StateStoreMetrics;
}

/** Creates stores for one StateStoreId. One provider per (operator, partition, storeName) per query run. */
export interface StateStoreProvider {
  readonly id: StateStoreId;
  /** The store at committed version `version` (0 = empty), ready for updates. */
  getStore(version: number): StateStore;
  /** A read-only view of `version` (state data source, tests). */
  getReadStore(version: number): ReadonlyMap<string, [Row, Row]>;
  /** Snapshots and deletes files older than the retention (called after commits). */
  doMaintenance(): void;
  close(): void;
}

/** Options every provider gets (Spark's confs of the same meaning). */
export interface StateStoreConf {
  /** `spark.sql.streaming.stateStore.minDeltasForSnapshot` (10). */
  minDeltasForSnapshot: number;
  /** `spark.sql.streaming.minBatchesToRetain` (100). */
  minBatchesToRetain: number;
}

export const defaultStateStoreConf: StateStoreConf = { minDeltasForSnapshot: 10, minBatchesToRetain: 100 };

export type StateStoreProviderFactory = (id: StateStoreId, conf: StateStoreConf) => StateStoreProvider;
