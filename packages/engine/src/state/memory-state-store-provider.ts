import { StreamingQueryError } from '../errors.js';
import type { Row } from '../types/data-type.js';
import { encodeKey, estimateSize } from './key-encoding.js';
import { type DeltaRecord, describeStoreId as describeId, StateFiles } from './state-files.js';
import type {
  StateStore,
  StateStoreConf,
  StateStoreId,
  StateStoreMetrics,
  StateStoreProvider,
} from './state-store.js';

export { statePackr, storeDir } from './state-files.js';

type Entry = [Row, Row];

/**
 * The default provider, like Spark's HDFSBackedStateStoreProvider: the whole state lives in a
 * JavaScript Map; each commit writes `<version>.delta`, every `minDeltasForSnapshot` versions a
 * `<version>.snapshot` is written and files older than the retention are deleted. Loading any
 * retained version replays the newest snapshot at or below it plus the deltas after it.
 */
export class MemoryStateStoreProvider implements StateStoreProvider {
  readonly dir: string;
  private readonly files: StateFiles;
  /** The live map at `loadedVersion`; a store mutates it and keeps an undo log for abort. */
  private map = new Map<string, Entry>();
  private loadedVersion = -1;
  private lastSnapshotVersion = 0;
  private lastCommitTimeMs = 0;
  private cacheHits = 0;
  private cacheMisses = 0;

  constructor(
    readonly id: StateStoreId,
    readonly conf: StateStoreConf,
  ) {
    this.files = new StateFiles(id);
    this.dir = this.files.dir;
  }

  getStore(version: number): StateStore {
    if (version !== this.loadedVersion) {
      this.cacheMisses++;
      this.map = this.load(version);
      this.loadedVersion = version;
    } else {
      this.cacheHits++;
    }
    return new MemoryStateStore(this, version);
  }

  getReadStore(version: number): ReadonlyMap<string, Entry> {
    if (version === this.loadedVersion) return new Map(this.map);
    return this.load(version);
  }

  /** @internal */
  liveMap(): Map<string, Entry> {
    return this.map;
  }

  /** @internal called by a store's commit. */
  commitDelta(version: number, records: DeltaRecord[]): number {
    const start = performance.now();
    const newVersion = version + 1;
    this.files.writeDelta(newVersion, records);
    this.loadedVersion = newVersion;
    this.lastCommitTimeMs = performance.now() - start;
    return newVersion;
  }

  /** @internal called by a store's abort: the live map was restored by the store. */
  aborted(version: number): void {
    this.loadedVersion = version;
  }

  /** @internal */
  commitTimeMs(): number {
    return this.lastCommitTimeMs;
  }

  /** @internal */
  cacheMetrics(): Record<string, number> {
    return { loadedMapCacheHitCount: this.cacheHits, loadedMapCacheMissCount: this.cacheMisses };
  }

  doMaintenance(): void {
    if (this.loadedVersion <= 0) return;
    if (this.lastSnapshotVersion === 0) this.lastSnapshotVersion = this.files.latestFileVersion('snapshot');
    if (this.loadedVersion - this.lastSnapshotVersion >= this.conf.minDeltasForSnapshot) {
      const writer = this.files.snapshotWriter(this.loadedVersion);
      try {
        for (const e of this.map.values()) writer.add(e);
        writer.finish();
      } catch (err) {
        writer.abort();
        throw err;
      }
      this.lastSnapshotVersion = this.loadedVersion;
      this.files.cleanup(this.loadedVersion, this.conf.minBatchesToRetain);
    }
  }

  close(): void {
    this.map = new Map();
    this.loadedVersion = -1;
  }

  deltaPath(version: number): string {
    return this.files.deltaPath(version);
  }

  snapshotPath(version: number): string {
    return this.files.snapshotPath(version);
  }

  /** Rebuilds the map of `version` from files. */
  private load(version: number): Map<string, Entry> {
    return loadStateVersion(this.files, version);
  }
}

/** The entries of a store at `version` (keyed by their encoded key): its newest snapshot at or below, plus the deltas after. */
export function loadStateVersion(files: StateFiles, version: number): Map<string, Entry> {
  const map = new Map<string, Entry>();
  if (version === 0) return map;
  const snapshot = files.snapshotAtOrBelow(version);
  if (snapshot > 0) files.forEachSnapshotEntry(snapshot, (e) => map.set(encodeKey(e[0]), e));
  for (let v = snapshot + 1; v <= version; v++) {
    for (const r of files.readDelta(v)) {
      if (r[0] === 1) map.set(encodeKey(r[1]), [r[1], r[2]]);
      else map.delete(encodeKey(r[1]));
    }
  }
  return map;
}

/** A store over the provider's live map, with an undo log so `abort()` restores the loaded version. */
class MemoryStateStore implements StateStore {
  /** First previous value of every touched key (undefined = was absent); also the delta's keys. */
  private readonly undo = new Map<string, Entry | undefined>();
  private numUpdated = 0;
  private numRemoved = 0;
  private state: 'updating' | 'committed' | 'aborted' = 'updating';
  private readonly map: Map<string, Entry>;

  constructor(
    private readonly provider: MemoryStateStoreProvider,
    readonly version: number,
  ) {
    this.map = provider.liveMap();
  }

  get id(): StateStoreId {
    return this.provider.id;
  }

  get size(): number {
    return this.map.size;
  }

  get hasCommitted(): boolean {
    return this.state === 'committed';
  }

  get(key: Row, encoded?: string): Row | undefined {
    return this.map.get(encoded ?? encodeKey(key))?.[1];
  }

  put(key: Row, value: Row, encoded?: string): void {
    this.checkUpdating();
    const k = encoded ?? encodeKey(key);
    if (!this.undo.has(k)) this.undo.set(k, this.map.get(k));
    this.map.set(k, [key, value]);
    this.numUpdated++;
  }

  remove(key: Row): void {
    this.checkUpdating();
    const k = encodeKey(key);
    const prev = this.map.get(k);
    if (prev === undefined) return;
    if (!this.undo.has(k)) this.undo.set(k, prev);
    this.map.delete(k);
    this.numRemoved++;
  }

  *iterator(): IterableIterator<[Row, Row]> {
    for (const e of [...this.map.values()]) yield e;
  }

  commit(): number {
    this.checkUpdating();
    // The delta holds each touched key once, with its final value (as the LMDB store's): a key put
    // many times in a batch (a join's row count) is written once.
    const records: DeltaRecord[] = [];
    for (const [k, before] of this.undo) {
      const now = this.map.get(k);
      if (now !== undefined) records.push([1, now[0], now[1]]);
      else if (before !== undefined) records.push([0, before[0]]);
    }
    const v = this.provider.commitDelta(this.version, records);
    this.state = 'committed';
    return v;
  }

  abort(): void {
    if (this.state !== 'updating') return;
    for (const [k, prev] of this.undo) {
      if (prev === undefined) this.map.delete(k);
      else this.map.set(k, prev);
    }
    this.provider.aborted(this.version);
    this.state = 'aborted';
  }

  metrics(): StateStoreMetrics {
    return {
      numKeys: this.map.size,
      numUpdated: this.numUpdated,
      numRemoved: this.numRemoved,
      memoryUsedBytes: estimateMapBytes(this.map),
      commitTimeMs: this.state === 'committed' ? this.provider.commitTimeMs() : 0,
      custom: this.provider.cacheMetrics(),
    };
  }

  private checkUpdating(): void {
    if (this.state !== 'updating') {
      throw new StreamingQueryError(
        'STATE_STORE_UPDATE_AFTER_COMMIT',
        `Cannot update state store ${describeId(this.id)} version ${this.version} after it was ${this.state}`,
      );
    }
  }
}

/** Estimates the map's heap: exact below 2000 keys, extrapolated from a sample above. */
function estimateMapBytes(map: Map<string, Entry>): number {
  const n = map.size;
  if (n === 0) return 0;
  const sampleSize = Math.min(n, 2000);
  let bytes = 0;
  let i = 0;
  for (const [k, e] of map) {
    bytes += 48 + k.length * 2 + estimateSize(e[0]) + estimateSize(e[1]);
    if (++i >= sampleSize) break;
  }
  return Math.round((bytes / sampleSize) * n);
}
