/// <reference path="./vendor.d.ts" />
/**
 * Kafka's record-batch compression codecs (attributes bits 0–2), decompression only: the broker
 * stores batches as produced, but decodes them on append to verify their records, as Kafka's
 * LogValidator does. Output is capped so a small batch cannot inflate into gigabytes.
 */

import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { decompress as lz4Decompress } from 'lz4js';
import { uncompress as snappyUncompress } from 'snappyjs';

export const CODEC_NONE = 0;
export const CODEC_GZIP = 1;
export const CODEC_SNAPPY = 2;
export const CODEC_LZ4 = 3;
export const CODEC_ZSTD = 4;

/** Largest decompressed records section accepted. */
export const MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024;

export class CodecError extends Error {
  override name = 'CodecError';
}

// Kafka's snappy is snappy-java's stream framing: a 16-byte header, then [int32 length][raw block]*.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

function snappy(payload: Buffer): Buffer {
  if (payload.length < 16 || !payload.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return Buffer.from(snappyUncompress(payload, MAX_DECOMPRESSED_BYTES));
  }
  const parts: Buffer[] = [];
  let total = 0;
  let at = 16;
  while (at < payload.length) {
    if (at + 4 > payload.length) throw new CodecError('truncated snappy block length');
    const length = payload.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > payload.length) throw new CodecError('truncated snappy block');
    const block = Buffer.from(
      snappyUncompress(payload.subarray(at, at + length), MAX_DECOMPRESSED_BYTES - total),
    );
    total += block.length;
    parts.push(block);
    at += length;
  }
  return Buffer.concat(parts, total);
}

/** The records section of a batch, decompressed; throws CodecError for an unknown or broken codec. */
export function decompressRecords(codec: number, payload: Buffer): Buffer {
  let out: Uint8Array;
  try {
    switch (codec) {
      case CODEC_NONE:
        return payload;
      case CODEC_GZIP:
        return gunzipSync(payload, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
      case CODEC_SNAPPY:
        return snappy(payload);
      case CODEC_LZ4:
        out = lz4Decompress(payload);
        break;
      case CODEC_ZSTD:
        out = zstdDecompress(payload);
        break;
      default:
        throw new CodecError(`unknown compression codec ${codec}`);
    }
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError(`records do not decompress with codec ${codec}: ${(e as Error).message}`);
  }
  if (out.length > MAX_DECOMPRESSED_BYTES) throw new CodecError('decompressed records exceed the limit');
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}
