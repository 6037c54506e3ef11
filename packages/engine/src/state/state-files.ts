import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addExtension, Packr } from 'msgpackr';
import { StreamingQueryError } from '../errors.js';
import { checkpointFsyncEnabled, writeFileAtomic } from '../streaming/checkpoint/atomic-file.js';
import type { Row } from '../types/data-type.js';
import { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import type { StateStoreId } from './state-store.js';

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

/** msgpack with Maps kept as Maps and typed arrays kept. Shared by every provider. */
export const statePackr = new Packr({ mapsAsObjects: false, useRecords: false, moreTypes: true });

export type StateEntry = [Row, Row];
/** One update of a delta file: [1, key, value] put, [0, key] remove. */
export type DeltaRecord = [1, Row, Row] | [0, Row];

/** Tag of every state file: a file is `[FORMAT, records-or-entries]` in msgpack. */
export const STATE_FILE_FORMAT = 'sluice-state-v1';

/** Directory of a store: `state/<op>/<part>` or `state/<op>/<part>/<storeName>`. */
export function storeDir(id: StateStoreId): string {
  const base = path.join(id.stateDir, String(id.operatorId), String(id.partitionId));
  return id.storeName === 'default' ? base : path.join(base, id.storeName);
}

export function describeStoreId(id: StateStoreId): string {
  return `[operatorId=${id.operatorId}, partitionId=${id.partitionId}, storeName=${id.storeName}]`;
}

interface StateFile {
  name: string;
  version: number;
  kind: 'delta' | 'snapshot';
}

const FORMAT_BYTES = Buffer.from(statePackr.pack(STATE_FILE_FORMAT));
/** What `[STATE_FILE_FORMAT, records]` starts with before the records' array header. */
const DELTA_PREFIX = Buffer.concat([Buffer.from([0x92]), FORMAT_BYTES]);

/** msgpack's header of an array of `count` elements. */
function arrayHeader(count: number): Buffer {
  if (count < 0x10) return Buffer.from([0x90 | count]);
  if (count < 0x10000) return Buffer.from([0xdc, count >>> 8, count & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0xdd;
  b.writeUInt32BE(count, 1);
  return b;
}

/**
 * A delta file written record by record: the bytes are those of `statePackr.pack([FORMAT,
 * records])` (an array's encoding is its header and its elements' encodings), but each record is
 * encoded when added, and only its bytes are kept.
 */
export class DeltaWriter {
  private bytes = Buffer.alloc(0);
  private length = 0;
  private count = 0;

  constructor(private readonly file: string) {}

  add(record: DeltaRecord): void {
    const encoded = statePackr.pack(record);
    if (this.length + encoded.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(4096, 2 * this.bytes.length, this.length + encoded.length));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.bytes.set(encoded, this.length);
    this.length += encoded.length;
    this.count++;
  }

  /** Writes the file (atomically, as every state file). */
  finish(): void {
    writeFileAtomic(
      this.file,
      Buffer.concat([DELTA_PREFIX, arrayHeader(this.count), this.bytes.subarray(0, this.length)]),
    );
  }
}

/** Bytes read per step when streaming a snapshot. */
const READ_CHUNK = 4 << 20;
/** Bytes buffered before a snapshot writer writes to its file. */
const WRITE_CHUNK = 1 << 20;

/**
 * The checkpoint files of one store, the same for every provider: `<v>.delta` holds the updates
 * that make version v, `<v>.snapshot` the whole state at v. Snapshots are written and read as a
 * stream of entries, so a provider whose state is not in the heap never materialises it.
 */
export class StateFiles {
  readonly dir: string;

  constructor(readonly id: StateStoreId) {
    this.dir = storeDir(id);
  }

  deltaPath(version: number): string {
    return path.join(this.dir, `${version}.delta`);
  }

  snapshotPath(version: number): string {
    return path.join(this.dir, `${version}.snapshot`);
  }

  writeDelta(version: number, records: readonly DeltaRecord[]): void {
    const writer = this.deltaWriter(version);
    for (const r of records) writer.add(r);
    writer.finish();
  }

  /**
   * Writes `<version>.delta` record by record: each record is encoded as it is added, so a large
   * delta (a join side's thousands of buffered rows) is never held as records all at once.
   */
  deltaWriter(version: number): DeltaWriter {
    return new DeltaWriter(this.deltaPath(version));
  }

  /** The updates of `<version>.delta`; a missing delta is corruption, never "no change". */
  readDelta(version: number): DeltaRecord[] {
    const file = this.deltaPath(version);
    if (!fs.existsSync(file)) {
      throw new StreamingQueryError(
        'CANNOT_LOAD_STATE_STORE',
        `Error reading delta file ${file} of state store ${describeStoreId(this.id)}: ${file} does not exist`,
      );
    }
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
    if (!Array.isArray(obj) || obj[0] !== STATE_FILE_FORMAT || !Array.isArray(obj[1])) {
      throw this.corrupt(file, 'unknown format');
    }
    return obj[1] as DeltaRecord[];
  }

  /** Starts `<version>.snapshot`; nothing is visible until `finish()`. */
  snapshotWriter(version: number): SnapshotWriter {
    return new SnapshotWriter(this.snapshotPath(version));
  }

  /**
   * Calls `onEntry` with every entry of `<version>.snapshot` (the decoded entry and its msgpack
   * bytes), reading the file in bounded steps.
   */
  forEachSnapshotEntry(version: number, onEntry: (entry: StateEntry, bytes: Uint8Array) => void): void {
    const file = this.snapshotPath(version);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (err) {
      throw this.corrupt(file, (err as Error).message);
    }
    try {
      let buf = Buffer.alloc(0);
      let eof = false;
      const fill = (): void => {
        const chunk = Buffer.allocUnsafe(READ_CHUNK);
        const n = fs.readSync(fd, chunk, 0, READ_CHUNK, null);
        if (n === 0) eof = true;
        else buf = buf.length === 0 ? chunk.subarray(0, n) : Buffer.concat([buf, chunk.subarray(0, n)]);
      };
      while (!eof && buf.length < 64) fill();
      const header = parseSnapshotHeader(buf);
      if (!header) throw this.corrupt(file, 'unknown format');
      let remaining = header.count;
      buf = buf.subarray(header.length);
      while (remaining > 0) {
        if (buf.length === 0) {
          if (eof) throw this.corrupt(file, `ends ${remaining} entries early`);
          fill();
          continue;
        }
        let consumed = 0;
        let incomplete = false;
        try {
          statePackr.unpackMultiple(buf, (value: unknown, start = 0, end = 0) => {
            if (!isEntry(value)) throw this.corrupt(file, 'an entry is not a [key, value] pair');
            onEntry(value, buf.subarray(start, end));
            consumed = end;
            return --remaining > 0;
          });
        } catch (err) {
          if (!(err as { incomplete?: boolean }).incomplete) {
            if (err instanceof StreamingQueryError) throw err;
            throw this.corrupt(file, (err as Error).message);
          }
          incomplete = true;
        }
        buf = buf.subarray(consumed);
        if (incomplete) {
          if (eof) throw this.corrupt(file, `ends ${remaining} entries early`);
          fill();
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The newest snapshot version at or below `version` (0 = none). */
  snapshotAtOrBelow(version: number): number {
    return this.listFiles()
      .filter((f) => f.kind === 'snapshot' && f.version <= version)
      .reduce((m, f) => Math.max(m, f.version), 0);
  }

  latestFileVersion(kind: 'delta' | 'snapshot'): number {
    return this.listFiles()
      .filter((f) => f.kind === kind)
      .reduce((m, f) => Math.max(m, f.version), 0);
  }

  /** Deletes files no longer needed to load any of the newest `minBatchesToRetain` versions up to `latest`. */
  cleanup(latest: number, minBatchesToRetain: number): void {
    const earliestToKeep = latest - minBatchesToRetain + 1;
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

  listFiles(): StateFile[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: StateFile[] = [];
    for (const name of names) {
      const m = /^(\d+)\.(delta|snapshot)$/.exec(name);
      if (m) out.push({ name, version: Number(m[1]), kind: m[2] as 'delta' | 'snapshot' });
    }
    return out;
  }

  corrupt(file: string, reason: string): StreamingQueryError {
    return new StreamingQueryError(
      'CANNOT_LOAD_STATE_STORE',
      `The state file ${file} of state store ${describeStoreId(this.id)} is corrupt: ${reason}`,
    );
  }
}

function isEntry(v: unknown): v is StateEntry {
  return Array.isArray(v) && v.length === 2 && Array.isArray(v[0]) && Array.isArray(v[1]);
}

/** Parses `[FORMAT, [` of a snapshot: the entry count and the header's length. */
function parseSnapshotHeader(buf: Buffer): { count: number; length: number } | undefined {
  if (buf[0] !== 0x92) return undefined;
  if (!buf.subarray(1, 1 + FORMAT_BYTES.length).equals(FORMAT_BYTES)) return undefined;
  const p = 1 + FORMAT_BYTES.length;
  const tag = buf[p];
  if (tag === undefined) return undefined;
  if (tag >= 0x90 && tag <= 0x9f) return { count: tag & 0x0f, length: p + 1 };
  if (tag === 0xdc && buf.length >= p + 3) return { count: buf.readUInt16BE(p + 1), length: p + 3 };
  if (tag === 0xdd && buf.length >= p + 5) return { count: buf.readUInt32BE(p + 1), length: p + 5 };
  return undefined;
}

/**
 * Writes a snapshot entry by entry into a temp file (the same msgpack document as
 * `pack([FORMAT, entries])`, with a 32-bit entry count patched in at the end), then fsyncs and
 * renames it into place.
 */
export class SnapshotWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(WRITE_CHUNK);
  private used = 0;
  private count = 0;
  private countOffset: number;

  constructor(private readonly file: string) {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true });
    this.tmp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
    this.fd = fs.openSync(this.tmp, 'w');
    this.buf[0] = 0x92;
    FORMAT_BYTES.copy(this.buf, 1);
    this.countOffset = 1 + FORMAT_BYTES.length;
    this.buf[this.countOffset] = 0xdd;
    this.used = this.countOffset + 5;
  }

  add(entry: StateEntry): void {
    this.addPacked(statePackr.pack(entry));
  }

  /** Adds an entry already packed with `statePackr` (copied, not decoded). */
  addPacked(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) {
      fs.writeSync(this.fd, bytes);
    } else {
      this.buf.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.count++;
  }

  finish(): void {
    try {
      this.flush();
      const count = Buffer.alloc(4);
      count.writeUInt32BE(this.count);
      fs.writeSync(this.fd, count, 0, 4, this.countOffset + 1);
      if (checkpointFsyncEnabled()) fs.fsyncSync(this.fd);
    } finally {
      fs.closeSync(this.fd);
    }
    fs.renameSync(this.tmp, this.file);
    // The rename is made durable the same way as every other checkpoint write.
    if (checkpointFsyncEnabled()) {
      const dirFd = fs.openSync(path.dirname(this.file), 'r');
      try {
        fs.fsyncSync(dirFd);
      } finally {
        fs.closeSync(dirFd);
      }
    }
  }

  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.used > 0) fs.writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }
}
