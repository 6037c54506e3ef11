import { type BoundExpr, compileExpr, valueKey } from '../plan/expr-api.js';
import type { DataType, Row } from '../types/data-type.js';

export type KeyValue = string | number | boolean | null;

/**
 * The one definition of grouping equality (Spark's: NaN equals NaN, -0 equals 0, decimals by
 * value, binary by bytes, structs/arrays/maps by their elements) used by hash joins, hash
 * aggregation, distinct and set operations here and by the streaming operators' `GroupIndex`.
 * The state store's durable key codec (`state/key-encoding.ts`) is a serialization, not an
 * equality, and agrees with it.
 *
 * Fast path types whose runtime value is already a valid Map key with Spark's equality (a Map
 * compares with SameValueZero: -0 equals 0, NaN equals NaN).
 */
const DIRECT = new Set([
  'boolean',
  'byte',
  'short',
  'int',
  'long',
  'float',
  'double',
  'date',
  'timestamp',
  'string',
]);

/** Whether values of t are their own grouping key. */
export function isDirectKeyType(t: DataType): boolean {
  return DIRECT.has(t.kind);
}

/** A hash key for one value of type t (equal keys ⇔ Spark-equal values; null → null). */
export function keyOfValue(t: DataType): (v: unknown) => KeyValue {
  if (t.kind === 'float' || t.kind === 'double')
    return (v) => (v === undefined || v === null ? null : v === 0 ? 0 : (v as number));
  if (DIRECT.has(t.kind)) return (v) => (v === undefined ? null : (v as KeyValue));
  return (v) => valueKey(v, t);
}

/**
 * Key of several values: a single value keeps its primitive key; several are joined into a string
 * with a type tag per part (so 1 and '1' differ and null is distinct from 'null').
 */
export function compositeKey(types: readonly DataType[]): (values: readonly unknown[]) => KeyValue {
  const fns = types.map(keyOfValue);
  if (fns.length === 1) {
    const f = fns[0]!;
    return (vs) => f(vs[0] ?? null);
  }
  return (vs) => {
    let s = '';
    for (let i = 0; i < fns.length; i++) {
      const k = fns[i]!(vs[i] ?? null);
      s +=
        k === null ? '\u0000N' : typeof k === 'string' ? `\u0000s${k.length}:${k}` : `\u0000${typeof k}${k}`;
    }
    return s;
  };
}

/** Compiles key expressions into a function producing `[key, keyValues]` for a row. */
export function compileKeys(exprs: readonly BoundExpr[]): {
  values: (row: Row) => unknown[];
  key: (values: readonly unknown[]) => KeyValue;
  anyNull: (values: readonly unknown[]) => boolean;
} {
  const fns = exprs.map((e) => compileExpr(e));
  const values =
    fns.length === 1
      ? (row: Row) => [fns[0]!(row)]
      : (row: Row) => {
          const out = new Array(fns.length);
          for (let i = 0; i < fns.length; i++) out[i] = fns[i]!(row);
          return out;
        };
  const key = compositeKey(exprs.map((e) => e.dataType));
  const anyNull = (vs: readonly unknown[]) => vs.some((v) => v === null || v === undefined);
  return { values, key, anyNull };
}
