import { encodeKey, estimateSize } from '../../state/key-encoding.js';
import { loadStateVersion } from '../../state/memory-state-store-provider.js';
import { isInMemoryProvider } from '../../state/registry.js';
import { type SnapshotWriter, StateFiles } from '../../state/state-files.js';
import type { StateStoreConf } from '../../state/state-store.js';
import type { Row } from '../../types/data-type.js';
import { FNV_OFFSET, hashMix, type ShardedMetrics, ShardedStateStore } from './sharded-state.js';
import type { StatefulOperatorContext } from './stateful-operator.js';

/** A buffered row of a join side with its index under its key and its matched flag. */
export interface BufferedRow {
  readonly row: Row;
  readonly index: number;
  readonly matched: boolean;
}

/**
 * One side's buffered rows, in Spark's layout of two stores per side: `<side>-keyToNumValues`
 * (join key → number of rows) and `<side>-keyWithIndexToValue` (join key ++ index → row ++
 * matched), so that the state data source reads a side as Spark does. Two implementations
 * (docs/decisions/0007): over the generic state stores, and, with the in-memory provider, rows
 * kept per key that write the same files.
 */
export interface JoinSide {
  /**
   * The event time (µs) the side's state-cleanup rule reads from a buffered row, when it has one;
   * with it the side knows the smallest buffered time and skips scanning what cannot be evicted.
   */
  timeOf: ((key: Row, row: Row) => number | null) | undefined;
  /** The smallest `timeOf` of a buffered row, or -Infinity when not known. */
  readonly minTime: number;
  /** Rows appended in this batch. */
  readonly appended: number;
  readonly numRows: number;
  /** Loads committed `version` for this batch's updates. */
  load(version: number): void;
  /** The rows stored under `key`, in index order. */
  get(key: Row): readonly BufferedRow[];
  setMatched(key: Row, index: number, row: Row): void;
  append(key: Row, row: Row, matched: boolean): void;
  /**
   * Removes the rows `drop` selects (all rows of keys `dropKey` selects) and returns them with
   * their matched flag. The kept rows of a key are renumbered from 0.
   */
  removeWhere(dropKey: (key: Row) => boolean, drop: (row: Row) => boolean): { row: Row; matched: boolean }[];
  /** Commits the batch as the next version: the metrics of the counts store and the values store. */
  commit(): [ShardedMetrics, ShardedMetrics];
  abort(): void;
  close(): void;
}

export function openJoinSide(
  ctx: StatefulOperatorContext,
  operatorId: number,
  side: 'left' | 'right',
): JoinSide {
  return isInMemoryProvider(ctx.providerName)
    ? new InMemoryJoinSide(ctx, operatorId, side)
    : new StoreJoinSide(ctx, operatorId, side);
}

/** The smallest buffered time, kept as rows come and rebuilt by a full eviction scan. */
abstract class MinTimeTracking {
  timeOf: ((key: Row, row: Row) => number | null) | undefined;
  minTime = Number.NEGATIVE_INFINITY;

  protected noteTime(key: Row, row: Row): void {
    const t = this.timeOf?.(key, row);
    if (t !== null && t !== undefined && t < this.minTime) this.minTime = t;
  }
}

/** A join side over two generic state stores (any provider; used for the on-disk one). */
class StoreJoinSide extends MinTimeTracking implements JoinSide {
  private readonly counts: ShardedStateStore;
  private readonly values: ShardedStateStore;
  appended = 0;
  private loadedVersion: number | undefined;

  constructor(ctx: StatefulOperatorContext, operatorId: number, side: 'left' | 'right') {
    super();
    this.counts = new ShardedStateStore(ctx, operatorId, `${side}-keyToNumValues`);
    this.values = new ShardedStateStore(ctx, operatorId, `${side}-keyWithIndexToValue`);
  }

  load(version: number): void {
    this.counts.load(version);
    this.values.load(version);
    this.appended = 0;
    // Known only along committed versions: a re-run batch or a restart starts unknown (or empty).
    if (this.loadedVersion === undefined || version !== this.loadedVersion + 1)
      this.minTime = this.values.size === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.loadedVersion = version;
  }

  private count(key: Row): number {
    return (this.counts.get(key)?.[0] as number | undefined) ?? 0;
  }

  get(key: Row): BufferedRow[] {
    const n = this.count(key);
    const out: BufferedRow[] = [];
    for (let i = 0; i < n; i++) {
      const v = this.values.get([...key, i]);
      if (!v) continue;
      out.push({ row: v.slice(0, -1), index: i, matched: v[v.length - 1] === true });
    }
    return out;
  }

  setMatched(key: Row, index: number, row: Row): void {
    this.values.put([...key, index], [...row, true]);
  }

  append(key: Row, row: Row, matched: boolean): void {
    const n = this.count(key);
    this.values.put([...key, n], [...row, matched]);
    this.counts.put(key, [n + 1]);
    this.appended++;
    this.noteTime(key, row);
  }

  removeWhere(dropKey: (key: Row) => boolean, drop: (row: Row) => boolean): { row: Row; matched: boolean }[] {
    const removed: { row: Row; matched: boolean }[] = [];
    const keys: Row[] = [];
    for (const [key] of this.counts.iterator()) keys.push(key);
    // Only sides with a cleanup rule (and so a `timeOf`) are scanned: the minimum is rebuilt here.
    this.minTime = Number.POSITIVE_INFINITY;
    for (const key of keys) {
      const rows = this.get(key);
      const wholeKey = dropKey(key);
      const kept = wholeKey ? [] : rows.filter((r) => !drop(r.row));
      for (const r of kept) this.noteTime(key, r.row);
      if (kept.length === rows.length) continue;
      for (const r of rows) if (wholeKey || drop(r.row)) removed.push({ row: r.row, matched: r.matched });
      kept.forEach((r, i) => {
        if (r.index !== i) this.values.put([...key, i], [...r.row, r.matched]);
      });
      for (let i = kept.length; i < rows.length; i++) this.values.remove([...key, i]);
      if (kept.length === 0) this.counts.remove(key);
      else this.counts.put(key, [kept.length]);
    }
    return removed;
  }

  get numRows(): number {
    return this.values.size;
  }

  commit(): [ShardedMetrics, ShardedMetrics] {
    return [this.counts.commit(), this.values.commit()];
  }

  abort(): void {
    this.counts.abort();
    this.values.abort();
  }

  close(): void {
    this.counts.close();
    this.values.close();
  }
}

/** The rows of one join key: the heap's copy of the side, and what the checkpoint holds of it. */
interface KeyRows {
  readonly key: Row;
  rows: Row[];
  matched: boolean[];
  /** How many rows the committed version holds under this key. */
  stored: number;
  /** The first index whose row or flag changed since the committed version (Infinity: none). */
  changedFrom: number;
}

const NO_ROWS: readonly BufferedRow[] = [];

/**
 * A join key as a key of the side's in-memory map: a one-column numeric key as the number itself
 * (a `Map` hashes it without building a string; -0 and 0, and NaN and NaN, are one key as Spark's
 * join keys are), any other key as its state encoding (a string, so never equal to a number).
 */
function memoryKey(key: Row): string | number {
  return key.length === 1 && typeof key[0] === 'number' ? key[0] : encodeKey(key);
}

/** One shard's files of both stores. */
interface ShardFiles {
  readonly counts: StateFiles;
  readonly values: StateFiles;
}

/** The shard of `key ++ index` (`keyHash`: the key's hash state). */
function shardOfIndex(n: number, keyHash: number, index: number): number {
  return n === 1 ? 0 : (hashMix(keyHash, index) >>> 0) % n;
}

/** `key ++ index`, the key of the values store. */
function keyWithIndex(key: Row, index: number): Row {
  const k: unknown[] = new Array(key.length + 1);
  for (let c = 0; c < key.length; c++) k[c] = key[c];
  k[key.length] = index;
  return k;
}

/** A buffered row with its matched flag last, the value of the values store. */
function valueWithMatched(row: Row, matched: boolean): Row {
  const v: unknown[] = new Array(row.length + 1);
  for (let c = 0; c < row.length; c++) v[c] = row[c];
  v[row.length] = matched;
  return v;
}

/**
 * A join side for the in-memory provider (docs/decisions/0007): rows kept per join key; a commit
 * writes every shard's delta of both stores exactly as the in-memory provider would for the same
 * changes, and its snapshots on the provider's schedule; a version it does not hold (first batch,
 * after an abort) is rebuilt from those files.
 */
class InMemoryJoinSide extends MinTimeTracking implements JoinSide {
  private readonly byKey = new Map<string | number, KeyRows>();
  private changed: KeyRows[] = [];
  private readonly shards: ShardFiles[] = [];
  private readonly conf: StateStoreConf;
  /** The committed version `byKey` holds (-1: rebuild on load). */
  private version = -1;
  /** The version this batch updates (its commit makes `batchVersion + 1`). */
  private batchVersion = -1;
  private rowCount = 0;
  private lastSnapshotVersion: number | undefined;
  appended = 0;
  private cacheHits = 0;
  private cacheMisses = 0;

  constructor(ctx: StatefulOperatorContext, operatorId: number, side: 'left' | 'right') {
    super();
    this.conf = ctx.storeConf;
    for (let partitionId = 0; partitionId < ctx.numShards; partitionId++) {
      const id = (storeName: string) => ({ stateDir: ctx.stateDir, operatorId, partitionId, storeName });
      this.shards.push({
        counts: new StateFiles(id(`${side}-keyToNumValues`)),
        values: new StateFiles(id(`${side}-keyWithIndexToValue`)),
      });
    }
  }

  load(version: number): void {
    if (version === this.version) {
      this.cacheHits++;
    } else {
      this.cacheMisses++;
      this.rebuild(version);
      this.minTime = this.rowCount === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    }
    this.batchVersion = version;
    this.appended = 0;
  }

  /** Reads committed `version` of every shard's values store (the counts follow from it). */
  private rebuild(version: number): void {
    this.byKey.clear();
    this.changed = [];
    this.rowCount = 0;
    for (const shard of this.shards) {
      for (const [keyWithIndex, value] of loadStateVersion(shard.values, version).values()) {
        const key = keyWithIndex.slice(0, -1);
        const index = keyWithIndex[keyWithIndex.length - 1] as number;
        const kr = this.rowsOf(key);
        kr.rows[index] = value.slice(0, -1);
        kr.matched[index] = value[value.length - 1] === true;
      }
    }
    for (const kr of this.byKey.values()) {
      kr.stored = kr.rows.length;
      this.rowCount += kr.rows.length;
    }
    this.version = version;
  }

  /** The rows of `key`, an empty entry added for a key without rows. */
  private rowsOf(key: Row): KeyRows {
    const k = memoryKey(key);
    let kr = this.byKey.get(k);
    if (!kr) {
      kr = { key, rows: [], matched: [], stored: 0, changedFrom: Number.POSITIVE_INFINITY };
      this.byKey.set(k, kr);
    }
    return kr;
  }

  private touch(kr: KeyRows, from: number): void {
    if (kr.changedFrom === Number.POSITIVE_INFINITY) this.changed.push(kr);
    if (from < kr.changedFrom) kr.changedFrom = from;
  }

  get(key: Row): readonly BufferedRow[] {
    const kr = this.byKey.get(memoryKey(key));
    if (!kr) return NO_ROWS;
    const out: BufferedRow[] = new Array(kr.rows.length);
    for (let i = 0; i < kr.rows.length; i++) out[i] = { row: kr.rows[i]!, index: i, matched: kr.matched[i]! };
    return out;
  }

  setMatched(key: Row, index: number): void {
    const kr = this.byKey.get(memoryKey(key));
    if (!kr || kr.matched[index]) return;
    kr.matched[index] = true;
    this.touch(kr, index);
  }

  append(key: Row, row: Row, matched: boolean): void {
    const kr = this.rowsOf(key);
    kr.rows.push(row);
    kr.matched.push(matched);
    this.touch(kr, kr.rows.length - 1);
    this.rowCount++;
    this.appended++;
    this.noteTime(key, row);
  }

  removeWhere(dropKey: (key: Row) => boolean, drop: (row: Row) => boolean): { row: Row; matched: boolean }[] {
    const removed: { row: Row; matched: boolean }[] = [];
    this.minTime = Number.POSITIVE_INFINITY;
    for (const kr of this.byKey.values()) {
      const n = kr.rows.length;
      if (n === 0) continue;
      if (dropKey(kr.key)) {
        for (let i = 0; i < n; i++) removed.push({ row: kr.rows[i]!, matched: kr.matched[i]! });
        kr.rows = [];
        kr.matched = [];
        this.touch(kr, 0);
        continue;
      }
      let first = -1;
      for (let i = 0; i < n; i++) {
        if (drop(kr.rows[i]!)) {
          first = i;
          break;
        }
        this.noteTime(kr.key, kr.rows[i]!);
      }
      if (first < 0) continue;
      const rows = kr.rows.slice(0, first);
      const matched = kr.matched.slice(0, first);
      for (let i = first; i < n; i++) {
        const row = kr.rows[i]!;
        if (i === first || drop(row)) removed.push({ row, matched: kr.matched[i]! });
        else {
          rows.push(row);
          matched.push(kr.matched[i]!);
          this.noteTime(kr.key, row);
        }
      }
      kr.rows = rows;
      kr.matched = matched;
      this.touch(kr, first);
    }
    this.rowCount -= removed.length;
    return removed;
  }

  get numRows(): number {
    return this.rowCount;
  }

  commit(): [ShardedMetrics, ShardedMetrics] {
    const start = performance.now();
    const n = this.shards.length;
    const next = this.batchVersion + 1;
    // Every shard gets a delta for every version, empty or not: loading a version needs them all.
    // Records are encoded as they are made (none outlives its encoding: a join side's delta can
    // hold every row it buffered in the batch).
    const countDeltas = this.shards.map((shard) => shard.counts.deltaWriter(next));
    const valueDeltas = this.shards.map((shard) => shard.values.deltaWriter(next));
    let updatedValues = 0;
    let removedValues = 0;
    let countChanges = 0;
    for (const kr of this.changed) {
      const { key, rows, matched, stored } = kr;
      const len = rows.length;
      // `key ++ index` hashes as the key's hash state mixed with the index.
      const keyHash = n === 1 ? 0 : key.reduce(hashMix, FNV_OFFSET);
      for (let i = kr.changedFrom; i < len; i++) {
        valueDeltas[shardOfIndex(n, keyHash, i)]!.add([
          1,
          keyWithIndex(key, i),
          valueWithMatched(rows[i]!, matched[i]!),
        ]);
        updatedValues++;
      }
      for (let i = len; i < stored; i++) {
        valueDeltas[shardOfIndex(n, keyHash, i)]!.add([0, keyWithIndex(key, i)]);
        removedValues++;
      }
      if (len !== stored) {
        countDeltas[n === 1 ? 0 : (keyHash >>> 0) % n]!.add(len === 0 ? [0, key] : [1, key, [len]]);
        countChanges++;
      }
      kr.stored = len;
      kr.changedFrom = Number.POSITIVE_INFINITY;
      if (len === 0) this.byKey.delete(memoryKey(key));
    }
    this.changed = [];
    for (let i = 0; i < n; i++) {
      countDeltas[i]!.finish();
      valueDeltas[i]!.finish();
    }
    this.version = next;
    const commitTimeMs = performance.now() - start;
    this.maintain(next);
    // As the provider reports them: per store instance, one per shard.
    const custom = {
      loadedMapCacheHitCount: this.cacheHits * n,
      loadedMapCacheMissCount: this.cacheMisses * n,
    };
    const valuesBytes = this.estimateBytes();
    return [
      {
        numKeys: this.byKey.size,
        numUpdated: countChanges,
        numRemoved: 0,
        memoryUsedBytes: this.byKey.size * 64,
        commitTimeMs: commitTimeMs / 2,
        custom,
      },
      {
        numKeys: this.rowCount,
        numUpdated: updatedValues,
        numRemoved: removedValues,
        memoryUsedBytes: valuesBytes,
        commitTimeMs: commitTimeMs / 2,
        custom: { ...custom },
      },
    ];
  }

  /** Snapshots both stores of every shard every `minDeltasForSnapshot` versions, then drops old files. */
  private maintain(version: number): void {
    this.lastSnapshotVersion ??= this.shards[0]!.values.latestFileVersion('snapshot');
    if (version - this.lastSnapshotVersion < this.conf.minDeltasForSnapshot) return;
    const n = this.shards.length;
    // Which keys' counts and which (key, index) values each shard holds, as references to the
    // buffered rows: the entries are made and encoded one shard at a time, as they are written.
    const countKeys: KeyRows[][] = this.shards.map(() => []);
    const valueKeys: KeyRows[][] = this.shards.map(() => []);
    const valueIndexes: number[][] = this.shards.map(() => []);
    for (const kr of this.byKey.values()) {
      const keyHash = n === 1 ? 0 : kr.key.reduce(hashMix, FNV_OFFSET);
      countKeys[n === 1 ? 0 : (keyHash >>> 0) % n]!.push(kr);
      for (let i = 0; i < kr.rows.length; i++) {
        const shard = shardOfIndex(n, keyHash, i);
        valueKeys[shard]!.push(kr);
        valueIndexes[shard]!.push(i);
      }
    }
    const write = (files: StateFiles, entries: (writer: SnapshotWriter) => void) => {
      const writer = files.snapshotWriter(version);
      try {
        entries(writer);
        writer.finish();
      } catch (err) {
        writer.abort();
        throw err;
      }
      files.cleanup(version, this.conf.minBatchesToRetain);
    };
    this.shards.forEach((shard, s) => {
      write(shard.counts, (w) => {
        for (const kr of countKeys[s]!) w.add([kr.key, [kr.rows.length]]);
      });
      write(shard.values, (w) => {
        const krs = valueKeys[s]!;
        const indexes = valueIndexes[s]!;
        for (let j = 0; j < krs.length; j++) {
          const kr = krs[j]!;
          const i = indexes[j]!;
          w.add([keyWithIndex(kr.key, i), valueWithMatched(kr.rows[i]!, kr.matched[i]!)]);
        }
      });
    });
    this.lastSnapshotVersion = version;
  }

  /** The heap the buffered rows take: exact below 2,000 keys, extrapolated from a sample above. */
  private estimateBytes(): number {
    const keys = this.byKey.size;
    if (keys === 0) return 0;
    let bytes = 0;
    let sampled = 0;
    for (const kr of this.byKey.values()) {
      bytes += 96 + estimateSize(kr.key) + kr.rows.reduce((b, r) => b + 16 + estimateSize(r), 0);
      if (++sampled >= 2000) break;
    }
    return Math.round((bytes / sampled) * keys);
  }

  abort(): void {
    // The batch's changes are in `byKey` only: drop it, the next load reads the committed files.
    this.version = -1;
    this.changed = [];
  }

  close(): void {
    this.byKey.clear();
    this.changed = [];
    this.version = -1;
  }
}
