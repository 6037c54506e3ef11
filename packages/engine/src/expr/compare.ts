/**
 * Ordering, equality and hashing keys of runtime values by type, with Spark's rules: NaN equals NaN
 * and sorts above every other double, -0.0 equals 0.0, arrays and structs compare element by element.
 */
import type { DataType } from '../types/data-type.js';
import type { Decimal } from '../types/decimal.js';
import type { Interval } from '../types/interval.js';

export type Comparator = (a: any, b: any) => number;

function compareDouble(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

function comparePrimitive(a: any, b: any): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
}

/** Total order on non-null values of type t (nulls are the caller's business). */
export function makeComparator(t: DataType): Comparator {
  switch (t.kind) {
    case 'float':
    case 'double':
      return compareDouble;
    case 'decimal':
      return (a: Decimal, b: Decimal) => a.compare(b);
    case 'binary':
      return compareBytes;
    case 'boolean':
      return (a: boolean, b: boolean) => (a === b ? 0 : a ? 1 : -1);
    case 'interval':
      return (a: Interval, b: Interval) =>
        comparePrimitive(a.months, b.months) ||
        comparePrimitive(a.days, b.days) ||
        comparePrimitive(a.micros, b.micros);
    case 'array': {
      const el = makeComparator(t.elementType);
      return (a: unknown[], b: unknown[]) => {
        const n = Math.min(a.length, b.length);
        for (let i = 0; i < n; i++) {
          const x = a[i] ?? null;
          const y = b[i] ?? null;
          if (x === null || y === null) {
            if (x !== y) return x === null ? -1 : 1;
            continue;
          }
          const c = el(x, y);
          if (c !== 0) return c;
        }
        return comparePrimitive(a.length, b.length);
      };
    }
    case 'struct': {
      const fs = t.fields.map((f) => makeComparator(f.dataType));
      return (a: unknown[], b: unknown[]) => {
        for (let i = 0; i < fs.length; i++) {
          const x = a[i] ?? null;
          const y = b[i] ?? null;
          if (x === null || y === null) {
            if (x !== y) return x === null ? -1 : 1;
            continue;
          }
          const c = fs[i]!(x, y);
          if (c !== 0) return c;
        }
        return 0;
      };
    }
    case 'map': {
      // Spark cannot order maps; compare entry lists so sorting is at least deterministic.
      const k = makeComparator(t.keyType);
      const v = makeComparator(t.valueType);
      return (a: Map<unknown, unknown>, b: Map<unknown, unknown>) => {
        const ea = [...a];
        const eb = [...b];
        const n = Math.min(ea.length, eb.length);
        for (let i = 0; i < n; i++) {
          const c = k(ea[i]![0], eb[i]![0]);
          if (c !== 0) return c;
          const x = ea[i]![1] ?? null;
          const y = eb[i]![1] ?? null;
          if (x === null || y === null) {
            if (x !== y) return x === null ? -1 : 1;
            continue;
          }
          const d = v(x, y);
          if (d !== 0) return d;
        }
        return comparePrimitive(ea.length, eb.length);
      };
    }
    default:
      return comparePrimitive;
  }
}

/** Equality of non-null values of type t. */
export function makeEquals(t: DataType): (a: any, b: any) => boolean {
  switch (t.kind) {
    case 'float':
    case 'double':
      return (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
    case 'boolean':
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
    case 'string':
    case 'date':
    case 'timestamp':
      return (a, b) => a === b;
    default: {
      const c = makeComparator(t);
      return (a, b) => c(a, b) === 0;
    }
  }
}

/**
 * A primitive key (number, string, boolean or null) equal for values Spark considers equal, for
 * hash maps keyed by values (GROUP BY, DISTINCT, joins, collect_set).
 */
export function valueKey(v: unknown, t: DataType): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'boolean':
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
    case 'date':
    case 'timestamp':
    case 'string':
      return v as string | number | boolean;
    case 'float':
    case 'double':
      return v === 0 ? 0 : (v as number);
    case 'decimal':
      return `d${(v as Decimal).key()}`;
    case 'binary':
      return `b${Buffer.from(v as Uint8Array).toString('base64')}`;
    case 'interval': {
      const i = v as Interval;
      return `i${i.months},${i.days},${i.micros}`;
    }
    default:
      return JSON.stringify(compositeKey(v, t));
  }
}

function compositeKey(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'array':
      return (v as unknown[]).map((x) => compositeKey(x, t.elementType));
    case 'struct':
      return t.fields.map((f, i) => compositeKey((v as unknown[])[i], f.dataType));
    case 'map':
      return [...(v as Map<unknown, unknown>)].map(([k, x]) => [
        compositeKey(k, t.keyType),
        compositeKey(x, t.valueType),
      ]);
    default: {
      const k = valueKey(v, t);
      // A long beyond ±2^53 is a bigint (JSON cannot hold it; tagged so it never equals a string).
      if (typeof k === 'bigint') return `\u0000L${k}`;
      return typeof k === 'number' && !Number.isFinite(k) ? String(k) : k;
    }
  }
}
