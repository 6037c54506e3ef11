import { type DataType, Decimal, formatValue, Interval, type StructType } from '@sluice/engine';

/**
 * Engine values → JSON (docs/server-api.md "Rows in JSON"): binary as UTF-8 when it decodes cleanly,
 * else `{ $binary: base64 }`; timestamps and dates as ISO strings; decimals and integers beyond 2^53
 * as strings; maps and structs as objects.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function toJsonValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'binary': {
      const bytes = value as Uint8Array;
      try {
        return utf8.decode(bytes);
      } catch {
        return { $binary: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
      }
    }
    case 'timestamp':
      return isoTimestamp(value as number);
    case 'date':
      return new Date((value as number) * 86_400_000).toISOString().slice(0, 10);
    case 'decimal':
      return value instanceof Decimal ? value.toString() : String(value);
    case 'long':
      if (typeof value === 'bigint')
        return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
      return Number.isSafeInteger(value) ? value : String(value);
    case 'float':
    case 'double':
      // JSON has no NaN or Infinity: Spark's JSON writes them as strings too.
      return Number.isFinite(value) ? value : String(value);
    case 'interval':
      return value instanceof Interval ? formatValue(value, type) : String(value);
    case 'array': {
      const element = type.elementType;
      return (value as unknown[]).map((v) => toJsonValue(v, element));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value as Map<unknown, unknown>) {
        const key = toJsonValue(k, type.keyType);
        out[typeof key === 'string' ? key : JSON.stringify(key)] = toJsonValue(v, type.valueType);
      }
      return out;
    }
    case 'struct':
      return rowToJson(value as unknown[], type);
    default:
      return typeof value === 'bigint' ? value.toString() : value;
  }
}

function isoTimestamp(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) return String(micros);
  const rest = micros - millis * 1000;
  const iso = date.toISOString();
  // Keep microseconds when there are any: `2024-01-01T00:00:00.123456Z`.
  return rest === 0 ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}

export function rowToJson(row: readonly unknown[], schema: StructType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  schema.fields.forEach((field, i) => {
    out[field.name] = toJsonValue(row[i], field.dataType);
  });
  return out;
}

/** Thrown for a JSON row that does not fit a memory source's schema. */
export class RowShapeError extends Error {}

function fromJsonValue(value: unknown, type: DataType, column: string): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'timestamp': {
      if (typeof value === 'number') return value * 1000;
      const millis = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(millis))
        throw new RowShapeError(`column ${column}: '${String(value)}' is not a timestamp`);
      return millis * 1000;
    }
    case 'date': {
      const millis = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(millis)) throw new RowShapeError(`column ${column}: '${String(value)}' is not a date`);
      return Math.floor(millis / 86_400_000);
    }
    case 'binary':
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      if (typeof value === 'object' && typeof (value as { $binary?: unknown }).$binary === 'string') {
        return Buffer.from((value as { $binary: string }).$binary, 'base64');
      }
      throw new RowShapeError(`column ${column}: expected a string or { $binary }`);
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      throw new RowShapeError(`column ${column}: '${String(value)}' is not an integer`);
    case 'float':
    case 'double':
      if (typeof value === 'number') return value;
      // How toJsonValue writes the values JSON has no number for.
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw new RowShapeError(`column ${column}: '${String(value)}' is not a number`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw new RowShapeError(`column ${column}: '${String(value)}' is not a boolean`);
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'decimal': {
      const parsed =
        typeof value === 'number' || typeof value === 'string' ? Decimal.parse(String(value)) : null;
      if (!parsed) throw new RowShapeError(`column ${column}: '${String(value)}' is not a decimal`);
      return parsed.setScale(type.scale);
    }
    case 'array': {
      if (!Array.isArray(value)) throw new RowShapeError(`column ${column}: expected an array`);
      const element = type.elementType;
      return value.map((v) => fromJsonValue(v, element, column));
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new RowShapeError(`column ${column}: expected an object`);
      const record = value as Record<string, unknown>;
      return type.fields.map((f) => fromJsonValue(record[f.name], f.dataType, `${column}.${f.name}`));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new RowShapeError(`column ${column}: expected an object`);
      const out = new Map<unknown, unknown>();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        // Keys were written as strings (non-string keys as their JSON text).
        const key = type.keyType.kind === 'string' ? k : fromJsonValue(parseJsonKey(k), type.keyType, column);
        out.set(key, fromJsonValue(v, type.valueType, column));
      }
      return out;
    }
    default:
      return value;
  }
}

function parseJsonKey(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A JSON object → the engine's positional row for `schema` (missing columns are null). */
export function rowFromJson(value: unknown, schema: StructType): unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RowShapeError('every row must be a JSON object keyed by column name');
  }
  const record = value as Record<string, unknown>;
  const names = new Set(schema.fields.map((f) => f.name));
  for (const key of Object.keys(record)) {
    if (!names.has(key)) throw new RowShapeError(`column ${key} is not in the source's schema`);
  }
  return schema.fields.map((f) => fromJsonValue(record[f.name], f.dataType, f.name));
}
