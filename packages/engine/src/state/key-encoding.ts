import { pack } from 'msgpackr';
import type { Row } from '../types/data-type.js';

/**
 * The state store's durable key codec (delta/snapshot files, LMDB keys, shard hashing): a key row
 * as a string usable as a JavaScript Map key. Which rows are the same key is decided before, by
 * the grouping equality of `exec/keys.ts` (operators store one representative row per group);
 * this codec only has to be stable and injective. Rows of strings, numbers, booleans
 * and nulls (almost every grouping key) take the JSON fast path; anything else (binary, Decimal,
 * nested values) is msgpack-encoded. Equal rows give equal strings. -0 and 0 encode alike, as
 * Spark normalizes them in grouping keys.
 */
export function encodeKey(key: Row): string {
  return jsonSafe(key) ? JSON.stringify(key) : `\u0001${pack(key).toString('latin1')}`;
}

/** True for finite numbers, strings, booleans, null and arrays of those (structs are arrays). */
function jsonSafe(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // JSON would print NaN/Infinity as null: those take the msgpack path that keeps them apart.
      return Number.isFinite(v);
    case 'object': {
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!jsonSafe(v[i])) return false;
      return true;
    }
    default:
      return false;
  }
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
