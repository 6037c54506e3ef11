import type { DataType, Row, StructField, StructType } from '../types/data-type.js';
import { parseDate, parseTimestamp } from '../types/datetime.js';
import { Decimal } from '../types/decimal.js';
import { outOfLongRange, stringifyWithLongs } from '../types/long.js';
import { parseJsonExact } from './json-exact.js';
import type { ParseMode } from './parse-mode.js';

/**
 * Converts a parsed JSON value to the engine value of `t`; null when the value does not fit the type
 * (the caller treats a non-null input that converts to null as a malformed record).
 */
export function jsonToValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'bigint' ? String(v) : stringifyWithLongs(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'byte':
    case 'short':
    case 'int':
    case 'long': {
      // An integer beyond ±2^53 arrives as a bigint (io/json-exact.ts): exact for a long.
      if (typeof v === 'bigint') return t.kind === 'long' && !outOfLongRange(v) ? v : null;
      if (typeof v !== 'number' || !Number.isInteger(v)) return null;
      const limit =
        t.kind === 'int'
          ? 2147483647
          : t.kind === 'short'
            ? 32767
            : t.kind === 'byte'
              ? 127
              : Number.MAX_SAFE_INTEGER;
      return v > limit || v < -limit - 1 ? null : v;
    }
    case 'float':
    case 'double':
      if (typeof v === 'bigint') v = Number(v);
      if (typeof v === 'number') return t.kind === 'float' ? Math.fround(v) : v;
      if (v === 'NaN') return Number.NaN;
      if (v === 'Infinity' || v === '+INF' || v === 'INF') return Number.POSITIVE_INFINITY;
      if (v === '-Infinity' || v === '-INF') return Number.NEGATIVE_INFINITY;
      return null;
    case 'decimal': {
      if (typeof v !== 'number' && typeof v !== 'string') return null;
      const d = Decimal.parse(String(v));
      return d === null ? null : d.setScale(t.scale);
    }
    case 'timestamp':
      return typeof v === 'string' ? parseTimestamp(v) : null;
    case 'date':
      return typeof v === 'string' ? parseDate(v) : null;
    case 'binary':
      return typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'base64')) : null;
    case 'array':
      return Array.isArray(v) ? v.map((x) => jsonToValue(x, t.elementType)) : null;
    case 'map':
      if (typeof v !== 'object' || Array.isArray(v)) return null;
      return new Map(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, jsonToValue(x, t.valueType)]),
      );
    case 'struct':
      if (typeof v !== 'object' || Array.isArray(v)) return null;
      return t.fields.map((f) => jsonToValue((v as Record<string, unknown>)[f.name] ?? null, f.dataType));
    default:
      return null;
  }
}

/** One JSON record: the parsed value, or undefined when the text is not valid JSON. */
export interface JsonRecord {
  readonly value: unknown;
  readonly text: string;
  readonly ok: boolean;
}

/**
 * Jackson's default maximum nesting depth (StreamReadConstraints, Spark 3.5+): a deeper document is
 * a malformed record to Spark, and to Sluice, whose recursive passes over values would otherwise
 * overflow the stack.
 */
export const MAX_JSON_NESTING_DEPTH = 1000;

/** Whether a parsed JSON value nests at most `max` arrays/objects deep (checked without recursion). */
export function jsonDepthWithin(value: unknown, max = MAX_JSON_NESTING_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return false;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return true;
}

/** JSON Lines (default) or, with multiLine, one document per file (an object or an array of them). */
export function parseJsonRecords(text: string, multiLine: boolean): JsonRecord[] {
  if (multiLine) {
    try {
      const v = parseJsonExact(text);
      return (Array.isArray(v) ? v : [v]).map((x) => ({
        value: x,
        text: stringifyWithLongs(x),
        ok: isObject(x) && jsonDepthWithin(x),
      }));
    } catch {
      return [{ value: undefined, text, ok: false }];
    }
  }
  const out: JsonRecord[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    try {
      const v = parseJsonExact(line);
      out.push({ value: v, text: line, ok: isObject(v) && jsonDepthWithin(v) });
    } catch {
      out.push({ value: undefined, text: line, ok: false });
    }
  }
  return out;
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Spark's JSON type inference: integral → bigint, fractional → double, objects → structs with sorted fields. */
export function inferJsonType(v: unknown): DataType {
  if (v === null || v === undefined) return { kind: 'null' };
  if (typeof v === 'boolean') return { kind: 'boolean' };
  if (typeof v === 'bigint') return outOfLongRange(v) ? { kind: 'double' } : { kind: 'long' };
  if (typeof v === 'number')
    return Number.isInteger(v) && Number.isSafeInteger(v) ? { kind: 'long' } : { kind: 'double' };
  if (typeof v === 'string') return { kind: 'string' };
  if (Array.isArray(v)) {
    let el: DataType = { kind: 'null' };
    for (const x of v) el = mergeJsonTypes(el, inferJsonType(x));
    return { kind: 'array', elementType: el, containsNull: true };
  }
  const fields = Object.entries(v as Record<string, unknown>)
    .map(([name, x]) => ({ name, dataType: inferJsonType(x), nullable: true }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind: 'struct', fields };
}

/** Spark's compatible-type merge for JSON inference (conflicts become string). */
export function mergeJsonTypes(a: DataType, b: DataType): DataType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === b.kind) {
    if (a.kind === 'struct' && b.kind === 'struct') {
      const byName = new Map<string, StructField>();
      for (const f of a.fields) byName.set(f.name, f);
      for (const f of b.fields) {
        const g = byName.get(f.name);
        byName.set(f.name, g ? { ...g, dataType: mergeJsonTypes(g.dataType, f.dataType) } : f);
      }
      return {
        kind: 'struct',
        fields: [...byName.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
      };
    }
    if (a.kind === 'array' && b.kind === 'array')
      return { kind: 'array', elementType: mergeJsonTypes(a.elementType, b.elementType), containsNull: true };
    return a;
  }
  if ((a.kind === 'long' && b.kind === 'double') || (a.kind === 'double' && b.kind === 'long'))
    return { kind: 'double' };
  return { kind: 'string' };
}

/** Replaces null-only (void) types by string, as Spark does at the end of inference. */
function voidToString(t: DataType): DataType {
  if (t.kind === 'null') return { kind: 'string' };
  if (t.kind === 'array') return { ...t, elementType: voidToString(t.elementType) };
  if (t.kind === 'struct')
    return { kind: 'struct', fields: t.fields.map((f) => ({ ...f, dataType: voidToString(f.dataType) })) };
  return t;
}

/** The schema of JSON records; a corrupt-record column is added when some record does not parse. */
export function inferJsonSchema(
  records: readonly JsonRecord[],
  corruptColumn: string,
  permissive: boolean,
): StructType {
  let t: DataType = { kind: 'struct', fields: [] };
  let corrupt = false;
  for (const r of records) {
    if (!r.ok) {
      corrupt = true;
      continue;
    }
    t = mergeJsonTypes(t, inferJsonType(r.value));
  }
  let fields = (voidToString(t) as StructType).fields;
  if (corrupt && permissive && !fields.some((f) => f.name === corruptColumn)) {
    fields = [
      ...fields,
      { name: corruptColumn, dataType: { kind: 'string' } as DataType, nullable: true },
    ].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  }
  return { kind: 'struct', fields };
}

function fits(v: unknown, t: DataType): boolean {
  if (v === null || v === undefined) return true;
  return jsonToValue(v, t) !== null;
}

/** Records → rows of `schema` under the parse mode (corrupt text goes to the corrupt-record column). */
export function jsonRows(
  records: readonly JsonRecord[],
  schema: StructType,
  mode: ParseMode,
  corruptColumn: string,
): Row[] {
  const corruptIdx = schema.fields.findIndex((f) => f.name === corruptColumn && f.dataType.kind === 'string');
  const out: Row[] = [];
  for (const r of records) {
    const row: Row = new Array(schema.fields.length).fill(null);
    let bad = !r.ok;
    if (r.ok) {
      const o = r.value as Record<string, unknown>;
      schema.fields.forEach((f, i) => {
        if (i === corruptIdx) return;
        let v = o[f.name];
        if (v === undefined) {
          const key = Object.keys(o).find((k) => k.toLowerCase() === f.name.toLowerCase());
          v = key === undefined ? undefined : o[key];
        }
        if (v === undefined || v === null) return;
        if (!fits(v, f.dataType)) {
          bad = true;
          return;
        }
        row[i] = jsonToValue(v, f.dataType);
      });
    }
    if (mode.onRecord(bad, r.text) === 'drop') continue;
    if (bad && corruptIdx >= 0) row[corruptIdx] = r.text;
    out.push(row);
  }
  return out;
}
