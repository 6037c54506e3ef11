/**
 * Kafka's LogValidator checks for a batch a client produced: the header must agree with the records
 * it holds (offset range = record count, every record well framed, no bytes left over, a known codec
 * whose payload really decompresses, compressed records numbered 0..n-1). A batch that lies is
 * refused before anything is written, so it can never poison the log for consumers, the index writer
 * or the next restart. The error codes are the ones Apache Kafka 4.1 answers for the same bytes
 * (hostile-produce.test.ts asks it): INVALID_RECORD for a record structure that lies, and
 * UNKNOWN_SERVER_ERROR — not retriable, so a producer gives up at once — for a payload that does not
 * decompress, an unknown codec, or compressed records out of order.
 */
import { ErrorCode } from '../protocol/error-codes.js';
import { CodecError, decompressRecords } from './codecs.js';
import { ATTR_CONTROL, BATCH_HEADER_SIZE, InvalidBatchError, Off, readInt64 } from './record-batch.js';

export interface RecordPosition {
  readonly offsetDelta: number;
  readonly timestamp: number;
}

/**
 * Decodes every record of one batch (decompressing it), checking its framing; calls `visit` for
 * each until it returns true. Throws InvalidBatchError. This runs on every produced batch, so it
 * reads varints straight from the buffer (no reader object, no exceptions on the good path).
 */
export function walkRecords(batch: Buffer, visit?: (r: RecordPosition) => boolean | undefined): void {
  const codec = batch.readInt16BE(Off.attributes) & 0x07;
  let records: Buffer;
  try {
    records = decompressRecords(codec, batch.subarray(BATCH_HEADER_SIZE));
  } catch (e) {
    if (e instanceof CodecError) throw new InvalidBatchError(e.message, ErrorCode.UNKNOWN_SERVER_ERROR);
    throw e;
  }
  const count = batch.readInt32BE(Off.recordsCount);
  const baseTimestamp = visit ? readInt64(batch, Off.baseTimestamp) : 0;
  const end = records.length;
  const corrupt = (why: string) => new InvalidBatchError(why, ErrorCode.INVALID_RECORD);
  let pos = 0;
  /** A zigzag varint (up to 10 bytes); NaN when it runs past the end. */
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end || shift > 63) return Number.NaN;
      const b = records[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    return result % 2 === 1 ? -(result + 1) / 2 : result / 2;
  };
  /** Skips a varint-length-prefixed field; false when the length is invalid or overruns `limit`. */
  const skip = (nullable: boolean, limit: number): boolean => {
    const n = varint();
    if (Number.isNaN(n) || n < -1 || (n === -1 && !nullable)) return false;
    if (n > 0) pos += n;
    return pos <= limit;
  };
  for (let i = 0; i < count; i++) {
    if (pos >= end) throw corrupt(`the batch claims ${count} records but holds ${i}`);
    const length = varint();
    const recordEnd = pos + length;
    if (!(length > 0) || recordEnd > end) throw corrupt(`record ${i} has an invalid length ${length}`);
    pos++; // attributes (unused in v2)
    const timestampDelta = varint();
    const offsetDelta = varint();
    if (Number.isNaN(timestampDelta) || Number.isNaN(offsetDelta)) throw corrupt(`record ${i} is truncated`);
    // Kafka rewrites the offsets of an uncompressed batch in place and never reads the deltas; the
    // records of a compressed one must be numbered 0..n-1.
    if (codec !== 0 && offsetDelta !== i) {
      throw new InvalidBatchError(
        `compressed record ${i} has offset delta ${offsetDelta}; records must be numbered 0..${count - 1}`,
        ErrorCode.UNKNOWN_SERVER_ERROR,
      );
    }
    if (!skip(true, recordEnd) || !skip(true, recordEnd))
      throw corrupt(`record ${i} has an invalid key or value`);
    const headers = varint();
    if (!(headers >= 0)) throw corrupt(`record ${i} has an invalid header count`);
    for (let h = 0; h < headers; h++) {
      if (!skip(false, recordEnd) || !skip(true, recordEnd))
        throw corrupt(`record ${i} has an invalid header`);
    }
    if (pos !== recordEnd) throw corrupt(`record ${i}'s fields do not fill its length of ${length} bytes`);
    if (visit?.({ offsetDelta, timestamp: baseTimestamp + timestampDelta })) return;
  }
  if (pos !== end) throw corrupt(`${end - pos} bytes follow the batch's ${count} records`);
}

/** Header-against-records checks for a produced batch (after magic, length and CRC were checked). */
export function verifyProducedBatch(batch: Buffer): void {
  const attributes = batch.readInt16BE(Off.attributes);
  if (attributes & ATTR_CONTROL) {
    throw new InvalidBatchError('clients may not write control batches', ErrorCode.INVALID_RECORD);
  }
  const lastOffsetDelta = batch.readInt32BE(Off.lastOffsetDelta);
  const count = batch.readInt32BE(Off.recordsCount);
  if (lastOffsetDelta < 0) {
    throw new InvalidBatchError(
      `invalid offset range: lastOffsetDelta ${lastOffsetDelta}`,
      ErrorCode.INVALID_RECORD,
    );
  }
  if (count <= 0) throw new InvalidBatchError(`invalid record count ${count}`, ErrorCode.INVALID_RECORD);
  if (lastOffsetDelta + 1 !== count) {
    throw new InvalidBatchError(
      `inconsistent batch offset range [0, ${lastOffsetDelta}] and count of records ${count}`,
      ErrorCode.INVALID_RECORD,
    );
  }
  walkRecords(batch);
}
