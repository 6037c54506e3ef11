/** Struct field access (`s.f`), array subscripts (`a[0]`) and map lookups (`m['k']`). */
import { AnalysisError } from '../errors.js';
import { castExpr, makeCall, typeMismatch } from '../functions/registry.js';
import type { DataType } from '../types/data-type.js';
import { arrayType, isIntegral, isPrimitiveComparable, sqlTypeName, T } from '../types/types.js';
import type { BoundExpr } from './bound.js';
import { makeEquals } from './compare.js';
import { invalidArrayIndex } from './runtime-errors.js';

/** Looks a key up in a map value with Spark's key equality. */
export function mapGetter(keyType: DataType): (m: Map<unknown, unknown>, k: unknown) => unknown {
  if (isPrimitiveComparable(keyType)) return (m, k) => m.get(k) ?? null;
  const eq = makeEquals(keyType);
  return (m, k) => {
    const direct = m.get(k);
    if (direct !== undefined) return direct;
    for (const [mk, v] of m) if (eq(mk, k)) return v;
    return null;
  };
}

/** `base.field` on a struct (by name), an array of structs (field of each) or a map (value by key). */
export function extractField(base: BoundExpr, field: string, caseSensitive = false): BoundExpr {
  const t = base.dataType;
  const eq = (a: string) => (caseSensitive ? a === field : a.toLowerCase() === field.toLowerCase());
  if (t.kind === 'struct') {
    const idx = t.fields.findIndex((f) => eq(f.name));
    if (idx < 0) {
      throw new AnalysisError(
        'FIELD_NOT_FOUND',
        `No such struct field \`${field}\` in ${t.fields.map((f) => `\`${f.name}\``).join(', ')}.`,
      );
    }
    const f = t.fields[idx]!;
    const call = makeCall(
      'getfield',
      [base],
      f.dataType,
      { inline: ([s]) => `${s}[${idx}]` },
      {
        sql: `${base.sql}.${f.name}`,
        nullable: base.nullable || f.nullable,
      },
    );
    return { ...call, fieldName: f.name } as BoundExpr;
  }
  if (t.kind === 'array' && t.elementType.kind === 'struct') {
    const st = t.elementType;
    const idx = st.fields.findIndex((f) => eq(f.name));
    if (idx < 0) {
      throw new AnalysisError(
        'FIELD_NOT_FOUND',
        `No such struct field \`${field}\` in ${st.fields.map((f) => `\`${f.name}\``).join(', ')}.`,
      );
    }
    const f = st.fields[idx]!;
    return makeCall(
      'getarraystructfields',
      [base],
      arrayType(f.dataType, t.containsNull || f.nullable),
      { fn: (a: (unknown[] | null)[]) => a.map((s) => (s === null ? null : (s[idx] ?? null))) },
      { sql: `${base.sql}.${f.name}` },
    );
  }
  if (t.kind === 'map') {
    const key = castExpr(
      { kind: 'literal', value: field, dataType: T.string, nullable: false, sql: field },
      t.keyType,
      false,
    );
    const get = mapGetter(t.keyType);
    return makeCall(
      'getmapvalue',
      [base, key],
      t.valueType,
      { fn: get },
      { sql: `${base.sql}.${field}`, nullable: true },
    );
  }
  throw new AnalysisError(
    'INVALID_EXTRACT_BASE_FIELD_TYPE',
    `Can't extract a value from "${base.sql}". Need a complex type [STRUCT, ARRAY, MAP] but got "${sqlTypeName(t)}".`,
  );
}

/** `arr[i]` (0-based; ANSI: out of range raises INVALID_ARRAY_INDEX) and `map[key]`. */
export function extractSubscript(base: BoundExpr, index: BoundExpr, ansi: boolean): BoundExpr {
  const t = base.dataType;
  const sql = `${base.sql}[${index.sql}]`;
  if (t.kind === 'array') {
    if (!isIntegral(index.dataType) && index.dataType.kind !== 'null' && index.dataType.kind !== 'string') {
      throw typeMismatch(
        sql,
        `The second parameter requires the "INTEGRAL" type, however "${index.sql}" has the type "${sqlTypeName(index.dataType)}"`,
      );
    }
    const i = castExpr(index, T.int, ansi);
    const fn = (a: unknown[], k: number) => {
      if (k < 0 || k >= a.length) {
        if (ansi) throw invalidArrayIndex(k, a.length);
        return null;
      }
      return a[k] ?? null;
    };
    return makeCall('getarrayitem', [base, i], t.elementType, { fn }, { sql, nullable: true });
  }
  if (t.kind === 'map') {
    const k = castExpr(index, t.keyType, ansi);
    return makeCall(
      'getmapvalue',
      [base, k],
      t.valueType,
      { fn: mapGetter(t.keyType) },
      { sql, nullable: true },
    );
  }
  if (t.kind === 'struct' && index.kind === 'literal' && typeof index.value === 'string') {
    return extractField(base, index.value);
  }
  throw new AnalysisError(
    'INVALID_EXTRACT_BASE_FIELD_TYPE',
    `Can't extract a value from "${base.sql}". Need a complex type [STRUCT, ARRAY, MAP] but got "${sqlTypeName(t)}".`,
  );
}
