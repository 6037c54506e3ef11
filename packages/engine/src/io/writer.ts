import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DataFrame } from '../dataframe/dataframe.js';
import { AnalysisError } from '../errors.js';
import { locationExists, tableExists, tableNotFound } from '../session/managed-tables.js';
import { csvWriter, jsonWriter, textWriter } from '../sinks/file-formats-write.js';
import type { Row, StructType } from '../types/data-type.js';
import { formatValue } from '../types/format.js';
import { encodeParquet } from './parquet.js';

export type SaveMode = 'overwrite' | 'append' | 'error' | 'ignore';

const EXT: Record<string, string> = { json: '.json', csv: '.csv', text: '.txt', parquet: '.parquet' };

/** Encodes rows of one part file. */
export function encodeFile(
  format: string,
  rows: readonly Row[],
  schema: StructType,
  options: Readonly<Record<string, string>>,
): Uint8Array {
  switch (format) {
    case 'json':
      return jsonWriter.encode(rows, schema, options) as Uint8Array;
    case 'csv':
      return csvWriter.encode(rows, schema, options) as Uint8Array;
    case 'text':
      return textWriter.encode(rows, schema, options) as Uint8Array;
    case 'parquet':
      return encodeParquet(rows, schema);
    default:
      throw new AnalysisError('DATA_SOURCE_NOT_FOUND', `Failed to find the data source: ${format}.`);
  }
}

function partitionDirValue(v: unknown, t: StructType['fields'][number]['dataType']): string {
  if (v === null || v === undefined || v === '') return '__HIVE_DEFAULT_PARTITION__';
  return encodeURIComponent(formatValue(v, t));
}

/** `df.write`: Spark's DataFrameWriter — part files `part-00000-<uuid>.<ext>` plus `_SUCCESS`. */
export class DataFrameWriter {
  private fmt = 'parquet';
  private fmtSet = false;
  private saveMode: SaveMode = 'error';
  private readonly opts: Record<string, string> = {};
  private partitionCols: string[] = [];

  constructor(readonly df: DataFrame) {}

  format(source: string): this {
    this.fmt = source.toLowerCase();
    this.fmtSet = true;
    return this;
  }

  /** `overwrite`, `append`, `error`/`errorifexists` (default), `ignore`. */
  mode(m: string): this {
    const x = m.toLowerCase();
    if (x === 'overwrite' || x === 'append' || x === 'ignore') this.saveMode = x;
    else if (x === 'error' || x === 'errorifexists' || x === 'default') this.saveMode = 'error';
    else
      throw new AnalysisError(
        'INVALID_SAVE_MODE',
        `The specified save mode "${m}" is invalid. Valid save modes include "append", "overwrite", "ignore", "error", "errorifexists", and "default".`,
      );
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

  partitionBy(...cols: (string | string[])[]): this {
    this.partitionCols = cols.flat();
    return this;
  }

  /**
   * Spark's `saveAsTable(name)`: writes the rows as a managed table in the warehouse directory
   * (format from `format()`, default `spark.sql.sources.default`); the save mode decides what happens
   * when the table exists (`error`: TABLE_OR_VIEW_ALREADY_EXISTS, `ignore`, `append`, `overwrite`).
   */
  async saveAsTable(name: string): Promise<void> {
    const session = this.df.session;
    if (!this.fmtSet) this.fmt = (session.conf.get('spark.sql.sources.default') ?? 'parquet').toLowerCase();
    const tables = session.catalog.tables;
    const existing = tables.get(name);
    const location = tables.locationOf(name);
    if (existing) {
      if (this.saveMode === 'error') throw tableExists(name);
      if (this.saveMode === 'ignore') return;
      if (this.saveMode === 'append') {
        await this.writeTo(location, 'append');
        return;
      }
      tables.drop(name);
    } else if (fs.existsSync(location)) {
      throw locationExists(name, location);
    }
    await this.writeTo(location, 'error');
    tables.create({ name, provider: this.fmt, schema: this.df.schema, partitionColumns: this.partitionCols });
  }

  private async writeTo(location: string, mode: SaveMode): Promise<void> {
    const previous = this.saveMode;
    this.saveMode = mode;
    try {
      await this.save(location);
    } finally {
      this.saveMode = previous;
    }
  }

  /** `insertInto(name)`: appends to an existing managed table (its format). */
  async insertInto(name: string, overwrite = false): Promise<void> {
    const t = this.df.session.catalog.tables.get(name);
    if (!t) throw tableNotFound(name);
    this.fmt = t.provider;
    this.fmtSet = true;
    if (overwrite) {
      fs.rmSync(t.location, { recursive: true, force: true });
      this.df.session.catalog.tables.create({ ...t });
    }
    await this.writeTo(t.location, 'append');
  }

  /**
   * Writes the DataFrame: under `dir` for a file format (resolves to the part files written), or
   * through a registered batch writer (`kafka`: resolves to []).
   */
  async save(dir?: string): Promise<string[]> {
    const external = batchWriters.get(this.fmt);
    if (external) {
      const rows = await this.df.collectValues();
      await external(
        rows,
        this.df.schema,
        { ...this.opts, ...(dir !== undefined ? { path: dir } : {}) },
        this.saveMode,
      );
      return [];
    }
    const target = dir ?? this.opts.path;
    if (!target) throw new AnalysisError('PATH_NOT_SPECIFIED', "'path' is not specified.");
    if (!EXT[this.fmt])
      throw new AnalysisError('DATA_SOURCE_NOT_FOUND', `Failed to find the data source: ${this.fmt}.`);
    const exists = fs.existsSync(target);
    if (exists) {
      if (this.saveMode === 'error')
        throw new AnalysisError(
          'PATH_ALREADY_EXISTS',
          `Path file:${path.resolve(target)} already exists. Set mode as "overwrite" to overwrite the existing path.`,
        );
      if (this.saveMode === 'ignore') return [];
      if (this.saveMode === 'overwrite') fs.rmSync(target, { recursive: true, force: true });
    }
    fs.mkdirSync(target, { recursive: true });
    const schema = this.df.schema;
    const rows = await this.df.collectValues();
    const partIdx = this.partitionCols.map((c) => {
      const i = schema.fields.findIndex((f) => f.name.toLowerCase() === c.toLowerCase());
      if (i < 0)
        throw new AnalysisError(
          'UNRESOLVED_COLUMN.WITH_SUGGESTION',
          `A column or function parameter with name \`${c}\` cannot be resolved.`,
        );
      return i;
    });
    const dataIdx = schema.fields.map((_, i) => i).filter((i) => !partIdx.includes(i));
    const dataSchema: StructType = { kind: 'struct', fields: dataIdx.map((i) => schema.fields[i]!) };
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const dirs = partIdx
        .map((i) => `${schema.fields[i]!.name}=${partitionDirValue(r[i], schema.fields[i]!.dataType)}`)
        .join('/');
      let g = groups.get(dirs);
      if (!g) {
        g = [];
        groups.set(dirs, g);
      }
      g.push(dataIdx.map((i) => r[i] ?? null));
    }
    if (groups.size === 0 && partIdx.length === 0) groups.set('', []);
    const uuid = randomUUID();
    const written: string[] = [];
    let n = 0;
    for (const [dirs, part] of groups) {
      const d = dirs ? path.join(target, dirs) : target;
      fs.mkdirSync(d, { recursive: true });
      const file = path.join(d, `part-${String(n++).padStart(5, '0')}-${uuid}-c000${EXT[this.fmt]}`);
      if (this.fmt === 'text' && dataSchema.fields.length !== 1)
        throw new AnalysisError(
          'UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE',
          'Text data source supports only a single column.',
        );
      fs.writeFileSync(file, encodeFile(this.fmt, part, dataSchema, this.opts));
      written.push(file);
    }
    fs.writeFileSync(path.join(target, '_SUCCESS'), '');
    return written;
  }

  async json(dir: string): Promise<string[]> {
    return await this.format('json').save(dir);
  }

  async csv(dir: string): Promise<string[]> {
    return await this.format('csv').save(dir);
  }

  async text(dir: string): Promise<string[]> {
    return await this.format('text').save(dir);
  }

  async parquet(dir: string): Promise<string[]> {
    return await this.format('parquet').save(dir);
  }
}

/** A batch writer of a non-file format: the rows, their schema and the writer's options. */
export type BatchWriter = (
  rows: readonly Row[],
  schema: StructType,
  options: Readonly<Record<string, string>>,
  mode: SaveMode,
) => Promise<void>;

const batchWriters = new Map<string, BatchWriter>();

/** Registers `df.write.format(name).save()` for a format that is not a file format (`kafka`). */
export function registerBatchWriter(format: string, writer: BatchWriter): void {
  batchWriters.set(format.toLowerCase(), writer);
}
