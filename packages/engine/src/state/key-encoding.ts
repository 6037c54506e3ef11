import { pack } from 'msgpackr';
import type { Row } from '../types/data-type.js';

/**
 * Encodes a key row to a string usable as a JavaScript Map key. Rows of strings, numbers, booleans
 * and nulls (almost every grouping key) take the JSON fast path; anything else (binary, Decimal,
 * nested values) is msgpack-encoded. Equal rows give equal strings. -0 and 0 encode alike, as
 * Spark normalizes them in grouping keys.
 */
export function encodeKey(key: Row): string {
  for (let i = 0; i < key.length; i++) {
    const v = key[i];
    const t = typeof v;
    if (v !== null && t !== 'string' && t !== 'number' && t !== 'boolean') {
      return `\u0001${pack(key).toString('latin1')}`;
    }
    if (t === 'number' && !Number.isFinite(v as number)) {
      // JSON would print NaN/Infinity as null: use the msgpack path that keeps them apart.
      return `\u0001${pack(key).toString('latin1')}`;
    }
  }
  return JSON.stringify(key);
}

/** Rough heap size of a value in bytes (for `memoryUsedBytes`). */
export function estimateSize(v: unknown): number {
  if (v === null || v === undefined) return 8;
  switch (typeof v) {
    case 'string':
      return 16 + v.length * 2;
    case 'number':
    case 'boolean':
      return 8;
    case 'bigint':
      return 16;
    case 'object': {
      if (Array.isArray(v)) {
        let s = 16 + v.length * 8;
        for (const x of v) s += estimateSize(x);
        return s;
      }
      if (v instanceof Uint8Array) return 64 + v.byteLength;
      if (v instanceof Map) {
        let s = 64;
        for (const [k, x] of v) s += estimateSize(k) + estimateSize(x) + 16;
        return s;
      }
      let s = 32;
      for (const x of Object.values(v)) s += 8 + estimateSize(x);
      return s;
    }
    default:
      return 8;
  }
}
