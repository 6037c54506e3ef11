/**
 * Reads a data file's bytes, decompressed by its extension as Spark's Hadoop codecs do for text-based
 * formats (json, csv, text): `.gz`/`.gzip` and `.deflate`. An extension naming a codec Sluice cannot
 * decode fails with a clear error instead of reading compressed bytes as one corrupt record (or, with
 * DROPMALFORMED, dropping the whole file silently).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, inflateSync } from 'node:zlib';
import { ExecutionError } from '../errors.js';

const UNSUPPORTED = ['.bz2', '.lz4', '.snappy', '.zst', '.zstd', '.xz', '.br'];

export function readDataFile(path: string): Buffer {
  const lower = path.toLowerCase();
  const data = readFileSync(path);
  try {
    if (lower.endsWith('.gz') || lower.endsWith('.gzip')) return gunzipSync(data);
    if (lower.endsWith('.deflate')) return inflateSync(data);
  } catch (e) {
    throw new ExecutionError(
      'FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER',
      `Encountered error while reading file ${path}: it is not valid ${lower.endsWith('.deflate') ? 'deflate' : 'gzip'} data (${(e as Error).message}).`,
    );
  }
  const codec = UNSUPPORTED.find((ext) => lower.endsWith(ext));
  if (codec) {
    throw new ExecutionError(
      'FAILED_READ_FILE.UNSUPPORTED_FILE_SYSTEM',
      `Encountered error while reading file ${path}: the ${codec} compression codec is not supported (gzip and deflate are).`,
    );
  }
  return data;
}
