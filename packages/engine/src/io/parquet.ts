import { readFileSync } from 'node:fs';
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { AnalysisError, ExecutionError } from '../errors.js';
import type { DataType, Row, StructField, StructType } from '../types/data-type.js';
import { Decimal } from '../types/decimal.js';
import { canonicalLong } from '../types/long.js';

interface SchemaNode {
  element: {
    name: string;
    type?: string;
    converted_type?: string;
    logical_type?: {
      type: string;
      unit?: string;
      precision?: number;
      scale?: number;
      bitWidth?: number;
      isSigned?: boolean;
    };
    repetition_type?: string;
    precision?: number;
    scale?: number;
    type_length?: number;
  };
  children: SchemaNode[];
}

/** The Spark type of a parquet schema node (primitive, LIST, MAP or group). */
function sparkType(n: SchemaNode): DataType {
  const e = n.element;
  const ct = e.converted_type;
  const lt = e.logical_type;
  if (n.children.length > 0) {
    if (ct === 'LIST' || lt?.type === 'LIST') {
      const rep = n.children[0]!;
      const el =
        rep.children.length === 1 && rep.element.repetition_type === 'REPEATED' ? rep.children[0]! : rep;
      return { kind: 'array', elementType: sparkType(el), containsNull: true };
    }
    if (ct === 'MAP' || ct === 'MAP_KEY_VALUE' || lt?.type === 'MAP') {
      const kv = n.children[0]!;
      return {
        kind: 'map',
        keyType: sparkType(kv.children[0]!),
        valueType: sparkType(kv.children[1]!),
        valueContainsNull: true,
      };
    }
    return { kind: 'struct', fields: n.children.map(fieldOf) };
  }
  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL')
    return {
      kind: 'decimal',
      precision: e.precision ?? lt?.precision ?? 38,
      scale: e.scale ?? lt?.scale ?? 0,
    };
  switch (e.type) {
    case 'BOOLEAN':
      return { kind: 'boolean' };
    case 'INT32':
      if (ct === 'DATE' || lt?.type === 'DATE') return { kind: 'date' };
      if (ct === 'INT_8') return { kind: 'byte' };
      if (ct === 'INT_16') return { kind: 'short' };
      return { kind: 'int' };
    case 'INT64':
      if (ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || lt?.type === 'TIMESTAMP')
        return { kind: 'timestamp' };
      return { kind: 'long' };
    case 'INT96':
      return { kind: 'timestamp' };
    case 'FLOAT':
      return { kind: 'float' };
    case 'DOUBLE':
      return { kind: 'double' };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return ct === 'UTF8' || ct === 'JSON' || ct === 'ENUM' || lt?.type === 'STRING'
        ? { kind: 'string' }
        : { kind: 'binary' };
    default:
      return { kind: 'binary' };
  }
}

function fieldOf(n: SchemaNode): StructField {
  return { name: n.element.name, dataType: sparkType(n), nullable: n.element.repetition_type !== 'REQUIRED' };
}

/** The Spark schema of a parquet file (read from its footer, synchronously). */
export function parquetFileSchema(data: Buffer): StructType {
  const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const meta = parquetMetadata(ab);
  const root = parquetSchema(meta) as unknown as SchemaNode;
  return { kind: 'struct', fields: root.children.map(fieldOf) };
}

/** Converts a decoded parquet value to the engine value of t. */
function toValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'long':
      return typeof v === 'bigint' ? canonicalLong(v) : v;
    case 'int':
    case 'short':
    case 'byte':
      return typeof v === 'bigint' ? Number(v) : v;
    case 'timestamp':
    case 'date':
      return typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() * 1000 : v;
    case 'decimal':
      return typeof v === 'number'
        ? Decimal.fromNumber(v).setScale(t.scale)
        : (Decimal.parse(String(v))?.setScale(t.scale) ?? null);
    case 'string':
      return typeof v === 'string'
        ? v
        : v instanceof Uint8Array
          ? Buffer.from(v).toString('utf8')
          : JSON.stringify(v);
    case 'binary':
      return v instanceof Uint8Array ? v : new Uint8Array(Buffer.from(String(v)));
    case 'array':
      return (v as unknown[]).map((x) => toValue(x, t.elementType));
    case 'map': {
      if (v instanceof Map)
        return new Map([...v].map(([k, x]) => [toValue(k, t.keyType), toValue(x, t.valueType)]));
      const entries = Array.isArray(v)
        ? (v as { key: unknown; value: unknown }[]).map((e) => [e.key, e.value] as const)
        : Object.entries(v as object);
      return new Map(entries.map(([k, x]) => [toValue(k, t.keyType), toValue(x, t.valueType)]));
    }
    case 'struct': {
      const o = v as Record<string, unknown>;
      return t.fields.map((f) => toValue(o[f.name], f.dataType));
    }
    default:
      return v;
  }
}

/** hyparquet's value parsers: timestamps as microseconds and dates as days (the engine's values). */
const PARSERS = {
  timestampFromMilliseconds: (v: bigint | number) => Number(v) * 1000,
  timestampFromMicroseconds: (v: bigint | number) => Number(v),
  timestampFromNanoseconds: (v: bigint | number) => Math.floor(Number(v) / 1000),
  dateFromDays: (v: number) => v,
  stringFromBytes: (v: Uint8Array | undefined) => (v === undefined || v === null ? v : utf8.decode(v)),
  jsonFromBytes: (v: Uint8Array | undefined) =>
    v === undefined || v === null ? v : JSON.parse(utf8.decode(v)),
  uuidFromBytes: (v: unknown) => v,
  geometryFromBytes: (v: unknown) => v,
  geographyFromBytes: (v: unknown) => v,
};
const utf8 = new TextDecoder();

/** The Spark schema of a parquet file on disk (its footer). */
export function parquetFileSchemaOf(path: string): StructType {
  return parquetFileSchema(readFileSync(path));
}

/**
 * Decodes one parquet file in-process (hyparquet is asynchronous: reads run as asynchronous leaves
 * of the plan, docs/decisions/0005-async-actions.md) and returns its rows in `schema`'s column order
 * (columns missing from the file are null).
 */
export async function readParquetBytes(
  data: Buffer,
  path: string,
  schema?: StructType,
): Promise<{ schema: StructType; rows: Row[] }> {
  let fileSchema: StructType;
  let raw: unknown[][] = [];
  try {
    fileSchema = parquetFileSchema(data);
    const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    await parquetRead({
      file: ab,
      rowFormat: 'array',
      parsers: PARSERS as never,
      onComplete: (rows: unknown[][]) => {
        raw = rows;
      },
    });
  } catch (err) {
    throw new ExecutionError(
      'CANNOT_READ_FILE_FOOTER',
      `Could not read parquet file ${path}: ${(err as Error).message}`,
      undefined,
      { cause: err },
    );
  }
  const target = schema ?? fileSchema;
  const index = target.fields.map((f) =>
    fileSchema.fields.findIndex((g) => g.name.toLowerCase() === f.name.toLowerCase()),
  );
  const rows = raw.map((r) =>
    target.fields.map((f, i) => (index[i]! < 0 ? null : toValue(r[index[i]!], f.dataType))),
  );
  return { schema: target, rows };
}

function parquetColumnType(t: DataType): {
  type: string;
  converted_type?: string;
  precision?: number;
  scale?: number;
} {
  switch (t.kind) {
    case 'boolean':
      return { type: 'BOOLEAN' };
    case 'byte':
      return { type: 'INT32', converted_type: 'INT_8' };
    case 'short':
      return { type: 'INT32', converted_type: 'INT_16' };
    case 'int':
      return { type: 'INT32' };
    case 'long':
      return { type: 'INT64' };
    case 'float':
      return { type: 'FLOAT' };
    case 'double':
      return { type: 'DOUBLE' };
    case 'string':
      return { type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    case 'binary':
      return { type: 'BYTE_ARRAY' };
    case 'date':
      return { type: 'INT32', converted_type: 'DATE' };
    case 'timestamp':
      return { type: 'INT64', converted_type: 'TIMESTAMP_MICROS' };
    case 'decimal':
      return {
        type: 'FIXED_LEN_BYTE_ARRAY',
        converted_type: 'DECIMAL',
        precision: t.precision,
        scale: t.scale,
      };
    default:
      return { type: 'BYTE_ARRAY', converted_type: 'JSON' };
  }
}

function toParquetValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'long':
      return BigInt(v as number);
    case 'decimal':
      return (v as Decimal).setScale(t.scale).unscaled;
    case 'array':
    case 'map':
    case 'struct':
      return jsonValue(v, t);
    default:
      return v;
  }
}

function jsonValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (t.kind === 'array') return (v as unknown[]).map((x) => jsonValue(x, t.elementType));
  if (t.kind === 'map')
    return Object.fromEntries(
      [...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), jsonValue(x, t.valueType)]),
    );
  if (t.kind === 'struct')
    return Object.fromEntries(t.fields.map((f, i) => [f.name, jsonValue((v as unknown[])[i], f.dataType)]));
  if (v instanceof Decimal) return Number(v.toString());
  return v;
}

/** Encodes rows as one parquet file (flat columns; nested values are stored as JSON strings). */
export function encodeParquet(rows: readonly Row[], schema: StructType): Uint8Array {
  const elements: Record<string, unknown>[] = [{ name: 'spark_schema', num_children: schema.fields.length }];
  const columnData = schema.fields.map((f, i) => {
    const pt = parquetColumnType(f.dataType);
    const el: Record<string, unknown> = { name: f.name, repetition_type: 'OPTIONAL', ...pt };
    if (pt.type === 'FIXED_LEN_BYTE_ARRAY') el.type_length = decimalBytes(pt.precision!);
    elements.push(el);
    return { name: f.name, data: rows.map((r) => toParquetValue(r[i], f.dataType)) };
  });
  if (schema.fields.length === 0)
    throw new AnalysisError(
      'EMPTY_SCHEMA_NOT_SUPPORTED_FOR_DATASOURCE',
      'The parquet datasource does not support writing empty or nested empty schemas.',
    );
  return new Uint8Array(
    parquetWriteBuffer({ columnData, schema: elements } as never) as unknown as ArrayBuffer,
  );
}

function decimalBytes(precision: number): number {
  let n = 1;
  while (2n ** BigInt(8 * n - 1) <= 10n ** BigInt(precision)) n++;
  return n;
}
