/** JSON functions: get_json_object, json_tuple, to_json, from_json, schema_of_json, json_array_length, json_object_keys. */

import { AnalysisError, ExecutionError } from '../errors.js';
import type { BoundExpr } from '../expr/bound.js';
import { makeCast } from '../expr/cast.js';
import { jsonDepthWithin } from '../io/json.js';
import { parseJsonExact, parseJsonLossless } from '../io/json-exact.js';
import { parseDataType, parseTableSchema } from '../sql/index.js';
import type { DataType, StructField } from '../types/data-type.js';
import { formatDate, timestampFields } from '../types/datetime.js';
import { Decimal } from '../types/decimal.js';
import { formatDouble, formatFloat } from '../types/format.js';
import { outOfLongRange, stringifyWithLongs } from '../types/long.js';
import { arrayType, isNumeric, mapType, sqlTypeName, structType, T } from '../types/types.js';
import { formatTimestampPattern, parseTimestampPattern } from './datetime-format.js';
import {
  coerceArgs,
  constantArg,
  defineScalar,
  makeCall,
  registerFunction,
  typeMismatch,
} from './registry.js';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseJsonExact(text) };
  } catch {
    return { ok: false };
  }
}

function jsonText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return stringifyWithLongs(v);
}

type PathStep = { key: string } | { index: number } | { wildcard: true };

function parsePath(path: string): PathStep[] | null {
  if (!path.startsWith('$')) return null;
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^\.([^.[\]]+)/.exec(path.slice(i));
      if (!m) return null;
      steps.push(m[1] === '*' ? { wildcard: true } : { key: m[1]! });
      i += m[0].length;
    } else if (c === '[') {
      const m = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/.exec(path.slice(i));
      if (!m) return null;
      if (m[1] !== undefined) steps.push({ index: Number(m[1]) });
      else if (m[2] !== undefined || m[3] !== undefined) steps.push({ key: (m[2] ?? m[3])! });
      else steps.push({ wildcard: true });
      i += m[0].length;
    } else return null;
  }
  return steps;
}

function evalPath(v: unknown, steps: PathStep[], at: number): unknown {
  if (at === steps.length) return v;
  const s = steps[at]!;
  if ('key' in s) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    return evalPath((v as Record<string, unknown>)[s.key], steps, at + 1);
  }
  if ('index' in s) {
    if (!Array.isArray(v)) return undefined;
    return evalPath(v[s.index], steps, at + 1);
  }
  if (!Array.isArray(v)) return undefined;
  const out = v.map((x) => evalPath(x, steps, at + 1)).filter((x) => x !== undefined);
  if (out.length === 0) return undefined;
  return out.length === 1 ? out[0] : out;
}

/** Spark's get_json_object: scalars unquoted, objects and arrays as JSON text, null when missing or invalid. */
const pathCache = new Map<string, PathStep[] | null>();

export function getJsonObject(json: string, path: string): string | null {
  let steps = pathCache.get(path);
  if (steps === undefined) {
    steps = parsePath(path.trim());
    if (pathCache.size > 1000) pathCache.clear();
    pathCache.set(path, steps);
  }
  if (!steps) return null;
  const p = parseJson(json);
  if (!p.ok) return null;
  const r = evalPath(p.value, steps, 0);
  return r === undefined ? null : jsonText(r);
}

defineScalar('get_json_object', {
  args: [T.string, T.string],
  ret: T.string,
  nullable: true,
  fn: getJsonObject,
});

/** The values of top-level keys of a JSON object, as json_tuple returns them. */
export function jsonTupleValues(json: string | null, keys: readonly (string | null)[]): (string | null)[] {
  if (json === null) return keys.map(() => null);
  const p = parseJson(json);
  if (!p.ok || p.value === null || typeof p.value !== 'object' || Array.isArray(p.value))
    return keys.map(() => null);
  const o = p.value as Record<string, unknown>;
  return keys.map((k) => (k === null ? null : jsonText(o[k])));
}

defineScalar('json_array_length', {
  args: [T.string],
  ret: T.int,
  nullable: true,
  fn: (s: string) => {
    const p = parseJson(s);
    return p.ok && Array.isArray(p.value) ? p.value.length : null;
  },
});

defineScalar('json_object_keys', {
  args: [T.string],
  ret: arrayType(T.string, false),
  nullable: true,
  fn: (s: string) => {
    const p = parseJson(s);
    return p.ok && p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value)
      ? Object.keys(p.value)
      : null;
  },
});

// ---------------- to_json ----------------

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** The second the last `jsonTimestamp` call fell in, and its text up to the seconds. */
let lastSecond = Number.NaN;
let lastSecondText = '';
const MILLIS_TEXT = Array.from({ length: 1000 }, (_, i) => `.${pad(i, 3)}Z`);

/**
 * JSON timestamps as Spark writes them by default: `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC. A stream's
 * timestamps come clustered in time: the calendar fields are worked out once per second.
 */
export function jsonTimestamp(ts: number): string {
  const second = Math.floor(ts / 1_000_000);
  if (second !== lastSecond) {
    const f = timestampFields(second * 1_000_000);
    lastSecondText = `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
    lastSecond = second;
  }
  return lastSecondText + MILLIS_TEXT[Math.floor((ts - second * 1_000_000) / 1000)];
}

/** A runtime value as JSON text (Spark's JacksonGenerator: null struct fields dropped). */
export function toJsonText(v: unknown, t: DataType, opts: JsonOptions = {}): string {
  return compileToJson(t, opts)(v);
}

type JsonWriter = (v: unknown) => string;

/**
 * to_json's writer for type t. Where every value of the type has the same text in `JSON.stringify`
 * of a plain object (see `compileJsonObject`), that is used: one native pass gives a flat string,
 * where the text writer's concatenations give a rope the Kafka producer must flatten to measure.
 * A value the object cannot hold (a long beyond 2^53) takes the text writer.
 */
export function compileToJson(t: DataType, opts: JsonOptions = {}): JsonWriter {
  const text = compileJsonWriter(t, opts);
  const object = compileJsonObject(t, opts);
  if (!object) return text;
  return (v) => {
    if (v === null || v === undefined) return 'null';
    try {
      return JSON.stringify(object(v));
    } catch (e) {
      if (e === NOT_IN_OBJECT) return text(v);
      throw e;
    }
  };
}

/** The string a non-null binary, date, timestamp or interval value is written as (quoted in the JSON). */
function jsonStringOf(
  t: DataType & { kind: 'binary' | 'date' | 'timestamp' | 'interval' },
  opts: JsonOptions,
): (v: unknown) => string {
  switch (t.kind) {
    case 'binary':
      return (v) => Buffer.from(v as Uint8Array).toString('base64');
    case 'date': {
      const format = opts.dateFormat;
      return format
        ? (v) => formatTimestampPattern((v as number) * 86_400_000_000, format)
        : (v) => formatDate(v as number);
    }
    case 'timestamp': {
      const format = opts.timestampFormat;
      return format ? (v) => formatTimestampPattern(v as number, format) : (v) => jsonTimestamp(v as number);
    }
    case 'interval':
      return (v) => String(v);
  }
}

/** Thrown by an object converter for a value JSON.stringify would not write as Spark does. */
const NOT_IN_OBJECT = new Error('not representable as a JSON object');

/**
 * Converts a value of type t to a plain JS value that JSON.stringify writes exactly as the text
 * writer does, or undefined for types it cannot: doubles and decimals (Spark prints `1.0` and
 * `1.0E21`), maps (an object would reorder integer-like keys), and structs with duplicate or
 * integer-like field names or `__proto__` (an object keeps neither).
 */
function compileJsonObject(t: DataType, opts: JsonOptions): ((v: unknown) => unknown) | undefined {
  switch (t.kind) {
    case 'boolean':
    case 'byte':
    case 'short':
    case 'int':
      return (v) => v;
    case 'long':
      return (v) => {
        if (typeof v === 'bigint') throw NOT_IN_OBJECT;
        return v;
      };
    case 'string':
      return (v) => v;
    case 'binary':
    case 'date':
    case 'timestamp':
    case 'interval':
      return jsonStringOf(t, opts);
    case 'array': {
      const element = compileJsonObject(t.elementType, opts);
      if (!element) return undefined;
      return (v) => {
        const a = v as unknown[];
        const out = new Array(a.length);
        for (let i = 0; i < a.length; i++) {
          const x = a[i];
          out[i] = x === null || x === undefined ? null : element(x);
        }
        return out;
      };
    }
    case 'struct': {
      const names = t.fields.map((f) => f.name);
      if (new Set(names).size !== names.length) return undefined;
      if (names.some((n) => /^\d+$/.test(n) || n === '__proto__')) return undefined;
      const fields = t.fields.map((f) => compileJsonObject(f.dataType, opts));
      if (fields.some((f) => f === undefined)) return undefined;
      const convert = fields as ((v: unknown) => unknown)[];
      const n = names.length;
      return (v) => {
        const row = v as unknown[];
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const x = row[i];
          if (x !== null && x !== undefined) out[names[i]!] = convert[i]!(x);
        }
        return out;
      };
    }
    default:
      return undefined;
  }
}

/**
 * A JSON text writer for type t built once (to_json binds it once per query): field names are
 * quoted once, and each value is written by a closure chosen for its type. Exported for the test
 * that holds `toJsonText`'s object path to it.
 */
export function compileJsonWriter(t: DataType, opts: JsonOptions): JsonWriter {
  switch (t.kind) {
    case 'boolean':
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return (v) => (v === null || v === undefined ? 'null' : String(v));
    case 'float':
    case 'double': {
      const format = t.kind === 'float' ? formatFloat : formatDouble;
      return (v) => {
        if (v === null || v === undefined) return 'null';
        const n = v as number;
        if (!Number.isFinite(n))
          return JSON.stringify(String(n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : 'NaN'));
        return format(n);
      };
    }
    case 'decimal':
      return (v) => (v === null || v === undefined ? 'null' : (v as Decimal).toString());
    case 'string':
      return (v) => (v === null || v === undefined ? 'null' : JSON.stringify(v));
    case 'binary':
    case 'date':
    case 'timestamp':
    case 'interval': {
      const text = jsonStringOf(t, opts);
      return (v) => (v === null || v === undefined ? 'null' : JSON.stringify(text(v)));
    }
    case 'array': {
      const element = compileJsonWriter(t.elementType, opts);
      return (v) => (v === null || v === undefined ? 'null' : `[${(v as unknown[]).map(element).join(',')}]`);
    }
    case 'map': {
      const value = compileJsonWriter(t.valueType, opts);
      return (v) => {
        if (v === null || v === undefined) return 'null';
        const parts: string[] = [];
        for (const [k, x] of v as Map<unknown, unknown>)
          parts.push(`${JSON.stringify(String(k))}:${value(x)}`);
        return `{${parts.join(',')}}`;
      };
    }
    case 'struct': {
      const n = t.fields.length;
      const keys = t.fields.map((f) => `${JSON.stringify(f.name)}:`);
      const writers = t.fields.map((f) => compileJsonWriter(f.dataType, opts));
      return (v) => {
        if (v === null || v === undefined) return 'null';
        const row = v as unknown[];
        let out = '{';
        let first = true;
        for (let i = 0; i < n; i++) {
          const x = row[i];
          if (x === null || x === undefined) continue;
          out += first ? keys[i]! : `,${keys[i]!}`;
          out += writers[i]!(x);
          first = false;
        }
        return `${out}}`;
      };
    }
    default:
      return () => 'null';
  }
}

registerFunction({
  name: 'to_json',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 2,
  bind: (args) => {
    const a = args[0]!;
    const t = a.dataType;
    if (t.kind !== 'struct' && t.kind !== 'map' && t.kind !== 'array') {
      throw typeMismatch(
        `to_json(${a.sql})`,
        `Input schema "${sqlTypeName(t)}" must be a struct, an array, a map or a variant`,
        'INVALID_JSON_SCHEMA',
      );
    }
    const opts = jsonOptions('to_json', args[1]);
    return makeCall('to_json', [a], T.string, { fn: compileToJson(t, opts) });
  },
});

// ---------------- schema_of_json ----------------

/** Infers Spark's schema of a parsed JSON value (integers → BIGINT, fractions → DOUBLE, object keys sorted). */
export function inferJsonType(v: unknown): DataType {
  if (v === null || v === undefined) return T.null;
  if (typeof v === 'boolean') return T.boolean;
  if (typeof v === 'bigint') return outOfLongRange(v) ? T.double : T.long;
  if (typeof v === 'number') return Number.isInteger(v) && !/[.eE]/.test(String(v)) ? T.long : T.double;
  if (typeof v === 'string') return T.string;
  if (Array.isArray(v)) {
    let el: DataType = T.null;
    for (const x of v) el = mergeJsonTypes(el, inferJsonType(x));
    return arrayType(el.kind === 'null' ? T.string : el, true);
  }
  const keys = Object.keys(v as object).sort();
  return structType(
    keys.map((k) => {
      const t = inferJsonType((v as Record<string, unknown>)[k]);
      return { name: k, dataType: t.kind === 'null' ? T.string : t, nullable: true };
    }),
  );
}

function mergeJsonTypes(a: DataType, b: DataType): DataType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === b.kind && a.kind !== 'struct' && a.kind !== 'array') return a;
  if (isNumeric(a) && isNumeric(b)) return T.double;
  if (a.kind === 'struct' && b.kind === 'struct') {
    const byName = new Map<string, StructField>();
    for (const f of [...a.fields, ...b.fields]) {
      const prev = byName.get(f.name);
      byName.set(f.name, prev ? { ...f, dataType: mergeJsonTypes(prev.dataType, f.dataType) } : f);
    }
    return structType([...byName.values()].sort((x, y) => (x.name < y.name ? -1 : 1)));
  }
  if (a.kind === 'array' && b.kind === 'array')
    return arrayType(mergeJsonTypes(a.elementType, b.elementType), true);
  return T.string;
}

registerFunction({
  name: 'schema_of_json',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 2,
  bind: (args) => {
    const text = constantArg('schema_of_json', args[0]!);
    const p = typeof text === 'string' ? parseJson(text) : { ok: false as const };
    if (!p.ok || !jsonDepthWithin(p.value))
      throw new AnalysisError('INVALID_JSON_SCHEMA', `Cannot infer a schema from ${String(text)}.`);
    const t = inferJsonType(p.value);
    const value = sqlTypeName(t.kind === 'null' ? T.string : t);
    return {
      kind: 'literal',
      value,
      dataType: T.string,
      nullable: false,
      sql: `schema_of_json(${args[0]!.sql})`,
    };
  },
});

// ---------------- from_json ----------------

const SPARK_JSON_ATOMIC: Record<string, DataType> = {
  boolean: T.boolean,
  byte: T.byte,
  short: T.short,
  integer: T.int,
  long: T.long,
  float: T.float,
  double: T.double,
  string: T.string,
  binary: T.binary,
  date: T.date,
  timestamp: T.timestamp,
  null: T.null,
  void: T.null,
  interval: T.interval,
};

/**
 * Converts a schema in Spark's JSON format (`StructType.json`: `{"type":"struct","fields":[...]}`)
 * or a serialized Sluice DataType (`{"kind":"struct",...}`) to a DataType.
 */
export function dataTypeFromJson(j: unknown): DataType {
  if (typeof j === 'string') {
    const atomic = SPARK_JSON_ATOMIC[j];
    if (atomic) return atomic;
    const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(j);
    if (m) return { kind: 'decimal', precision: Number(m[1]), scale: Number(m[2]) };
    throw new AnalysisError('INVALID_SCHEMA.PARSE_ERROR', `Cannot parse the data type "${j}".`);
  }
  if (j && typeof j === 'object') {
    const o = j as Record<string, unknown>;
    // Two spellings of the same tree: the engine's own DataType JSON (`kind`, fields' `dataType`)
    // and Spark's JSON schema (`type`, fields' `type`).
    const tag = typeof o.kind === 'string' ? o.kind : o.type;
    switch (tag) {
      case 'array':
        return {
          kind: 'array',
          elementType: dataTypeFromJson(o.elementType),
          containsNull: o.containsNull !== false,
        };
      case 'map':
        return {
          kind: 'map',
          keyType: dataTypeFromJson(o.keyType),
          valueType: dataTypeFromJson(o.valueType),
          valueContainsNull: o.valueContainsNull !== false,
        };
      case 'struct':
        return structType(
          ((o.fields as Record<string, unknown>[]) ?? []).map((f) => ({
            name: String(f.name),
            dataType: dataTypeFromJson(f.dataType ?? f.type),
            nullable: f.nullable !== false,
          })),
        );
      case 'decimal':
        if (typeof o.kind === 'string') {
          return { kind: 'decimal', precision: Number(o.precision), scale: Number(o.scale) };
        }
        break;
      default:
        if (typeof o.kind === 'string') {
          const t = (T as Record<string, DataType>)[o.kind];
          if (t) return t;
        }
    }
  }
  throw new AnalysisError('INVALID_SCHEMA.PARSE_ERROR', `Cannot parse the schema ${JSON.stringify(j)}.`);
}

/**
 * Parses from_json's schema: a DDL column list (`a INT, b STRING`), a type (`array<struct<a:int>>`),
 * Spark's JSON schema format or a serialized Sluice DataType.
 */
export function parseJsonSchema(text: string): DataType {
  if (text.trimStart().startsWith('{')) {
    let j: unknown;
    try {
      j = JSON.parse(text);
    } catch {
      throw new AnalysisError('INVALID_SCHEMA.PARSE_ERROR', `Cannot parse the schema: ${text}.`);
    }
    return dataTypeFromJson(j);
  }
  try {
    return parseTableSchema(text);
  } catch (ddlError) {
    try {
      return parseDataType(text);
    } catch {
      throw ddlError;
    }
  }
}

/** from_json / to_json options (Spark's JSON data source option names). */
export interface JsonOptions {
  /** PERMISSIVE (default): bad fields/records become null. FAILFAST: raise MALFORMED_RECORD_IN_PARSING. */
  mode?: 'PERMISSIVE' | 'FAILFAST';
  timestampFormat?: string;
  dateFormat?: string;
}

class Mismatch extends Error {}

/** Thrown by a converter that met an integer JSON.parse could not hold exactly. */
const NEEDS_EXACT = new Error('needs a lossless parse');

function bad(failFast: boolean): null {
  if (failFast) throw new Mismatch();
  return null;
}

/** Converts one parsed JSON value to the engine's value of a type. */
type JsonConverter = (v: unknown) => unknown;

/**
 * A converter for type t built once (from_json binds it once per query), so that each record's
 * conversion is a tree of small closures instead of a switch over the type at every value.
 */
function compileJsonConverter(t: DataType, opts: JsonOptions): JsonConverter {
  const ff = opts.mode === 'FAILFAST';
  switch (t.kind) {
    case 'string':
      return (v) =>
        v === null || v === undefined ? null : typeof v === 'string' ? v : stringifyWithLongs(v);
    case 'boolean':
      return (v) => (v === null || v === undefined ? null : typeof v === 'boolean' ? v : bad(ff));
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number' && Number.isInteger(v)) {
          // JSON.parse rounded an integer beyond ±2^53: the record is parsed again, losslessly.
          if (!Number.isSafeInteger(v)) throw NEEDS_EXACT;
          return v;
        }
        return typeof v === 'bigint' && t.kind === 'long' && !outOfLongRange(v) ? v : bad(ff);
      };
    case 'float':
    case 'double': {
      const float = t.kind === 'float';
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') return float ? Math.fround(v) : v;
        if (typeof v === 'bigint') return float ? Math.fround(Number(v)) : Number(v);
        if (v === 'NaN') return Number.NaN;
        if (v === 'Infinity') return Number.POSITIVE_INFINITY;
        if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
        return bad(ff);
      };
    }
    case 'decimal':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v !== 'number' && typeof v !== 'string') return bad(ff);
        const d = Decimal.parse(String(v));
        return (d ? d.toPrecision(t.precision, t.scale) : null) ?? bad(ff);
      };
    case 'date':
    case 'timestamp': {
      const pattern = t.kind === 'date' ? opts.dateFormat : opts.timestampFormat;
      const cast = makeCast(T.string, t, false)!;
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'string') {
          if (pattern) {
            const micros = parseTimestampPattern(v, pattern);
            if (micros === null) return bad(ff);
            return t.kind === 'date' ? Math.floor(micros / 86_400_000_000) : micros;
          }
          return cast(v) ?? bad(ff);
        }
        if (typeof v === 'number' && t.kind === 'timestamp') return Math.trunc(v * 1_000_000);
        return bad(ff);
      };
    }
    case 'binary':
      return (v) =>
        v === null || v === undefined
          ? null
          : typeof v === 'string'
            ? new Uint8Array(Buffer.from(v, 'base64'))
            : bad(ff);
    case 'array': {
      const element = compileJsonConverter(t.elementType, opts);
      return (v) => (v === null || v === undefined ? null : Array.isArray(v) ? v.map(element) : bad(ff));
    }
    case 'map': {
      const value = compileJsonConverter(t.valueType, opts);
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v !== 'object' || Array.isArray(v)) return bad(ff);
        const m = new Map();
        for (const [k, x] of Object.entries(v as object)) m.set(k, value(x));
        return m;
      };
    }
    case 'struct': {
      const names = t.fields.map((f) => f.name);
      const fields = t.fields.map((f) => compileJsonConverter(f.dataType, opts));
      const n = names.length;
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v !== 'object' || Array.isArray(v)) return bad(ff);
        const o = v as Record<string, unknown>;
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = fields[i]!(o[names[i]!]);
        return out;
      };
    }
    default:
      return () => null;
  }
}

function malformed(text: string): ExecutionError {
  return new ExecutionError(
    'MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION',
    `Malformed records are detected in record parsing: ${text}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
  );
}

/**
 * from_json with a parsed schema. PERMISSIVE (default): malformed JSON gives a struct of nulls (null
 * for non-struct schemas). FAILFAST: malformed JSON or a value of the wrong type raises
 * MALFORMED_RECORD_IN_PARSING (the streaming layer dead-letters such records).
 */
export function fromJson(text: string, t: DataType, opts: JsonOptions = {}): unknown {
  return fromJsonParser(t, opts)(text);
}

/** from_json's per-record function for a schema, with the converter compiled once. */
export function fromJsonParser(t: DataType, opts: JsonOptions): (text: string) => unknown {
  const convert = compileJsonConverter(t, opts);
  const failFast = opts.mode === 'FAILFAST';
  return (text) => {
    let parsed: unknown;
    try {
      // JSON.parse first (fast); a long field beyond ±2^53 asks for the lossless parse (rare).
      parsed = JSON.parse(text);
    } catch {
      if (failFast) throw malformed(text);
      return t.kind === 'struct' ? t.fields.map(() => null) : null;
    }
    try {
      try {
        return convert(parsed);
      } catch (e) {
        if (e !== NEEDS_EXACT) throw e;
        return convert(parseJsonLossless(text));
      }
    } catch (e) {
      if (e instanceof Mismatch) throw malformed(text);
      throw e;
    }
  };
}

/** Reads a constant `map('mode', 'FAILFAST', ...)` options argument. */
function jsonOptions(fnName: string, e: BoundExpr | undefined): JsonOptions {
  if (!e) return {};
  const v = constantArg(fnName, e);
  if (!(v instanceof Map)) {
    throw new AnalysisError('INVALID_OPTIONS.NON_MAP_FUNCTION', 'Must use the `map()` function for options.');
  }
  const opts: JsonOptions = {};
  for (const [k, x] of v as Map<unknown, unknown>) {
    const key = String(k).toLowerCase();
    if (key === 'mode') {
      const mode = String(x).toUpperCase();
      if (mode !== 'PERMISSIVE' && mode !== 'FAILFAST') {
        throw new AnalysisError(
          'PARSE_MODE_UNSUPPORTED',
          `The function \`${fnName}\` doesn't support the ${mode} mode. Acceptable modes are PERMISSIVE and FAILFAST.`,
        );
      }
      opts.mode = mode;
    } else if (key === 'timestampformat') opts.timestampFormat = String(x);
    else if (key === 'dateformat') opts.dateFormat = String(x);
  }
  return opts;
}

registerFunction({
  name: 'from_json',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 3,
  bind: (raw, ctx) => {
    const [json] = coerceArgs('from_json', [raw[0]!], [T.string], ctx);
    const schemaArg = raw[1]!;
    let t: DataType;
    const sv = constantArg('from_json', schemaArg);
    if (typeof sv === 'string') {
      t = parseJsonSchema(sv);
    } else if (sv && typeof sv === 'object' && 'kind' in (sv as object)) {
      t = sv as DataType;
    } else {
      throw new AnalysisError(
        'INVALID_SCHEMA.NON_STRING_LITERAL',
        `The input schema "${schemaArg.sql}" must be a string literal.`,
      );
    }
    const opts = jsonOptions('from_json', raw[2]);
    const call = (args: readonly BoundExpr[], schema: DataType, sql: string): BoundExpr =>
      makeCall('from_json', args, schema, { fn: fromJsonParser(schema, opts) }, { sql, nullable: true });
    const bound = call([json!], t, `from_json(${json!.sql})`);
    // FAILFAST must see every field (a bad one fails the record): only PERMISSIVE is pruned.
    if (opts.mode === 'FAILFAST') return bound;
    const withJsonSchema = (args: readonly BoundExpr[], schema: DataType): BoundExpr => ({
      ...(call(args, schema, `from_json(${args[0]!.sql})`) as BoundExpr & { kind: 'call' }),
      withJsonSchema,
    });
    return { ...(bound as BoundExpr & { kind: 'call' }), withJsonSchema };
  },
});

export type { BoundExpr };
export { mapType };
