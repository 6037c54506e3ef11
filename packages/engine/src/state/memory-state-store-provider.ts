import * as fs from 'node:fs';
import * as path from 'node:path';
import { addExtension, Packr } from 'msgpackr';
import { StreamingQueryError } from '../errors.js';
import { writeFileAtomic } from '../streaming/checkpoint/atomic-file.js';
import type { Row } from '../types/data-type.js';
import { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import { encodeKey, estimateSize } from './key-encoding.js';
import type {
  StateStore,
  StateStoreConf,
  StateStoreId,
  StateStoreMetrics,
  StateStoreProvider,
} from './state-store.js';

// Engine values that are classes keep their class through state files (and key encoding).
addExtension({
  Class: Decimal,
  type: 0x41,
  write: (d: Decimal) => [d.unscaled.toString(), d.scale],
  read: (v: [string, number]) => new Decimal(BigInt(v[0]), v[1]),
});
addExtension({
  Class: Interval,
  type: 0x42,
  write: (i: Interval) => [i.months, i.days, i.micros],
  read: (v: [number, number, number]) => new Interval(v[0], v[1], v[2]),
});

/** msgpack with Maps kept as Maps and typed arrays kept. Shared with other providers. */
export const statePackr = new Packr({ mapsAsObjects: false, useRecords: false, moreTypes: true });

type Entry = [Row, Row];
/** One update of a delta file: [1, key, value] put, [0, key] remove. */
type DeltaRecord = [1, Row, Row] | [0, Row];

const FORMAT = 'sluice-state-v1';

/** Directory of a store: `state/<op>/<part>` or `state/<op>/<part>/<storeName>`. */
export function storeDir(id: StateStoreId): string {
  const base = path.join(id.stateDir, String(id.operatorId), String(id.partitionId));
  return id.storeName === 'default' ? base : path.join(base, id.storeName);
}

/**
 * The default provider, like Spark's HDFSBackedStateStoreProvider: the whole state lives in a
 * JavaScript Map; each commit writes `<version>.delta`, every `minDeltasForSnapshot` versions a
 * `<version>.snapshot` is written and files older than the retention are deleted. Loading any
 * retained version replays the newest snapshot at or below it plus the deltas after it.
 */
export class MemoryStateStoreProvider implements StateStoreProvider {
  readonly dir: string;
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
    this.dir = storeDir(id);
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
    writeFileAtomic(this.deltaPath(newVersion), statePackr.pack([FORMAT, records]));
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
    if (this.lastSnapshotVersion === 0) this.lastSnapshotVersion = this.latestFileVersion('snapshot');
    if (this.loadedVersion - this.lastSnapshotVersion >= this.conf.minDeltasForSnapshot) {
      const entries: Entry[] = [...this.map.values()];
      writeFileAtomic(this.snapshotPath(this.loadedVersion), statePackr.pack([FORMAT, entries]));
      this.lastSnapshotVersion = this.loadedVersion;
      this.cleanup();
    }
  }

  close(): void {
    this.map = new Map();
    this.loadedVersion = -1;
  }

  deltaPath(version: number): string {
    return path.join(this.dir, `${version}.delta`);
  }

  snapshotPath(version: number): string {
    return path.join(this.dir, `${version}.snapshot`);
  }

  /** Deletes files no longer needed to load any of the newest `minBatchesToRetain` versions. */
  private cleanup(): void {
    const earliestToKeep = this.loadedVersion - this.conf.minBatchesToRetain + 1;
    if (earliestToKeep <= 0) return;
    const files = this.listFiles();
    // The newest snapshot at or below earliestToKeep is the base every retained version needs.
    const base = files
      .filter((f) => f.kind === 'snapshot' && f.version <= earliestToKeep)
      .reduce((m, f) => Math.max(m, f.version), 0);
    if (base === 0) return;
    for (const f of files) {
      if (f.version < base || (f.version === base && f.kind === 'delta')) {
        fs.rmSync(path.join(this.dir, f.name), { force: true });
      }
    }
  }

  private listFiles(): { name: string; version: number; kind: 'delta' | 'snapshot' }[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: { name: string; version: number; kind: 'delta' | 'snapshot' }[] = [];
    for (const name of names) {
      const m = /^(\d+)\.(delta|snapshot)$/.exec(name);
      if (m) out.push({ name, version: Number(m[1]), kind: m[2] as 'delta' | 'snapshot' });
    }
    return out;
  }

  private latestFileVersion(kind: 'delta' | 'snapshot'): number {
    return this.listFiles()
      .filter((f) => f.kind === kind)
      .reduce((m, f) => Math.max(m, f.version), 0);
  }

  /** Rebuilds the map of `version` from files. */
  private load(version: number): Map<string, Entry> {
    const map = new Map<string, Entry>();
    if (version === 0) return map;
    const files = this.listFiles();
    const snapshot = files
      .filter((f) => f.kind === 'snapshot' && f.version <= version)
      .reduce((m, f) => Math.max(m, f.version), 0);
    if (snapshot > 0) {
      const file = this.snapshotPath(snapshot);
      const entries = this.readFile(file) as Entry[];
      for (const e of entries) map.set(encodeKey(e[0]), e);
    }
    for (let v = snapshot + 1; v <= version; v++) {
      const file = this.deltaPath(v);
      if (!fs.existsSync(file)) {
        throw new StreamingQueryError(
          'CANNOT_LOAD_STATE_STORE',
          `Error reading delta file ${file} of state store ${describeId(this.id)}: ${file} does not exist`,
        );
      }
      const records = this.readFile(file) as DeltaRecord[];
      for (const r of records) {
        if (r[0] === 1) map.set(encodeKey(r[1]), [r[1], r[2]]);
        else map.delete(encodeKey(r[1]));
      }
    }
    return map;
  }

  private readFile(file: string): unknown {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (err) {
      throw this.corrupt(file, (err as Error).message);
    }
    let obj: unknown;
    try {
      obj = statePackr.unpack(buf);
    } catch (err) {
      throw this.corrupt(file, (err as Error).message);
    }
    if (!Array.isArray(obj) || obj[0] !== FORMAT || !Array.isArray(obj[1])) {
      throw this.corrupt(file, 'unknown format');
    }
    return obj[1];
  }

  private corrupt(file: string, reason: string): StreamingQueryError {
    return new StreamingQueryError(
      'CANNOT_LOAD_STATE_STORE',
      `The state file ${file} of state store ${describeId(this.id)} is corrupt: ${reason}`,
    );
  }
}

function describeId(id: StateStoreId): string {
  return `[operatorId=${id.operatorId}, partitionId=${id.partitionId}, storeName=${id.storeName}]`;
}

/** A store over the provider's live map, with an undo log so `abort()` restores the loaded version. */
class MemoryStateStore implements StateStore {
  private readonly records: DeltaRecord[] = [];
  /** First previous value of every touched key (undefined = was absent). */
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

  get(key: Row): Row | undefined {
    return this.map.get(encodeKey(key))?.[1];
  }

  put(key: Row, value: Row): void {
    this.checkUpdating();
    const k = encodeKey(key);
    if (!this.undo.has(k)) this.undo.set(k, this.map.get(k));
    this.map.set(k, [key, value]);
    this.records.push([1, key, value]);
    this.numUpdated++;
  }

  remove(key: Row): void {
    this.checkUpdating();
    const k = encodeKey(key);
    const prev = this.map.get(k);
    if (prev === undefined) return;
    if (!this.undo.has(k)) this.undo.set(k, prev);
    this.map.delete(k);
    this.records.push([0, key]);
    this.numRemoved++;
  }

  *iterator(): IterableIterator<[Row, Row]> {
    for (const e of [...this.map.values()]) yield e;
  }

  commit(): number {
    this.checkUpdating();
    const v = this.provider.commitDelta(this.version, this.records);
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
