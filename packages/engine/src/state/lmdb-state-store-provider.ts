import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { StreamingQueryError } from '../errors.js';
import type { Row } from '../types/data-type.js';
import { encodeKey, estimateSize } from './key-encoding.js';
import { MemoryStateStoreProvider } from './memory-state-store-provider.js';
import { type DeltaRecord, describeStoreId, type StateEntry, StateFiles, statePackr } from './state-files.js';
import type {
  StateStore,
  StateStoreConf,
  StateStoreId,
  StateStoreMetrics,
  StateStoreProvider,
} from './state-store.js';

/**
 * Where working copies live: one fresh directory per provider instance, named `<pid>-<random>`
 * so that directories left by killed processes can be recognised and deleted.
 */
export function lmdbLocalRoot(): string {
  return process.env.SLUICE_STATE_LOCAL_DIR ?? path.join(os.tmpdir(), 'sluice-lmdb-state');
}

/** Updates written to LMDB per write transaction while rebuilding (bounds LMDB's dirty pages). */
const REBUILD_TXN_SIZE = 100_000;
/** LMDB's key limit is 1978 bytes; longer encodings are stored under their SHA-256. */
const MAX_KEY_BYTES = 1900;

/** One touched key of the running batch: its new value, or `undefined` for a removal. */
interface OverlayEntry {
  readonly key: Row;
  readonly value: Row | undefined;
  /** Whether LMDB (the loaded version) has the key. */
  readonly inBase: boolean;
}

/**
 * The on-disk provider (docs/decisions/0004): the checkpoint's `.delta`/`.snapshot` files (the
 * same files as the in-memory provider's) are the durable truth; an LMDB environment in a local
 * directory holds the loaded version so that the state lives outside the Node heap. A batch's
 * updates stay in an overlay until `commit()` writes them as the delta and then applies them to
 * LMDB in one write transaction; `abort()` drops the overlay.
 */
export class LmdbStateStoreProvider implements StateStoreProvider {
  readonly files: StateFiles;
  private db: RootDatabase<Uint8Array, string> | undefined;
  private localDir: string | undefined;
  /** The version LMDB holds (-1 = none, or unknown after a failed write). */
  private loadedVersion = -1;
  private numKeys = 0;
  private lastSnapshotVersion = 0;
  private lastCommitTimeMs = 0;
  private rebuilds = 0;
  private reuses = 0;

  constructor(
    readonly id: StateStoreId,
    readonly conf: StateStoreConf,
  ) {
    this.files = new StateFiles(id);
  }

  /** The working copy's directory (tests). */
  get workingDir(): string | undefined {
    return this.localDir;
  }

  getStore(version: number): StateStore {
    if (version !== this.loadedVersion) {
      this.rebuilds++;
      this.rebuild(version);
    } else {
      this.reuses++;
    }
    return new LmdbStateStore(this, version);
  }

  getReadStore(version: number): ReadonlyMap<string, StateEntry> {
    if (version !== this.loadedVersion) {
      return new MemoryStateStoreProvider(this.id, this.conf).getReadStore(version);
    }
    const map = new Map<string, StateEntry>();
    for (const bytes of this.database()
      .getRange({ snapshot: true })
      .map((e) => e.value)) {
      const e = statePackr.unpack(bytes) as StateEntry;
      map.set(encodeKey(e[0]), e);
    }
    return map;
  }

  doMaintenance(): void {
    if (this.loadedVersion <= 0) return;
    if (this.lastSnapshotVersion === 0) this.lastSnapshotVersion = this.files.latestFileVersion('snapshot');
    if (this.loadedVersion - this.lastSnapshotVersion < this.conf.minDeltasForSnapshot) return;
    const writer = this.files.snapshotWriter(this.loadedVersion);
    try {
      // LMDB values are the entries' msgpack bytes: copied into the snapshot without decoding.
      for (const { value } of this.database().getRange({ snapshot: true })) writer.addPacked(value);
      writer.finish();
    } catch (err) {
      writer.abort();
      throw err;
    }
    this.lastSnapshotVersion = this.loadedVersion;
    this.files.cleanup(this.loadedVersion, this.conf.minBatchesToRetain);
  }

  close(): void {
    const db = this.db;
    const dir = this.localDir;
    this.db = undefined;
    this.localDir = undefined;
    this.loadedVersion = -1;
    if (!db || !dir) return;
    const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
    db.close().then(remove, remove);
  }

  /** @internal */
  baseGet(lmdbKey: string): Row | undefined {
    const bytes = this.database().getBinaryFast(lmdbKey);
    if (bytes === undefined) return undefined;
    return (statePackr.unpack(bytes) as StateEntry)[1];
  }

  /** @internal */
  baseHas(lmdbKey: string): boolean {
    return this.database().doesExist(lmdbKey);
  }

  /** @internal */
  baseSize(): number {
    return this.numKeys;
  }

  /** @internal every committed entry, as its LMDB key and decoded entry. */
  *baseEntries(): IterableIterator<[string, StateEntry]> {
    for (const { key, value } of this.database().getRange({ snapshot: true })) {
      yield [key, statePackr.unpack(value) as StateEntry];
    }
  }

  /**
   * @internal called by a store's commit: the delta file first (the durable truth), then LMDB.
   * Returns the new version.
   */
  commitOverlay(version: number, overlay: Map<string, OverlayEntry>, sizeDelta: number): number {
    const start = performance.now();
    const newVersion = version + 1;
    const records: DeltaRecord[] = [];
    for (const o of overlay.values()) records.push(o.value ? [1, o.key, o.value] : [0, o.key]);
    this.files.writeDelta(newVersion, records);
    // From here the checkpoint has the new version; if LMDB fails the working copy is stale.
    this.loadedVersion = -1;
    const db = this.database();
    // In key order: LMDB writes a B-tree page once per run of neighbouring keys instead of once per key.
    const keys = [...overlay.keys()].sort();
    db.transactionSync(() => {
      for (const k of keys) {
        const o = overlay.get(k)!;
        if (o.value) db.put(k, statePackr.pack([o.key, o.value]));
        else if (o.inBase) db.remove(k);
      }
    });
    this.loadedVersion = newVersion;
    this.numKeys += sizeDelta;
    this.lastCommitTimeMs = performance.now() - start;
    return newVersion;
  }

  /** @internal */
  commitTimeMs(): number {
    return this.lastCommitTimeMs;
  }

  /** @internal */
  customMetrics(): Record<string, number> {
    const stats = this.db?.getStats() as
      | { pageSize: number; treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number }
      | undefined;
    const pages = stats ? stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages : 0;
    return {
      lmdbDataBytes: stats ? pages * stats.pageSize : 0,
      lmdbLoadedVersionReuseCount: this.reuses,
      lmdbRebuildCount: this.rebuilds,
    };
  }

  /** Makes LMDB hold `version`: empty, then the newest snapshot at or below it, then the deltas after it. */
  private rebuild(version: number): void {
    const db = this.database();
    this.loadedVersion = -1;
    db.clearSync();
    let pending: [string, Uint8Array | undefined][] = [];
    const flush = (): void => {
      const batch = pending;
      pending = [];
      db.transactionSync(() => {
        for (const [k, v] of batch) {
          if (v) db.put(k, v);
          else db.remove(k);
        }
      });
    };
    const add = (k: string, v: Uint8Array | undefined): void => {
      pending.push([k, v]);
      if (pending.length >= REBUILD_TXN_SIZE) flush();
    };
    if (version > 0) {
      const snapshot = this.files.snapshotAtOrBelow(version);
      if (snapshot > 0) {
        // Copies the bytes: the reader reuses its buffer.
        this.files.forEachSnapshotEntry(snapshot, (e, bytes) => add(lmdbKey(e[0]), Uint8Array.from(bytes)));
      }
      for (let v = snapshot + 1; v <= version; v++) {
        for (const r of this.files.readDelta(v)) {
          if (r[0] === 1) add(lmdbKey(r[1]), statePackr.pack([r[1], r[2]]));
          else add(lmdbKey(r[1]), undefined);
        }
      }
    }
    flush();
    this.numKeys = (db.getStats() as { entryCount: number }).entryCount;
    this.loadedVersion = version;
  }

  private database(): RootDatabase<Uint8Array, string> {
    if (this.db) return this.db;
    const root = lmdbLocalRoot();
    fs.mkdirSync(root, { recursive: true });
    removeStaleWorkingCopies(root);
    this.localDir = fs.mkdtempSync(path.join(root, `${process.pid}-`));
    // A working copy is rebuilt from the checkpoint whenever in doubt: no fsync needed.
    this.db = open<Uint8Array, string>({
      path: this.localDir,
      encoding: 'binary',
      noSync: true,
      noMetaSync: true,
      cache: false,
    });
    return this.db;
  }
}

/** The LMDB key of a state key: its encoding, or a SHA-256 of it when too long for LMDB. */
export function lmdbKey(key: Row): string {
  return lmdbKeyOf(encodeKey(key));
}

function lmdbKeyOf(encoded: string): string {
  if (encoded.length * 3 <= MAX_KEY_BYTES || Buffer.byteLength(encoded) <= MAX_KEY_BYTES) return encoded;
  // encodeKey's output starts with '[' or \u0001, so the \u0002 prefix cannot collide with it.
  return `\u0002${createHash('sha256').update(encoded).digest('base64')}`;
}

/** When each root was last swept (a long-running process sweeps again once a minute at most). */
const staleChecked = new Map<string, number>();

/** Deletes working copies of processes that are gone (a killed query never ran its close()). */
function removeStaleWorkingCopies(root: string): void {
  const now = Date.now();
  if (now - (staleChecked.get(root) ?? Number.NEGATIVE_INFINITY) < 60_000) return;
  staleChecked.set(root, now);
  for (const name of fs.readdirSync(root)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A batch's view: the overlay of touched keys over LMDB's committed version. */
class LmdbStateStore implements StateStore {
  private readonly overlay = new Map<string, OverlayEntry>();
  private sizeDelta = 0;
  private numUpdated = 0;
  private numRemoved = 0;
  private committedBytes = 0;
  private state: 'updating' | 'committed' | 'aborted' = 'updating';

  constructor(
    private readonly provider: LmdbStateStoreProvider,
    readonly version: number,
  ) {}

  get id(): StateStoreId {
    return this.provider.id;
  }

  get size(): number {
    return this.provider.baseSize() + this.sizeDelta;
  }

  get hasCommitted(): boolean {
    return this.state === 'committed';
  }

  get(key: Row, encoded?: string): Row | undefined {
    const k = lmdbKeyOf(encoded ?? encodeKey(key));
    const o = this.overlay.get(k);
    if (o) return o.value;
    return this.provider.baseGet(k);
  }

  put(key: Row, value: Row, encoded?: string): void {
    this.checkUpdating();
    const k = lmdbKeyOf(encoded ?? encodeKey(key));
    const o = this.overlay.get(k);
    let inBase: boolean;
    if (o) {
      inBase = o.inBase;
      if (o.value === undefined) this.sizeDelta++;
    } else {
      inBase = this.provider.baseHas(k);
      if (!inBase) this.sizeDelta++;
    }
    this.overlay.set(k, { key, value, inBase });
    this.numUpdated++;
  }

  remove(key: Row): void {
    this.checkUpdating();
    const k = lmdbKey(key);
    const o = this.overlay.get(k);
    if (o) {
      if (o.value === undefined) return;
      if (o.inBase) this.overlay.set(k, { key, value: undefined, inBase: true });
      else this.overlay.delete(k);
    } else {
      if (!this.provider.baseHas(k)) return;
      this.overlay.set(k, { key, value: undefined, inBase: true });
    }
    this.sizeDelta--;
    this.numRemoved++;
  }

  /** The state as of the call: LMDB's entries with the overlay applied, then the new keys. */
  *iterator(): IterableIterator<[Row, Row]> {
    const overlay = new Map(this.overlay);
    for (const [k, e] of this.provider.baseEntries()) {
      const o = overlay.get(k);
      if (!o) yield e;
      else if (o.value) yield [o.key, o.value];
    }
    for (const o of overlay.values()) if (!o.inBase && o.value) yield [o.key, o.value];
  }

  commit(): number {
    this.checkUpdating();
    const v = this.provider.commitOverlay(this.version, this.overlay, this.sizeDelta);
    // The batch's heap (its overlay) stays the store's memoryUsedBytes after the overlay is gone.
    this.committedBytes = estimateOverlayBytes(this.overlay);
    this.state = 'committed';
    this.overlay.clear();
    this.sizeDelta = 0;
    return v;
  }

  abort(): void {
    if (this.state !== 'updating') return;
    this.overlay.clear();
    this.sizeDelta = 0;
    this.state = 'aborted';
  }

  metrics(): StateStoreMetrics {
    return {
      numKeys: this.size,
      numUpdated: this.numUpdated,
      numRemoved: this.numRemoved,
      memoryUsedBytes: this.state === 'committed' ? this.committedBytes : estimateOverlayBytes(this.overlay),
      commitTimeMs: this.state === 'committed' ? this.provider.commitTimeMs() : 0,
      custom: this.provider.customMetrics(),
    };
  }

  private checkUpdating(): void {
    if (this.state !== 'updating') {
      throw new StreamingQueryError(
        'STATE_STORE_UPDATE_AFTER_COMMIT',
        `Cannot update state store ${describeStoreId(this.id)} version ${this.version} after it was ${this.state}`,
      );
    }
  }
}

/** Heap held by the batch's overlay: the only state this provider keeps in the heap. */
function estimateOverlayBytes(overlay: Map<string, OverlayEntry>): number {
  const n = overlay.size;
  if (n === 0) return 0;
  const sampleSize = Math.min(n, 2000);
  let bytes = 0;
  let i = 0;
  for (const [k, o] of overlay) {
    bytes += 80 + k.length * 2 + estimateSize(o.key) + estimateSize(o.value);
    if (++i >= sampleSize) break;
  }
  return Math.round((bytes / sampleSize) * n);
}
