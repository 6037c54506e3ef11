/**
 * Record batch v2 header access. Batches are stored and served as received; the broker only
 * rewrites baseOffset and partitionLeaderEpoch, which the CRC does not cover.
 */
import { crc32c } from './crc32c.js';

export const BATCH_HEADER_SIZE = 61;
/** baseOffset(8) + batchLength(4): the batch length counts the bytes after these. */
export const LOG_OVERHEAD = 12;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;

export const Off = {
  baseOffset: 0,
  batchLength: 8,
  leaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
} as const;

export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4);
}
export function writeInt64(buf: Buffer, at: number, v: number): void {
  const hi = Math.floor(v / 0x1_0000_0000);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * 0x1_0000_0000, at + 4);
}

export class InvalidBatchError extends Error {
  override name = 'InvalidBatchError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Total size of the batch at `at`, or -1 when fewer than 12 bytes remain. */
export function batchSize(buf: Buffer, at: number): number {
  if (at + LOG_OVERHEAD > buf.length) return -1;
  return LOG_OVERHEAD + buf.readInt32BE(at + Off.batchLength);
}

/** Validates one complete batch (magic 2, sane length, CRC-32C). Throws InvalidBatchError. */
export function validateBatch(buf: Buffer, at: number, size: number): void {
  if (size < BATCH_HEADER_SIZE || at + size > buf.length) throw new InvalidBatchError('truncated batch', 2);
  if (buf[at + Off.magic] !== 2) throw new InvalidBatchError(`unsupported magic ${buf[at + Off.magic]}`, 2);
  const stored = buf.readUInt32BE(at + Off.crc);
  const actual = crc32c(buf, at + Off.attributes, at + size);
  if (stored !== actual) throw new InvalidBatchError('CRC-32C mismatch', 2);
}

export interface ControlMarker {
  producerId: number;
  producerEpoch: number;
  commit: boolean;
  timestamp: number;
  coordinatorEpoch?: number;
}

/** Builds a transaction marker (control batch with one COMMIT or ABORT record). */
export function controlBatch(m: ControlMarker): Buffer {
  // record: length, attributes, timestampDelta, offsetDelta, keyLen(4) key, valueLen(6) value, headers(0)
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(m.commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(m.coordinatorEpoch ?? 0, 2);
  const body = Buffer.from([0, 0, 0, 8, ...key, 12, ...value, 0]);
  const record = Buffer.concat([Buffer.from([body.length * 2]), body]);
  const size = BATCH_HEADER_SIZE + record.length;
  const b = Buffer.alloc(size);
  writeInt64(b, Off.baseOffset, 0);
  b.writeInt32BE(size - LOG_OVERHEAD, Off.batchLength);
  b.writeInt32BE(0, Off.leaderEpoch);
  b.writeInt8(2, Off.magic);
  b.writeInt16BE(ATTR_TRANSACTIONAL | ATTR_CONTROL, Off.attributes);
  b.writeInt32BE(0, Off.lastOffsetDelta);
  writeInt64(b, Off.baseTimestamp, m.timestamp);
  writeInt64(b, Off.maxTimestamp, m.timestamp);
  writeInt64(b, Off.producerId, m.producerId);
  b.writeInt16BE(m.producerEpoch, Off.producerEpoch);
  b.writeInt32BE(-1, Off.baseSequence);
  b.writeInt32BE(1, Off.recordsCount);
  record.copy(b, BATCH_HEADER_SIZE);
  b.writeUInt32BE(crc32c(b, Off.attributes, size), Off.crc);
  return b;
}
