import { AnalysisError } from '../errors.js';
import type { DataType, Row, StructField, StructType } from '../types/data-type.js';
import { Decimal } from '../types/decimal.js';
import { canonicalLong, outOfLongRange } from '../types/long.js';

const MICROS_PER_DAY = 86_400_000_000;

/** Infers a Spark type of a JS value (PySpark-style: integral numbers are bigint). */
export function inferType(v: unknown): DataType {
  if (v === null || v === undefined) return { kind: 'null' };
  if (typeof v === 'boolean') return { kind: 'boolean' };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'long' } : { kind: 'double' };
  if (typeof v === 'bigint') return { kind: 'long' };
  if (typeof v === 'string') return { kind: 'string' };
  if (v instanceof Date) return { kind: 'timestamp' };
  if (v instanceof Decimal)
    return { kind: 'decimal', precision: 38, scale: Math.min(18, Math.max(v.scale, 0)) };
  if (v instanceof Uint8Array) return { kind: 'binary' };
  if (Array.isArray(v)) {
    let el: DataType = { kind: 'null' };
    for (const x of v) el = mergeTypes(el, inferType(x));
    return {
      kind: 'array',
      elementType: el,
      containsNull: v.some((x) => x === null || x === undefined) || el.kind === 'null',
    };
  }
  if (v instanceof Map) {
    let k: DataType = { kind: 'null' };
    let val: DataType = { kind: 'null' };
    for (const [a, b] of v) {
      k = mergeTypes(k, inferType(a));
      val = mergeTypes(val, inferType(b));
    }
    return { kind: 'map', keyType: k, valueType: val, valueContainsNull: true };
  }
  if (typeof v === 'object') {
    return {
      kind: 'struct',
      fields: Object.entries(v as Record<string, unknown>).map(([name, x]) => ({
        name,
        dataType: inferType(x),
        nullable: true,
      })),
    };
  }
  throw new AnalysisError('CANNOT_INFER_TYPE', `Cannot infer a Spark type for ${String(v)}.`);
}

/** The type both values fit (PySpark's merge of inferred types); fails on incompatible kinds. */
export function mergeTypes(a: DataType, b: DataType): DataType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === b.kind && a.kind !== 'array' && a.kind !== 'struct' && a.kind !== 'map') return a;
  if ((a.kind === 'long' && b.kind === 'double') || (a.kind === 'double' && b.kind === 'long'))
    return { kind: 'double' };
  if (a.kind === 'array' && b.kind === 'array')
    return {
      kind: 'array',
      elementType: mergeTypes(a.elementType, b.elementType),
      containsNull: a.containsNull || b.containsNull,
    };
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields: StructField[] = a.fields.map((f) => {
      const g = b.fields.find((x) => x.name === f.name);
      return g ? { ...f, dataType: mergeTypes(f.dataType, g.dataType) } : f;
    });
    for (const g of b.fields) if (!fields.some((f) => f.name === g.name)) fields.push(g);
    return { kind: 'struct', fields };
  }
  if (a.kind === 'map' && b.kind === 'map')
    return {
      kind: 'map',
      keyType: mergeTypes(a.keyType, b.keyType),
      valueType: mergeTypes(a.valueType, b.valueType),
      valueContainsNull: true,
    };
  throw new AnalysisError(
    'CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE',
    `Failed to merge incompatible data types "${a.kind.toUpperCase()}" and "${b.kind.toUpperCase()}".`,
  );
}

/** Converts a JS value to the engine's runtime value of type t. */
export function toEngineValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'timestamp':
      if (v instanceof Date) return v.getTime() * 1000;
      if (typeof v === 'string') {
        const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
        if (Number.isNaN(ms)) throw new AnalysisError('CAST_INVALID_INPUT', `Invalid timestamp '${v}'.`);
        return ms * 1000;
      }
      return Number(v);
    case 'date':
      if (v instanceof Date) return Math.floor((v.getTime() * 1000) / MICROS_PER_DAY);
      if (typeof v === 'string') {
        const ms = Date.parse(`${v}T00:00:00Z`);
        if (Number.isNaN(ms)) throw new AnalysisError('CAST_INVALID_INPUT', `Invalid date '${v}'.`);
        return Math.floor(ms / 86_400_000);
      }
      return Number(v);
    case 'long':
    case 'int':
    case 'short':
    case 'byte':
      if (typeof v !== 'bigint') return v;
      if (t.kind === 'long' && !outOfLongRange(v)) return canonicalLong(v);
      if (t.kind === 'long')
        throw new AnalysisError('CAST_OVERFLOW', `The value ${v} does not fit the type "BIGINT".`);
      return Number(v);
    case 'decimal':
      if (v instanceof Decimal) return v.setScale(t.scale);
      if (typeof v === 'number') return Decimal.fromNumber(v).setScale(t.scale);
      if (typeof v === 'string') return (Decimal.parse(v) ?? Decimal.ZERO).setScale(t.scale);
      if (typeof v === 'bigint') return Decimal.fromBigInt(v).setScale(t.scale);
      return v;
    case 'binary':
      return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    case 'array':
      return (v as unknown[]).map((x) => toEngineValue(x, t.elementType));
    case 'map': {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
      return new Map(entries.map(([k, x]) => [toEngineValue(k, t.keyType), toEngineValue(x, t.valueType)]));
    }
    case 'struct': {
      if (Array.isArray(v)) return t.fields.map((f, i) => toEngineValue(v[i], f.dataType));
      const o = v as Record<string, unknown>;
      return t.fields.map((f) => toEngineValue(o[f.name], f.dataType));
    }
    default:
      return v;
  }
}

/**
 * Rows and schema for `createDataFrame`: positional arrays or objects; schema given, or names
 * only, or inferred from the values.
 */
export function createRows(
  input: readonly (readonly unknown[] | Record<string, unknown>)[],
  schema?: StructType | string[],
): { schema: StructType; rows: Row[] } {
  let names: string[] | undefined;
  let st: StructType | undefined;
  if (Array.isArray(schema)) names = schema as string[];
  else if (schema) st = schema as StructType;
  const first = input[0];
  const objects = first !== undefined && !Array.isArray(first);
  if (!names && !st) {
    if (objects) {
      const seen: string[] = [];
      for (const r of input) for (const k of Object.keys(r)) if (!seen.includes(k)) seen.push(k);
      names = seen;
    } else names = ((first as unknown[] | undefined) ?? []).map((_, i) => `_${i + 1}`);
  }
  const colNames = st ? st.fields.map((f) => f.name) : names!;
  const positional: unknown[][] = input.map((r) => {
    if (Array.isArray(r)) return r as unknown[];
    return colNames.map((n) => (r as Record<string, unknown>)[n] ?? null);
  });
  if (!st) {
    const fields: StructField[] = colNames.map((name, i) => {
      let t: DataType = { kind: 'null' };
      for (const r of positional) t = mergeTypes(t, inferType(r[i]));
      return { name, dataType: t, nullable: true };
    });
    st = { kind: 'struct', fields };
  }
  const width = st.fields.length;
  const rows = positional.map((r, ri) => {
    if (r.length !== width)
      throw new AnalysisError(
        'AXIS_LENGTH_MISMATCH',
        `Row ${ri} has ${r.length} values but the schema has ${width} fields.`,
      );
    return st!.fields.map((f, i) => toEngineValue(r[i], f.dataType));
  });
  return { schema: st, rows };
}
