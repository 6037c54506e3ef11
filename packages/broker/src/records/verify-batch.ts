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
import { ProtocolError, Reader } from '../protocol/reader.js';
import { CodecError, decompressRecords } from './codecs.js';
import { ATTR_CONTROL, BATCH_HEADER_SIZE, InvalidBatchError, Off, readInt64 } from './record-batch.js';

export interface RecordPosition {
  readonly offsetDelta: number;
  readonly timestamp: number;
}

/**
 * Decodes every record of one batch (decompressing it), checking its framing; calls `visit` for
 * each until it returns true. Throws InvalidBatchError.
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
  const baseTimestamp = readInt64(batch, Off.baseTimestamp);
  const r = new Reader(records);
  const corrupt = (why: string) => new InvalidBatchError(why, ErrorCode.INVALID_RECORD);
  try {
    for (let i = 0; i < count; i++) {
      if (r.remaining() === 0) throw corrupt(`the batch claims ${count} records but holds ${i}`);
      const length = r.varint();
      const end = r.pos + length;
      if (length <= 0 || end > records.length) throw corrupt(`record ${i} has an invalid length ${length}`);
      r.int8(); // attributes (unused in v2)
      const timestamp = baseTimestamp + r.varint();
      const offsetDelta = r.varint();
      // Kafka rewrites the offsets of an uncompressed batch in place and never reads the deltas; the
      // records of a compressed one must be numbered 0..n-1.
      if (codec !== 0 && offsetDelta !== i) {
        throw new InvalidBatchError(
          `compressed record ${i} has offset delta ${offsetDelta}; records must be numbered 0..${count - 1}`,
          ErrorCode.UNKNOWN_SERVER_ERROR,
        );
      }
      skipBytes(r, true); // key
      skipBytes(r, true); // value
      const headers = r.varint();
      if (headers < 0) throw corrupt(`record ${i} has a negative header count`);
      for (let h = 0; h < headers; h++) {
        skipBytes(r, false); // header key
        skipBytes(r, true); // header value
      }
      if (r.pos !== end) throw corrupt(`record ${i}'s fields do not fill its length of ${length} bytes`);
      if (visit?.({ offsetDelta, timestamp })) return;
    }
  } catch (e) {
    if (e instanceof ProtocolError) throw corrupt(`truncated record: ${e.message}`);
    throw e;
  }
  if (r.remaining() !== 0) throw corrupt(`${r.remaining()} bytes follow the batch's ${count} records`);
}

function skipBytes(r: Reader, nullable: boolean): void {
  const n = r.varint();
  if (n < -1 || (n === -1 && !nullable)) throw new ProtocolError(`invalid length ${n}`);
  if (n > 0) {
    if (r.pos + n > r.buf.length) throw new ProtocolError(`truncated field of ${n} bytes`);
    r.pos += n;
  }
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
