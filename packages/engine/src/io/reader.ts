import { DataFrame } from '../dataframe/dataframe.js';
import { AnalysisError } from '../errors.js';
import { registerTableReader } from '../session/managed-tables.js';
import type { Session } from '../session/session.js';
import { registerFileFormatReader, registerFileSchemaInferrer } from '../sources/file-formats.js';
import { listDataFiles } from '../sources/file-source.js';
import { parseTableSchema } from '../sql/index.js';
import type { Row, StructField, StructType } from '../types/data-type.js';
import { batchFormatReader } from './batch-formats.js';
import { readDataFile } from './compressed-file.js';
import { csvOptions, csvRows, inferCsvSchema, tokenizeCsv } from './csv.js';
import { type DataFile, listFiles, partitionFields, partitionValue } from './files.js';
import { inferJsonSchema, jsonRows, parseJsonRecords } from './json.js';
import { parquetFileSchemaOf, readParquetBytes } from './parquet.js';
import { ParseMode } from './parse-mode.js';

export type FileFormat = 'json' | 'csv' | 'text' | 'parquet';

function opt(o: Readonly<Record<string, string>>, name: string): string | undefined {
  const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

function decode(data: Buffer, o: Readonly<Record<string, string>>): string {
  const enc = (opt(o, 'encoding') ?? opt(o, 'charset') ?? 'utf8').toLowerCase().replace('-', '');
  return data.toString(enc === 'utf8' ? 'utf8' : (enc as BufferEncoding));
}

/** Rows of one file's bytes in `schema` (data columns only): the per-file reader (also for the streaming file source). */
export function readFileBytes(
  format: FileFormat,
  data: Buffer,
  schema: StructType,
  options: Readonly<Record<string, string>>,
  path: string,
): Row[] | Promise<Row[]> {
  const mode = ParseMode.of(opt(options, 'mode'));
  switch (format) {
    case 'json': {
      const corrupt = opt(options, 'columnNameOfCorruptRecord') ?? '_corrupt_record';
      const multiLine = (opt(options, 'multiLine') ?? 'false').toLowerCase() === 'true';
      return jsonRows(parseJsonRecords(decode(data, options), multiLine), schema, mode, corrupt);
    }
    case 'csv': {
      const o = csvOptions(options);
      const corrupt = opt(options, 'columnNameOfCorruptRecord') ?? '_corrupt_record';
      return csvRows(tokenizeCsv(decode(data, options), o), schema, o, mode, corrupt);
    }
    case 'text': {
      const text = decode(data, options);
      if ((opt(options, 'wholetext') ?? 'false').toLowerCase() === 'true') return [[text]];
      const sep = opt(options, 'lineSep');
      const lines = sep ? text.split(sep) : text.split(/\r?\n/);
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      return lines.map((l) => [l]);
    }
    case 'parquet':
      return readParquetBytes(data, path, schema).then((r) => r.rows);
  }
}

/** Infers the data schema of files (json/csv sample all records; parquet reads the first footer). */
export function inferFileSchema(
  format: FileFormat,
  files: readonly DataFile[],
  options: Readonly<Record<string, string>>,
): StructType {
  switch (format) {
    case 'text':
      return { kind: 'struct', fields: [{ name: 'value', dataType: { kind: 'string' }, nullable: true }] };
    case 'json': {
      const multiLine = (opt(options, 'multiLine') ?? 'false').toLowerCase() === 'true';
      const corrupt = opt(options, 'columnNameOfCorruptRecord') ?? '_corrupt_record';
      const records = files.flatMap((f) =>
        parseJsonRecords(decode(readDataFile(f.path), options), multiLine),
      );
      return inferJsonSchema(records, corrupt, ParseMode.of(opt(options, 'mode')).mode === 'PERMISSIVE');
    }
    case 'csv': {
      const o = csvOptions(options);
      const infer = (opt(options, 'inferSchema') ?? 'false').toLowerCase() === 'true';
      const first = files[0];
      if (!first) return { kind: 'struct', fields: [] };
      const headerRecords = tokenizeCsv(decode(readDataFile(first.path), options), o);
      if (!infer) return inferCsvSchema(headerRecords.slice(0, o.header ? 2 : 1), o, false);
      const all = files.flatMap((f, i) => {
        const recs = i === 0 ? headerRecords : tokenizeCsv(decode(readDataFile(f.path), options), o);
        return i === 0 || !o.header ? recs : recs.slice(1);
      });
      return inferCsvSchema(all, o, true);
    }
    case 'parquet': {
      const first = files[0];
      if (!first)
        throw new AnalysisError(
          'UNABLE_TO_INFER_SCHEMA',
          'Unable to infer schema for Parquet. It must be specified manually.',
        );
      return parquetFileSchemaOf(first.path);
    }
  }
}

/**
 * Reads files of a format into rows: `paths` are files, directories or globs; `schema` given or
 * inferred (json, csv with inferSchema, parquet footers); `k=v` directories become partition
 * columns. Returns the full schema (data + partition columns) and rows.
 */
export function readFiles(
  format: FileFormat,
  paths: readonly string[],
  schema: StructType | undefined,
  options: Readonly<Record<string, string>> = {},
): { schema: StructType; rows: Row[]; load?: () => Promise<Row[]> } {
  const files = listFiles(paths);
  const parts = partitionFields(files);
  const partNames = new Set(parts.map((p) => p.name.toLowerCase()));
  let dataSchema: StructType;
  let partFields: StructField[] = parts;
  if (schema) {
    dataSchema = {
      kind: 'struct',
      fields: schema.fields.filter((f) => !partNames.has(f.name.toLowerCase())),
    };
    partFields = parts.map(
      (p) => schema.fields.find((f) => f.name.toLowerCase() === p.name.toLowerCase()) ?? p,
    );
  } else {
    if (files.length === 0 && format !== 'text')
      throw new AnalysisError(
        'UNABLE_TO_INFER_SCHEMA',
        `Unable to infer schema for ${format.toUpperCase() === 'JSON' ? 'JSON' : format === 'csv' ? 'CSV' : 'Parquet'}. It must be specified manually.`,
      );
    const inferred = inferFileSchema(format, files, options);
    dataSchema = {
      kind: 'struct',
      fields: inferred.fields.filter((f) => !partNames.has(f.name.toLowerCase())),
    };
  }
  const full: StructType = { kind: 'struct', fields: [...dataSchema.fields, ...partFields] };
  const order = schema
    ? // Keep the user's column order.
      schema.fields.map((f) => full.fields.findIndex((g) => g.name.toLowerCase() === f.name.toLowerCase()))
    : undefined;
  const assemble = (perFile: readonly Row[][]): Row[] => {
    const rows: Row[] = [];
    files.forEach((f, k) => {
      const fileRows = perFile[k]!;
      const pv = partFields.map((p) => partitionValue(f, p));
      for (const r of fileRows) {
        const withParts = pv.length === 0 ? r : r.concat(pv);
        rows.push(order ? order.map((i) => (i < 0 ? null : (withParts[i] ?? null))) : withParts);
      }
    });
    return rows;
  };
  const resultSchema = schema ?? full;
  const read = (f: DataFile) => readFileBytes(format, readDataFile(f.path), dataSchema, options, f.path);
  // Parquet decodes asynchronously: its rows load when an action runs.
  if (format === 'parquet') {
    return {
      schema: resultSchema,
      rows: [],
      load: async () => assemble(await Promise.all(files.map((f) => read(f)))),
    };
  }
  return { schema: resultSchema, rows: assemble(files.map((f) => read(f) as Row[])) };
}

// Managed tables (session/managed-tables.ts) are read like `read.format(provider).load(location)`;
// a table written by a streaming query reads only the files its sink log committed, as Spark does.
registerTableReader((t) => {
  // listDataFiles reads a file sink's output through its `_spark_metadata` log.
  const files = listDataFiles(t.location).map((f) => f.path);
  const label = `FileScan ${t.provider} spark_catalog.default.${t.name}`;
  if (files.length === 0) return { kind: 'localRelation', schema: t.schema, rows: [], label };
  const { schema, rows, load } = readFiles(t.provider as FileFormat, files, t.schema);
  return { kind: 'localRelation', schema, rows, label, ...(load ? { load } : {}) };
});

// The streaming file source reads through the registry: plug in the richer readers.
for (const f of ['json', 'csv', 'text', 'parquet'] as const) {
  registerFileFormatReader(f, (data, schema, options, path) => readFileBytes(f, data, schema, options, path));
  registerFileSchemaInferrer(f, (paths, options) => inferFileSchema(f, listFiles(paths), options));
}

/** `session.read`: Spark's DataFrameReader. */
export class DataFrameReader {
  private fmt: string = 'parquet';
  private readonly opts: Record<string, string> = {};
  private userSchema: StructType | undefined;

  constructor(readonly session: Session) {}

  format(source: string): this {
    this.fmt = source.toLowerCase();
    return this;
  }

  option(key: string, value: string | number | boolean): this {
    this.opts[key] = String(value);
    return this;
  }

  options(o: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(o)) this.option(k, v);
    return this;
  }

  /** A StructType or a DDL string (`'a INT, b STRING'`). */
  schema(s: StructType | string): this {
    this.userSchema = typeof s === 'string' ? parseTableSchema(s) : s;
    return this;
  }

  /** Reads now (the rows are held in memory) and returns the DataFrame. */
  load(...paths: (string | string[])[]): DataFrame {
    const list = paths.flat();
    const p = opt(this.opts, 'path');
    if (list.length === 0 && p) list.push(p);
    const registered = batchFormatReader(this.fmt);
    if (registered)
      return new DataFrame(
        this.session,
        registered({ session: this.session, options: this.opts, paths: list }),
      );
    if (!['json', 'csv', 'text', 'parquet'].includes(this.fmt))
      throw new AnalysisError(
        'DATA_SOURCE_NOT_FOUND',
        `Failed to find the data source: ${this.fmt}. Please find packages at \`https://spark.apache.org/third-party-projects.html\`.`,
      );
    const { schema, rows, load } = readFiles(this.fmt as FileFormat, list, this.userSchema, this.opts);
    return new DataFrame(this.session, {
      kind: 'localRelation',
      schema,
      rows,
      label: `FileScan ${this.fmt} [${list.join(', ')}]`,
      ...(load ? { load } : {}),
    });
  }

  json(...paths: (string | string[])[]): DataFrame {
    return this.format('json').load(...paths);
  }

  csv(...paths: (string | string[])[]): DataFrame {
    return this.format('csv').load(...paths);
  }

  text(...paths: (string | string[])[]): DataFrame {
    return this.format('text').load(...paths);
  }

  parquet(...paths: (string | string[])[]): DataFrame {
    return this.format('parquet').load(...paths);
  }

  table(name: string): DataFrame {
    return this.session.table(name);
  }
}
