/** Builds uncompressed record batch v2 bytes (CRC-32C filled in): for tests and load generators. */
import { gzipSync } from 'node:zlib';
import { Writer } from '../protocol/writer.js';
import { crc32c } from './crc32c.js';
import { ATTR_TRANSACTIONAL, BATCH_HEADER_SIZE, Off, writeInt64 } from './record-batch.js';

export interface BatchOptions {
  timestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  /** Per-record timestamps (default: every record at `timestamp`). */
  timestamps?: number[];
  /** Compress the records with gzip (codec 1). */
  gzip?: boolean;
}

export function buildBatch(values: string[], o: BatchOptions = {}): Buffer {
  const ts = o.timestamps?.[0] ?? o.timestamp ?? Date.now();
  const maxTs = o.timestamps ? Math.max(...o.timestamps) : ts;
  const records = new Writer();
  values.forEach((v, i) => {
    const body = new Writer();
    const value = Buffer.from(v);
    const delta = (o.timestamps?.[i] ?? ts) - ts;
    body.int8(0).varint(delta).varint(i).varint(-1).varint(value.length).raw(value).varint(0);
    const bytes = body.toBuffer();
    records.varint(bytes.length).raw(bytes);
  });
  const plain = records.toBuffer();
  const payload = o.gzip ? gzipSync(plain) : plain;
  const b = Buffer.alloc(BATCH_HEADER_SIZE + payload.length);
  b.writeInt32BE(b.length - 12, Off.batchLength);
  b.writeInt8(2, Off.magic);
  b.writeInt16BE((o.transactional ? ATTR_TRANSACTIONAL : 0) | (o.gzip ? 1 : 0), Off.attributes);
  b.writeInt32BE(values.length - 1, Off.lastOffsetDelta);
  writeInt64(b, Off.baseTimestamp, ts);
  writeInt64(b, Off.maxTimestamp, maxTs);
  writeInt64(b, Off.producerId, o.producerId ?? -1);
  b.writeInt16BE(o.producerEpoch ?? -1, Off.producerEpoch);
  b.writeInt32BE(o.baseSequence ?? -1, Off.baseSequence);
  b.writeInt32BE(values.length, Off.recordsCount);
  payload.copy(b, BATCH_HEADER_SIZE);
  b.writeUInt32BE(crc32c(b, Off.attributes, b.length), Off.crc);
  return b;
}
