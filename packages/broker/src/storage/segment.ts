/**
 * One log segment: `<base>.log` holds record batches exactly as appended; `<base>.index` holds one
 * (relative offset int32, position int32) entry per batch and `<base>.timeindex` one
 * (max timestamp int64, relative offset int32) entry per batch. The in-memory copy of both
 * indexes answers every lookup; the files let a restart load a closed segment without reading it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { batchSize, LOG_OVERHEAD, Off, readInt64, validateBatch } from '../records/record-batch.js';
import { segmentFiles } from './file-pool.js';

const STRIDE = 5; // base, last, position, size, maxTimestamp
const INDEX_ENTRY = 8;
const TIME_ENTRY = 12;

export function segmentName(base: number): string {
  return String(base).padStart(20, '0');
}

export interface ScannedBatch {
  buf: Buffer;
  at: number;
  size: number;
  baseOffset: number;
}

export class Segment {
  size = 0;
  count = 0;
  private entries = new Float64Array(STRIDE * 64);
  private indexedCount = 0;
  readonly createdAt: number;
  private readonly name: string;
  private readonly logFile: string;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
  ) {
    this.name = path.join(dir, segmentName(baseOffset));
    this.logFile = `${this.name}.log`;
    this.size = fs.fstatSync(this.fd).size;
    this.createdAt = Date.now();
  }

  /** The log's descriptor, from the process-wide pool (opened on demand, closed when idle). */
  private get fd(): number {
    return segmentFiles.fd(this.logFile);
  }

  /** Runs `use` on one of the index files, open only for that long. */
  private withIndexFile<T>(ext: '.index' | '.timeindex', use: (fd: number) => T): T {
    const fd = fs.openSync(this.name + ext, fs.constants.O_RDWR | fs.constants.O_CREAT);
    try {
      return use(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  static create(dir: string, baseOffset: number): Segment {
    const s = new Segment(dir, baseOffset);
    fs.ftruncateSync(s.fd, 0);
    s.withIndexFile('.index', (fd) => fs.ftruncateSync(fd, 0));
    s.withIndexFile('.timeindex', (fd) => fs.ftruncateSync(fd, 0));
    s.size = 0;
    return s;
  }

  /**
   * Opens an existing segment. With `trustIndex`, loads the index files when they agree with the
   * log; otherwise (or when they disagree) recovers by scanning: every batch's length and CRC-32C
   * is checked and the log is truncated at the first torn or corrupt batch.
   */
  static open(
    dir: string,
    baseOffset: number,
    trustIndex: boolean,
    onBatch?: (b: ScannedBatch) => void,
  ): Segment {
    const s = new Segment(dir, baseOffset);
    if (!(trustIndex && s.loadIndex())) s.recover(onBatch);
    return s;
  }

  private loadIndex(): boolean {
    const idx = this.withIndexFile('.index', readAll);
    const tix = this.withIndexFile('.timeindex', readAll);
    if (idx.length % INDEX_ENTRY !== 0 || tix.length % TIME_ENTRY !== 0) return false;
    const n = idx.length / INDEX_ENTRY;
    if (tix.length / TIME_ENTRY !== n) return false;
    if (n === 0) return this.size === 0;
    let prevPos = -1;
    for (let i = 0; i < n; i++) {
      const rel = idx.readInt32BE(i * INDEX_ENTRY);
      const pos = idx.readInt32BE(i * INDEX_ENTRY + 4);
      if (pos <= prevPos || tix.readInt32BE(i * TIME_ENTRY + 8) !== rel) return false;
      prevPos = pos;
      this.push(this.baseOffset + rel, 0, pos, 0, readInt64(tix, i * TIME_ENTRY));
    }
    // Offsets are contiguous (the broker assigns them), so sizes and last offsets follow from the
    // next entry; only the last batch's header is read.
    for (let i = 0; i < n - 1; i++) {
      const e = i * STRIDE;
      this.entries[e + 3] = this.entries[e + STRIDE + 2]! - this.entries[e + 2]!;
      this.entries[e + 1] = this.entries[e + STRIDE]! - 1;
    }
    const lastPos = this.entries[(n - 1) * STRIDE + 2]!;
    const head = Buffer.alloc(Off.lastOffsetDelta + 4);
    if (fs.readSync(this.fd, head, 0, head.length, lastPos) !== head.length) return false;
    const lastSize = batchSize(head, 0);
    if (lastPos + lastSize !== this.size) return false;
    this.entries[(n - 1) * STRIDE + 3] = lastSize;
    this.entries[(n - 1) * STRIDE + 1] =
      this.entries[(n - 1) * STRIDE]! + head.readInt32BE(Off.lastOffsetDelta);
    this.indexedCount = n;
    return true;
  }

  private recover(onBatch?: (b: ScannedBatch) => void): void {
    const buf = readAll(this.fd);
    let at = 0;
    this.count = 0;
    while (at < buf.length) {
      const size = batchSize(buf, at);
      if (size < 0 || size < 61 || at + size > buf.length) break;
      try {
        validateBatch(buf, at, size);
      } catch {
        break;
      }
      const base = readInt64(buf, at + Off.baseOffset);
      const last = base + buf.readInt32BE(at + Off.lastOffsetDelta);
      this.push(base, last, at, size, readInt64(buf, at + Off.maxTimestamp));
      onBatch?.({ buf, at, size, baseOffset: base });
      at += size;
    }
    if (at !== buf.length) fs.ftruncateSync(this.fd, at);
    this.size = at;
    // Rewrite both index files from the scan.
    this.withIndexFile('.index', (fd) => fs.ftruncateSync(fd, 0));
    this.withIndexFile('.timeindex', (fd) => fs.ftruncateSync(fd, 0));
    this.indexedCount = 0;
    this.flushIndex();
  }

  private push(base: number, last: number, pos: number, size: number, maxTs: number): void {
    const e = this.count * STRIDE;
    if (e + STRIDE > this.entries.length) {
      const next = new Float64Array(this.entries.length * 2);
      next.set(this.entries);
      this.entries = next;
    }
    this.entries[e] = base;
    this.entries[e + 1] = last;
    this.entries[e + 2] = pos;
    this.entries[e + 3] = size;
    this.entries[e + 4] = maxTs;
    this.count++;
  }

  /** Appends already-offset-assigned batches (one buffer, possibly several batches). */
  append(buf: Buffer): void {
    let at = 0;
    const start = this.size;
    while (at < buf.length) {
      const size = LOG_OVERHEAD + buf.readInt32BE(at + Off.batchLength);
      const base = readInt64(buf, at);
      this.push(
        base,
        base + buf.readInt32BE(at + Off.lastOffsetDelta),
        start + at,
        size,
        readInt64(buf, at + Off.maxTimestamp),
      );
      at += size;
    }
    let written = 0;
    while (written < buf.length)
      written += fs.writeSync(this.fd, buf, written, buf.length - written, start + written);
    this.size += buf.length;
  }

  /** Writes index entries not yet on disk. */
  flushIndex(): void {
    const n = this.count - this.indexedCount;
    if (n <= 0) return;
    const idx = Buffer.allocUnsafe(n * INDEX_ENTRY);
    const tix = Buffer.allocUnsafe(n * TIME_ENTRY);
    for (let i = 0; i < n; i++) {
      const e = (this.indexedCount + i) * STRIDE;
      const rel = this.entries[e]! - this.baseOffset;
      idx.writeInt32BE(rel, i * INDEX_ENTRY);
      idx.writeInt32BE(this.entries[e + 2]!, i * INDEX_ENTRY + 4);
      const ts = this.entries[e + 4]!;
      const hi = Math.floor(ts / 0x1_0000_0000);
      tix.writeInt32BE(hi, i * TIME_ENTRY);
      tix.writeUInt32BE(ts - hi * 0x1_0000_0000, i * TIME_ENTRY + 4);
      tix.writeInt32BE(rel, i * TIME_ENTRY + 8);
    }
    this.withIndexFile('.index', (fd) =>
      fs.writeSync(fd, idx, 0, idx.length, this.indexedCount * INDEX_ENTRY),
    );
    this.withIndexFile('.timeindex', (fd) =>
      fs.writeSync(fd, tix, 0, tix.length, this.indexedCount * TIME_ENTRY),
    );
    this.indexedCount = this.count;
  }

  fsync(): void {
    fs.fsyncSync(this.fd);
  }
  fsyncAsync(cb: () => void): void {
    const fd = segmentFiles.pin(this.logFile);
    fs.fsync(fd, () => {
      segmentFiles.unpin(this.logFile, fd);
      cb();
    });
  }
  syncAll(): void {
    this.flushIndex();
    fs.fsyncSync(this.fd);
    this.withIndexFile('.index', fs.fsyncSync);
    this.withIndexFile('.timeindex', fs.fsyncSync);
  }

  base(i: number): number {
    return this.entries[i * STRIDE]!;
  }
  last(i: number): number {
    return this.entries[i * STRIDE + 1]!;
  }
  position(i: number): number {
    return this.entries[i * STRIDE + 2]!;
  }
  batchBytes(i: number): number {
    return this.entries[i * STRIDE + 3]!;
  }
  maxTimestamp(i: number): number {
    return this.entries[i * STRIDE + 4]!;
  }
  get lastOffset(): number {
    return this.count === 0 ? this.baseOffset - 1 : this.last(this.count - 1);
  }
  get largestTimestamp(): number {
    let m = -1;
    for (let i = 0; i < this.count; i++) m = Math.max(m, this.maxTimestamp(i));
    return m;
  }

  /** Index of the first batch whose last offset is >= offset (count if none). */
  findBatch(offset: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.last(mid) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Index of the first batch whose max timestamp is >= ts (count if none). */
  findTimestamp(ts: number): number {
    for (let i = 0; i < this.count; i++) if (this.maxTimestamp(i) >= ts) return i;
    return this.count;
  }

  read(position: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(this.fd, out, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? out : out.subarray(0, got);
  }

  close(): void {
    this.flushIndex();
    segmentFiles.close(this.logFile);
  }
  delete(): void {
    segmentFiles.close(this.logFile);
    for (const ext of ['.log', '.index', '.timeindex']) fs.rmSync(this.name + ext, { force: true });
  }
}

function readAll(fd: number): Buffer {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = fs.readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}
