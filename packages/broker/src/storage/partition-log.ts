/**
 * One partition: a list of segments, the high watermark (next offset: one node, so every append
 * is fully replicated), the log start offset, idempotent-producer sequence state and the
 * transaction bookkeeping (ongoing transactions for the last stable offset, aborted ones for
 * read_committed fetches, persisted in `aborted.txnindex`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  batchSize,
  controlBatch,
  InvalidBatchError,
  LOG_OVERHEAD,
  Off,
  readInt64,
  validateBatch,
  writeInt64,
} from '../records/record-batch.js';
import { verifyProducedBatch, walkRecords } from '../records/verify-batch.js';
import { type ScannedBatch, Segment } from './segment.js';

export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  retentionMs: number;
  retentionBytes: number;
  /** Largest record batch accepted (max.message.bytes); larger ones get MESSAGE_TOO_LARGE. */
  maxMessageBytes: number;
  /** 'always': fsync before acknowledging; 'interval': in the background; 'never': leave it to the OS. */
  fsync: 'always' | 'interval' | 'never';
}

interface SeqEntry {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}
interface ProducerState {
  epoch: number;
  batches: SeqEntry[];
}
export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
}
export interface AppendResult {
  errorCode: number;
  baseOffset: number;
}
export interface ReadResult {
  errorCode: number;
  records: Buffer | null;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
}

const MAX_SEQ_ENTRIES = 5;

interface ProducerSnapshot {
  /** The snapshot covers batches below this offset. */
  upTo: number;
  snap: ({ pid: number } & ProducerState)[];
  ongoing: [number, number][];
}
interface ScannedHeader {
  baseOffset: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
  attributes: number;
}
function scanHeader(b: ScannedBatch): ScannedHeader {
  const { buf, at } = b;
  return {
    baseOffset: b.baseOffset,
    producerId: readInt64(buf, at + Off.producerId),
    producerEpoch: buf.readInt16BE(at + Off.producerEpoch),
    baseSequence: buf.readInt32BE(at + Off.baseSequence),
    lastOffsetDelta: buf.readInt32BE(at + Off.lastOffsetDelta),
    attributes: buf.readInt16BE(at + Off.attributes),
  };
}

export class PartitionLog {
  private segments: Segment[] = [];
  nextOffset = 0;
  logStartOffset = 0;
  private producers = new Map<number, ProducerState>();
  private ongoing = new Map<number, number>();
  private aborted: AbortedTxn[] = [];
  private dirty = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    private config: LogConfig,
    clean: boolean,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    const bases = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => Number(f.slice(0, -4)))
      .sort((a, b) => a - b);
    this.logStartOffset = readNumber(path.join(dir, 'log-start-offset')) ?? bases[0] ?? 0;
    const replayed: ScannedHeader[] = [];
    bases.forEach((base, i) => {
      const active = i === bases.length - 1;
      // A closed segment was fsynced with its indexes when it rolled; the active one is
      // re-verified (and its producer batches replayed) unless the broker shut down cleanly.
      const trust = clean || !active;
      this.segments.push(
        Segment.open(dir, base, trust, active && !clean ? (b) => replayed.push(scanHeader(b)) : undefined),
      );
    });
    if (this.segments.length === 0) this.segments.push(Segment.create(dir, this.logStartOffset));
    const active = this.active;
    this.nextOffset = active.count > 0 ? active.lastOffset + 1 : active.baseOffset;
    if (this.logStartOffset > this.nextOffset) this.logStartOffset = this.nextOffset;
    // Producer state = the last snapshot (taken at every roll and at clean shutdown) plus the
    // batches of the active segment after it, as Kafka rebuilds it.
    const snapshot = this.readProducerSnapshot();
    const usable = snapshot !== undefined && snapshot.upTo <= this.nextOffset;
    if (usable) {
      for (const { pid, epoch, batches } of snapshot.snap) this.producers.set(pid, { epoch, batches });
      for (const [pid, first] of snapshot.ongoing) this.ongoing.set(pid, first);
    }
    for (const h of replayed) if (!usable || h.baseOffset >= snapshot.upTo) this.replay(h);
    this.loadAborted();
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }
  get lastStableOffset(): number {
    let lso = this.nextOffset;
    for (const first of this.ongoing.values()) if (first < lso) lso = first;
    return lso;
  }
  get sizeBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }
  updateConfig(config: LogConfig): void {
    this.config = config;
  }

  /** Rebuilds producer and transaction state from a recovered batch. */
  private replay(h: ScannedHeader): void {
    if (h.producerId < 0) return;
    if (h.attributes & ATTR_CONTROL) {
      this.ongoing.delete(h.producerId);
      return;
    }
    if (h.attributes & ATTR_TRANSACTIONAL && !this.ongoing.has(h.producerId))
      this.ongoing.set(h.producerId, h.baseOffset);
    if (h.baseSequence >= 0)
      this.recordSequence(h.producerId, h.producerEpoch, h.baseSequence, h.lastOffsetDelta, h.baseOffset);
  }

  private recordSequence(
    pid: number,
    epoch: number,
    firstSeq: number,
    delta: number,
    baseOffset: number,
  ): void {
    let st = this.producers.get(pid);
    if (!st || st.epoch !== epoch) {
      st = { epoch, batches: [] };
      this.producers.set(pid, st);
    }
    st.batches.push({ firstSeq, lastSeq: (firstSeq + delta) % 0x8000_0000, baseOffset });
    if (st.batches.length > MAX_SEQ_ENTRIES) st.batches.shift();
  }

  /**
   * Appends the batches of one produce request partition. Verifies each batch (magic, length,
   * CRC-32C), applies idempotent-producer sequence checks, assigns offsets in place and writes
   * the bytes as received.
   */
  append(records: Buffer, txnCheck?: (pid: number, epoch: number) => number): AppendResult {
    if (records.length === 0) return { errorCode: ErrorCode.INVALID_RECORD, baseOffset: -1 };
    let at = 0;
    let count = 0;
    while (at < records.length) {
      const size = batchSize(records, at);
      if (size < 0) return { errorCode: ErrorCode.CORRUPT_MESSAGE, baseOffset: -1 };
      if (size > this.config.maxMessageBytes)
        return { errorCode: ErrorCode.MESSAGE_TOO_LARGE, baseOffset: -1 };
      try {
        validateBatch(records, at, size);
        verifyProducedBatch(records.subarray(at, at + size));
      } catch (e) {
        return {
          errorCode: e instanceof InvalidBatchError ? e.code : ErrorCode.CORRUPT_MESSAGE,
          baseOffset: -1,
        };
      }
      at += size;
      count++;
    }
    if (count !== 1) return this.appendEach(records, txnCheck);
    return this.appendOne(records, txnCheck);
  }

  private appendEach(records: Buffer, txnCheck?: (pid: number, epoch: number) => number): AppendResult {
    let at = 0;
    let first: AppendResult | undefined;
    while (at < records.length) {
      const size = batchSize(records, at);
      const r = this.appendOne(records.subarray(at, at + size), txnCheck);
      if (r.errorCode !== 0) return first ?? r;
      first ??= r;
      at += size;
    }
    return first ?? { errorCode: ErrorCode.INVALID_RECORD, baseOffset: -1 };
  }

  private appendOne(batch: Buffer, txnCheck?: (pid: number, epoch: number) => number): AppendResult {
    const pid = readInt64(batch, Off.producerId);
    const attrs = batch.readInt16BE(Off.attributes);
    const delta = batch.readInt32BE(Off.lastOffsetDelta);
    if (pid >= 0) {
      const epoch = batch.readInt16BE(Off.producerEpoch);
      if (attrs & ATTR_TRANSACTIONAL && txnCheck) {
        const code = txnCheck(pid, epoch);
        if (code !== 0) return { errorCode: code, baseOffset: -1 };
      }
      const seq = batch.readInt32BE(Off.baseSequence);
      const st = this.producers.get(pid);
      if (st && epoch < st.epoch) return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, baseOffset: -1 };
      if (st && epoch === st.epoch && seq >= 0 && st.batches.length > 0) {
        const lastSeq = (seq + delta) % 0x8000_0000;
        const dup = st.batches.find((b) => b.firstSeq === seq && b.lastSeq === lastSeq);
        if (dup) return { errorCode: 0, baseOffset: dup.baseOffset };
        const expected = (st.batches[st.batches.length - 1]!.lastSeq + 1) % 0x8000_0000;
        if (seq !== expected) return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1 };
      } else if (st && epoch > st.epoch && seq > 0) {
        return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1 };
      }
      const base = this.write(batch);
      if (seq >= 0) this.recordSequence(pid, epoch, seq, delta, base);
      if (attrs & ATTR_TRANSACTIONAL && !this.ongoing.has(pid)) this.ongoing.set(pid, base);
      return { errorCode: 0, baseOffset: base };
    }
    return { errorCode: 0, baseOffset: this.write(batch) };
  }

  private write(batch: Buffer): number {
    const base = this.nextOffset;
    writeInt64(batch, Off.baseOffset, base);
    batch.writeInt32BE(0, Off.leaderEpoch);
    this.maybeRoll(batch.length);
    this.active.append(batch);
    this.nextOffset = base + batch.readInt32BE(Off.lastOffsetDelta) + 1;
    this.dirty = true;
    if (this.config.fsync === 'always') this.active.fsync();
    return base;
  }

  private maybeRoll(incoming: number): void {
    const a = this.active;
    if (a.size === 0) return;
    if (a.size + incoming <= this.config.segmentBytes && Date.now() - a.createdAt < this.config.segmentMs)
      return;
    this.roll();
  }

  private roll(): void {
    this.active.syncAll();
    this.segments.push(Segment.create(this.dir, this.nextOffset));
    this.writeProducerSnapshot();
  }

  /** Writes a COMMIT or ABORT marker for a producer's transaction; returns its offset. */
  writeMarker(producerId: number, producerEpoch: number, commit: boolean): number {
    const first = this.ongoing.get(producerId);
    const offset = this.write(controlBatch({ producerId, producerEpoch, commit, timestamp: Date.now() }));
    this.ongoing.delete(producerId);
    if (!commit && first !== undefined) {
      const entry = { producerId, firstOffset: first, lastOffset: offset };
      this.aborted.push(entry);
      const b = Buffer.alloc(24);
      writeInt64(b, 0, entry.producerId);
      writeInt64(b, 8, entry.firstOffset);
      writeInt64(b, 16, entry.lastOffset);
      fs.appendFileSync(path.join(this.dir, 'aborted.txnindex'), b);
    }
    return offset;
  }
  hasOngoing(producerId: number): boolean {
    return this.ongoing.has(producerId);
  }

  /**
   * Reads whole stored batches from `offset`, at least one batch (even above maxBytes, as Kafka
   * does) and never past `limit` (high watermark, or last stable offset for read_committed).
   */
  read(offset: number, maxBytes: number, readCommitted: boolean): ReadResult {
    const hw = this.nextOffset;
    const lso = this.lastStableOffset;
    const base: ReadResult = {
      errorCode: 0,
      records: null,
      highWatermark: hw,
      lastStableOffset: lso,
      logStartOffset: this.logStartOffset,
      abortedTransactions: readCommitted ? [] : null,
    };
    if (offset < this.logStartOffset || offset > hw)
      return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
    const limit = readCommitted ? lso : hw;
    if (offset >= limit || maxBytes <= 0) return { ...base, records: EMPTY };
    const seg = this.segmentFor(offset);
    if (!seg) return { ...base, records: EMPTY };
    const i = seg.findBatch(offset);
    if (i >= seg.count) return { ...base, records: EMPTY };
    let j = i;
    let bytes = 0;
    while (j < seg.count && seg.last(j) < limit) {
      const b = seg.batchBytes(j);
      if (bytes > 0 && bytes + b > maxBytes) break;
      bytes += b;
      j++;
    }
    if (j === i) return { ...base, records: EMPTY };
    const records = seg.read(seg.position(i), bytes);
    let aborted: ReadResult['abortedTransactions'] = null;
    if (readCommitted) {
      const end = seg.last(j - 1);
      aborted = [];
      for (const a of this.aborted) {
        if (a.lastOffset >= offset && a.firstOffset <= end)
          aborted.push({ producerId: a.producerId, firstOffset: a.firstOffset });
      }
    }
    return { ...base, records, abortedTransactions: aborted };
  }

  private segmentFor(offset: number): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const s = this.segments[lo];
    // A segment may end before the next one begins only when empty; move forward past it.
    if (s && s.count > 0 && s.lastOffset < offset) return this.segments[lo + 1];
    return s;
  }

  /**
   * ListOffsets by time: the first record with a timestamp >= ts, or -1 when there is none. The
   * time index finds the batch; the batch's records are then read for the exact record (plain or
   * batches of every codec).
   */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } {
    for (const s of this.segments) {
      if (s.count === 0 || s.lastOffset < this.logStartOffset) continue;
      const i = s.findTimestamp(ts);
      if (i >= s.count) continue;
      const found = firstRecordAtOrAfter(s.read(s.position(i), s.batchBytes(i)), ts);
      const offset = found?.offset ?? s.base(i);
      if (offset < this.logStartOffset)
        return { offset: this.logStartOffset, timestamp: found?.timestamp ?? -1 };
      return { offset, timestamp: found?.timestamp ?? s.maxTimestamp(i) };
    }
    return { offset: -1, timestamp: -1 };
  }

  /** DeleteRecords: moves the log start offset forward and drops whole segments below it. */
  deleteRecordsBefore(offset: number): number {
    const target = offset < 0 ? this.nextOffset : Math.min(offset, this.nextOffset);
    if (target > this.logStartOffset) {
      this.logStartOffset = target;
      writeNumber(path.join(this.dir, 'log-start-offset'), target);
    }
    this.dropSegmentsBelowStart();
    return this.logStartOffset;
  }

  private dropSegmentsBelowStart(): void {
    while (this.segments.length > 0) {
      const s = this.segments[0]!;
      const wholeSegmentGone =
        s.count > 0 ? s.lastOffset < this.logStartOffset : s.baseOffset < this.logStartOffset;
      if (!wholeSegmentGone) break;
      if (this.segments.length === 1) {
        if (s.count === 0) break;
        this.segments.push(Segment.create(this.dir, this.nextOffset));
      }
      this.segments.shift()!.delete();
    }
  }

  /** Deletes closed segments older than retention.ms or beyond retention.bytes. */
  enforceRetention(now: number): void {
    const { retentionMs, retentionBytes } = this.config;
    let total = this.sizeBytes;
    while (this.segments.length > 1) {
      const s = this.segments[0]!;
      const expired = retentionMs >= 0 && s.count > 0 && now - s.largestTimestamp > retentionMs;
      const oversize = retentionBytes >= 0 && total - s.size >= retentionBytes;
      if (!expired && !oversize) break;
      total -= s.size;
      const next = this.segments[1]!;
      this.segments.shift()!.delete();
      if (next.baseOffset > this.logStartOffset) {
        this.logStartOffset = next.baseOffset;
        writeNumber(path.join(this.dir, 'log-start-offset'), this.logStartOffset);
      }
    }
    // An idle active segment older than segment.ms rolls too, so retention can reach its data.
    if (this.active.count > 0 && now - this.active.createdAt >= this.config.segmentMs) this.roll();
  }

  /** Background flush: index files, and an fsync when the policy is 'interval'. */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.active.flushIndex();
    if (this.config.fsync === 'interval') this.active.fsyncAsync(() => {});
  }

  close(): void {
    this.active.flushIndex();
    if (this.config.fsync !== 'never') this.active.fsync();
    for (const s of this.segments) s.close();
    this.writeProducerSnapshot();
  }

  private writeProducerSnapshot(): void {
    const snapshot: ProducerSnapshot = {
      upTo: this.nextOffset,
      snap: [...this.producers].map(([pid, st]) => ({ pid, ...st })),
      ongoing: [...this.ongoing],
    };
    const file = path.join(this.dir, 'producer-state.json');
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    fs.renameSync(`${file}.tmp`, file);
  }

  private readProducerSnapshot(): ProducerSnapshot | undefined {
    try {
      const data = JSON.parse(
        fs.readFileSync(path.join(this.dir, 'producer-state.json'), 'utf8'),
      ) as ProducerSnapshot;
      return typeof data.upTo === 'number' ? data : undefined;
    } catch {
      return undefined;
    }
  }

  private loadAborted(): void {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(path.join(this.dir, 'aborted.txnindex'));
    } catch {
      return;
    }
    for (let at = 0; at + 24 <= buf.length; at += 24) {
      const e = {
        producerId: readInt64(buf, at),
        firstOffset: readInt64(buf, at + 8),
        lastOffset: readInt64(buf, at + 16),
      };
      if (e.lastOffset < this.nextOffset) this.aborted.push(e);
    }
  }

  /** Open transactions of producers that no coordinator knows after a restart are aborted. */
  abortOrphans(known: (pid: number) => boolean): void {
    for (const pid of [...this.ongoing.keys()]) if (!known(pid)) this.writeMarker(pid, 0, false);
  }
  ongoingProducers(): number[] {
    return [...this.ongoing.keys()];
  }

  removeFiles(): void {
    for (const s of this.segments) s.delete();
    this.segments = [];
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const EMPTY = Buffer.alloc(0);

export { LOG_OVERHEAD };

function readNumber(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}
function writeNumber(file: string, n: number): void {
  fs.writeFileSync(`${file}.tmp`, String(n));
  fs.renameSync(`${file}.tmp`, file);
}

/** The first record of a batch with timestamp >= ts (any codec), or undefined. */
function firstRecordAtOrAfter(batch: Buffer, ts: number): { offset: number; timestamp: number } | undefined {
  const base = readInt64(batch, Off.baseOffset);
  let found: { offset: number; timestamp: number } | undefined;
  try {
    walkRecords(batch, (r) => {
      if (r.timestamp < ts) return false;
      found = { offset: base + r.offsetDelta, timestamp: r.timestamp };
      return true;
    });
  } catch {
    return undefined;
  }
  return found;
}
