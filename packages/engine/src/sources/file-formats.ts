import { AnalysisError } from '../errors.js';
import type { DataType, Row, StructType } from '../types/data-type.js';
import { parseDate, parseTimestamp } from '../types/datetime.js';
import { Decimal } from '../types/decimal.js';

/**
 * Reads one file's bytes into rows of `schema` (the data columns only; the file source appends
 * partition columns). Registered per format: the batch readers of `session.read` (io/reader.ts)
 * register json, csv, text and parquet, so streaming and batch reads parse files identically.
 */
export type FileFormatReader = (
  data: Buffer,
  schema: StructType,
  options: Readonly<Record<string, string>>,
  path: string,
) => Row[] | Promise<Row[]>;

const readers = new Map<string, FileFormatReader>();

/** Registers (or replaces) the reader of a file format (`json`, `csv`, `text`, `parquet`, ...). */
export function registerFileFormatReader(format: string, reader: FileFormatReader): void {
  readers.set(format.toLowerCase(), reader);
}

/** The reader of a format, or an AnalysisError. */
export function getFileFormatReader(format: string): FileFormatReader {
  const r = readers.get(format.toLowerCase());
  if (!r) {
    throw new AnalysisError(
      'DATA_SOURCE_NOT_FOUND',
      `Failed to find the data source: ${format}. Known file formats: ${[...readers.keys()].sort().join(', ')}.`,
    );
  }
  return r;
}

/** Converts a JSON value to the engine value of `t` (PERMISSIVE: values that do not fit become null). */
export function jsonToValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'string':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return typeof v === 'number' && Number.isInteger(v) ? v : null;
    case 'float':
    case 'double':
      if (typeof v === 'number') return v;
      if (v === 'NaN') return Number.NaN;
      if (v === 'Infinity') return Number.POSITIVE_INFINITY;
      if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
      return null;
    case 'decimal':
      try {
        return typeof v === 'number' || typeof v === 'string' ? Decimal.parse(String(v)) : null;
      } catch {
        return null;
      }
    case 'timestamp':
      if (typeof v === 'string') return parseTimestamp(v);
      if (typeof v === 'number') return Math.round(v * 1_000_000);
      return null;
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
      return t.fields.map((f) => jsonToValue((v as Record<string, unknown>)[f.name], f.dataType));
    default:
      return null;
  }
}

/** Converts CSV text to the engine value of `t` (empty = null; PERMISSIVE: bad values become null). */
export function textToValue(s: string, t: DataType, nullValue: string): unknown {
  if (s === nullValue) return null;
  switch (t.kind) {
    case 'string':
      return s;
    case 'boolean': {
      const l = s.trim().toLowerCase();
      return l === 'true' ? true : l === 'false' ? false : null;
    }
    case 'byte':
    case 'short':
    case 'int':
    case 'long': {
      const n = Number(s.trim());
      return s.trim() !== '' && Number.isInteger(n) ? n : null;
    }
    case 'float':
    case 'double': {
      const n = Number(s.trim());
      return s.trim() !== '' && !Number.isNaN(n) ? n : s.trim() === 'NaN' ? Number.NaN : null;
    }
    case 'decimal':
      try {
        return Decimal.parse(s.trim());
      } catch {
        return null;
      }
    case 'timestamp':
      return parseTimestamp(s);
    case 'date':
      return parseDate(s);
    default:
      return null;
  }
}
