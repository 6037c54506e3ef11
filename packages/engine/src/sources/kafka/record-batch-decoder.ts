/**
 * Kafka record batches (message format v2) decoded straight into the Kafka source's rows
 * (docs/decisions/0009): `key, value, topic, partition, offset, timestamp, timestampType[, headers]`,
 * offsets and timestamps as numbers, key and value as slices of the fetched bytes.
 */
import { createRequire } from 'node:module';
import { crc32c } from '@sluice/broker';
import type { Row } from '../../types/data-type.js';

const require = createRequire(import.meta.url);
/** The codecs registered with kafkajs (gzip built in; snappy, lz4, zstd when the user registers them). */
const { lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression') as {
  lookupCodecByAttributes(attributes: number): { decompress(b: Buffer): Promise<Buffer> } | undefined;
};

/** A transaction the broker reports aborted: its records from `firstOffset` up to its ABORT marker. */
export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: number;
}

export interface RecordSetContext {
  readonly topic: string;
  readonly partition: number;
  /** Records before it are dropped (a compressed batch can start before the offset fetched). */
  readonly fetchOffset: number;
  readonly includeHeaders: boolean;
  /** `read_committed`: the aborted transactions' records are dropped (null when the broker sent none). */
  readonly abortedTransactions: readonly AbortedTransaction[] | null;
  /** Kafka's `check.crcs` (default true): every batch's CRC-32C is verified before it is read. */
  readonly checkCrcs: boolean;
}

const BATCH_HEADER = 61;
const COMPRESSION_MASK = 0x07;
const LOG_APPEND_TIME = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const ABORT_MARKER = 0;

/** The int64 at `at` as a number (offsets and timestamps fit 2^53). */
export function int64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

/** Reads varints from `buf` at `pos`, moving `pos` (one instance per record set: no allocation per field). */
class VarintReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  /** A zig-zag varint (int32). */
  varint(): number {
    const buf = this.buf;
    let value = 0;
    let shift = 0;
    let b: number;
    do {
      b = buf[this.pos++] as number;
      value |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    return (value >>> 1) ^ -(value & 1);
  }

  /** A zig-zag varlong as a number (timestamp deltas are far below 2^53). */
  varlong(): number {
    const buf = this.buf;
    let value = 0;
    let scale = 1;
    let b: number;
    do {
      b = buf[this.pos++] as number;
      value += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80 && scale <= 2 ** 63);
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }

  string(): string {
    const length = this.varint();
    const start = this.pos;
    this.pos += Math.max(length, 0);
    return this.buf.toString('utf8', start, this.pos);
  }
}

/** A fetched batch whose CRC does not match its bytes (Kafka's CorruptRecordException, as the Java consumer words it). */
export class CorruptRecordBatchError extends Error {
  constructor(topic: string, partition: number, baseOffset: number, stored: number, computed: number) {
    super(
      `Record batch for partition ${topic}-${partition} at offset ${baseOffset} is invalid, cause: ` +
        `Record is corrupt (stored crc = ${stored}, computed crc = ${computed})`,
    );
    this.name = 'CorruptRecordBatchError';
  }
}

/** The legacy message formats (v0/v1, removed in Kafka 4) are not read: a clear error instead of a guess. */
export class UnsupportedMessageFormatError extends Error {
  constructor(topic: string, partition: number, magic: number, offset: number) {
    super(
      `Kafka partition ${topic}-${partition} holds records in message format v${magic} at offset ${offset}; ` +
        'the Kafka source reads format v2 (Kafka 0.11 and later): convert the topic ' +
        '(log.message.format.version) or re-produce its records',
    );
    this.name = 'UnsupportedMessageFormatError';
  }
}

/**
 * Where the fetch after this record set starts: past its last complete batch (the batch headers
 * only, no record is read), or `fetchOffset` when it holds none. `decodeRecordSet` returns the same.
 */
export function recordSetEnd(records: Buffer, fetchOffset: number): number {
  let next = fetchOffset;
  let at = 0;
  while (at + BATCH_HEADER <= records.length) {
    const size = 12 + records.readInt32BE(at + 8);
    if (at + size > records.length) break;
    next = Math.max(next, int64(records, at) + records.readInt32BE(at + 23) + 1);
    at += size;
  }
  return next;
}

/**
 * Appends the records of a fetched record set to `out` and returns where the next fetch starts
 * (as `recordSetEnd`). A trailing partial batch (the broker cuts the set at the fetch size) is left
 * for the next fetch. Control batches are skipped; with aborted transactions given (`read_committed`), the records of
 * a transactional batch whose producer has an open aborted transaction are skipped, as Kafka's
 * Java consumer does: a transaction is aborted from its first offset up to its ABORT marker.
 */
export async function decodeRecordSet(records: Buffer, ctx: RecordSetContext, out: Row[]): Promise<number> {
  let nextOffset = ctx.fetchOffset;
  const aborted = ctx.abortedTransactions
    ? [...ctx.abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset)
    : [];
  let abortedAt = 0;
  const abortedProducers = new Set<bigint>();
  let at = 0;
  while (at + BATCH_HEADER <= records.length) {
    const baseOffset = int64(records, at);
    const size = 12 + records.readInt32BE(at + 8);
    if (at + size > records.length) break;
    const magic = records.readInt8(at + 16);
    if (magic !== 2) throw new UnsupportedMessageFormatError(ctx.topic, ctx.partition, magic, baseOffset);
    if (ctx.checkCrcs) {
      // The CRC covers the batch from its attributes to its end.
      const stored = records.readUInt32BE(at + 17);
      const computed = crc32c(records, at + 21, at + size);
      if (stored !== computed)
        throw new CorruptRecordBatchError(ctx.topic, ctx.partition, baseOffset, stored, computed);
    }
    const attributes = records.readInt16BE(at + 21);
    const lastOffset = baseOffset + records.readInt32BE(at + 23);
    const batchStart = at;
    at += size;
    nextOffset = Math.max(nextOffset, lastOffset + 1);
    if (ctx.abortedTransactions !== null) {
      const producerId = records.readBigInt64BE(batchStart + 43);
      if (producerId >= 0n) {
        while (abortedAt < aborted.length && aborted[abortedAt]!.firstOffset <= lastOffset) {
          abortedProducers.add(aborted[abortedAt++]!.producerId);
        }
        if (attributes & CONTROL) {
          if (isAbortMarker(records, batchStart, size)) abortedProducers.delete(producerId);
          continue;
        }
        if (attributes & TRANSACTIONAL && abortedProducers.has(producerId)) continue;
      }
    }
    if (attributes & CONTROL || lastOffset < ctx.fetchOffset) continue;
    const count = records.readInt32BE(batchStart + 57);
    const codec = attributes & COMPRESSION_MASK;
    let reader: VarintReader;
    if (codec === 0) {
      reader = new VarintReader(records.subarray(0, batchStart + size));
      reader.pos = batchStart + BATCH_HEADER;
    } else {
      const decompressor = lookupCodecByAttributes(attributes);
      if (!decompressor) {
        throw new Error(
          `Kafka partition ${ctx.topic}-${ctx.partition}: no codec for compression type ${codec} at offset ${baseOffset}`,
        );
      }
      reader = new VarintReader(
        await decompressor.decompress(records.subarray(batchStart + BATCH_HEADER, batchStart + size)),
      );
    }
    const logAppendTime = (attributes & LOG_APPEND_TIME) !== 0;
    appendRecords(
      reader,
      count,
      baseOffset,
      int64(records, batchStart + 27),
      logAppendTime ? int64(records, batchStart + 35) : -1,
      ctx,
      out,
    );
  }
  return nextOffset;
}

function appendRecords(
  reader: VarintReader,
  count: number,
  baseOffset: number,
  baseTimestamp: number,
  logAppendTimestamp: number,
  ctx: RecordSetContext,
  out: Row[],
): void {
  const { topic, partition, fetchOffset, includeHeaders } = ctx;
  const timestampType = logAppendTimestamp >= 0 ? 1 : 0;
  const end = reader.buf.length;
  for (let i = 0; i < count && reader.pos < end; i++) {
    const length = reader.varint();
    const recordEnd = reader.pos + length;
    reader.pos++; // attributes: unused in format v2
    const timestampDelta = reader.varlong();
    const offset = baseOffset + reader.varint();
    const key = reader.bytes();
    const value = reader.bytes();
    if (offset >= fetchOffset) {
      const timestamp = logAppendTimestamp >= 0 ? logAppendTimestamp : baseTimestamp + timestampDelta;
      const row: Row = [key, value, topic, partition, offset, timestamp * 1000, timestampType];
      if (includeHeaders) {
        const headers: unknown[] = [];
        const n = reader.varint();
        for (let h = 0; h < n; h++) {
          const name = reader.string();
          headers.push([name, reader.bytes()]);
        }
        row.push(headers);
      }
      out.push(row);
    }
    reader.pos = recordEnd;
  }
}

/** Whether a control batch is an ABORT marker: its record's key is (version int16, type int16). */
function isAbortMarker(records: Buffer, batchStart: number, size: number): boolean {
  if (
    records.readInt32BE(batchStart + 57) < 1 ||
    (records.readInt16BE(batchStart + 21) & COMPRESSION_MASK) !== 0
  ) {
    return false;
  }
  const reader = new VarintReader(records.subarray(0, batchStart + size));
  reader.pos = batchStart + BATCH_HEADER;
  reader.varint(); // length
  reader.pos++; // attributes
  reader.varlong();
  reader.varint();
  const key = reader.bytes();
  return key !== null && key.length >= 4 && key.readInt16BE(2) === ABORT_MARKER;
}
