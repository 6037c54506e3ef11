import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { AnalysisError } from '../errors.js';
import { readDataFile } from '../io/compressed-file.js';
import { committedSinkFiles, hasSinkMetadata } from '../sinks/file-sink-log.js';
import { CompactibleFileStreamLog } from '../streaming/checkpoint/compactible-log.js';
import { sliceChunks } from '../streaming/chunks.js';
import type { DataType, Row, StructField, StructType } from '../types/data-type.js';
import { parseTimestamp } from '../types/datetime.js';
import { getFileFormatReader, getFileSchemaInferrer } from './file-formats.js';
import { field, struct, T } from './schema-util.js';
import {
  getOption,
  type MicroBatchStream,
  type Offset,
  type ReadLimit,
  readAllAvailable,
  type SourceContext,
  type SourceProvider,
} from './source.js';

/** One entry of the seen-files log (`sources/<n>/<batchId>`), Spark's FileEntry. */
export interface FileEntry {
  path: string;
  timestamp: number;
  batchId: number;
}

/**
 * The file source's own log (Spark's FileStreamSourceLog) in `sources/<n>/<batchId>`: one FileEntry
 * per line, compacted every `compactInterval` batches (each entry keeps its own batchId).
 */
class FileStreamSourceLog extends CompactibleFileStreamLog<FileEntry> {
  protected readonly itemName = 'file entry';
  protected readonly logName = 'file source log';

  /** The entries of one batch (a compact file is filtered to its own batch). */
  override get(batchId: number): FileEntry[] | undefined {
    const entries = this.rawEntry(batchId);
    if (entries === undefined || !this.isCompactionBatch(batchId)) return entries;
    return entries.filter((e) => e.batchId === batchId);
  }
}

interface FoundFile {
  path: string;
  timestamp: number;
  size: number;
}

/** Splits a path into its fixed directory and the glob part (if any). */
function splitGlob(p: string): { base: string; pattern: string | undefined } {
  const abs = path.resolve(p);
  const parts = abs.split(path.sep);
  const i = parts.findIndex((s) => /[*?[\]{}]/.test(s));
  if (i < 0) return { base: abs, pattern: undefined };
  return { base: parts.slice(0, i).join(path.sep) || path.sep, pattern: parts.slice(i).join('/') };
}

/**
 * Lists data files under `p` (a directory, a file, or a glob), skipping `_`/`.`-prefixed names as
 * Spark; a directory written by a file sink lists only the files its `_spark_metadata` committed
 * (so batch reads and the file source never see a failed batch's files). `statCache` remembers sizes and times of files already seen (files must be moved in
 * atomically and never change, as Spark requires), so a trigger stats only new names.
 */
export function listDataFiles(
  p: string,
  statCache?: Map<string, { timestamp: number; size: number }>,
): FoundFile[] {
  const statOf = (full: string): { timestamp: number; size: number } => {
    const hit = statCache?.get(full);
    if (hit) return hit;
    const st = fs.statSync(full);
    const v = { timestamp: Math.floor(st.mtimeMs), size: st.size };
    statCache?.set(full, v);
    return v;
  };
  const { base, pattern } = splitGlob(p);
  const out: FoundFile[] = [];
  const matcher = pattern ? picomatch(pattern, { dot: false }) : undefined;
  const walk = (dir: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        // With a glob, a directory matching the whole pattern contributes all of its files.
        if (matcher?.(r)) walkAll(full);
        else walk(full, r);
      } else if (e.isFile() && (!matcher || matcher(r))) {
        out.push({ path: full, ...statOf(full) });
      }
    }
  };
  const walkAll = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walkAll(full);
      else if (e.isFile()) out.push({ path: full, ...statOf(full) });
    }
  };
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(base);
  } catch {
    return [];
  }
  if (st.isFile()) return [{ path: base, timestamp: Math.floor(st.mtimeMs), size: st.size }];
  // The output of a file sink: only the files its `_spark_metadata` log committed are data.
  if (!pattern && hasSinkMetadata(base)) {
    return committedSinkFiles(base).map((f) => ({ path: f, ...statOf(f) }));
  }
  if (pattern) walk(base, '');
  else walkAll(base);
  return out;
}

/** `k=v` directory segments between the base path and the file. */
function partitionValues(base: string, file: string): [string, string][] {
  const rel = path.relative(base, path.dirname(file));
  if (!rel || rel.startsWith('..')) return [];
  const out: [string, string][] = [];
  for (const seg of rel.split(path.sep)) {
    const i = seg.indexOf('=');
    if (i > 0) out.push([seg.slice(0, i), decodeURIComponent(seg.slice(i + 1))]);
  }
  return out;
}

/** Spark's partition value type inference: int, long, double, timestamp, else string. */
function inferPartitionType(values: string[]): DataType {
  const nonNull = values.filter((v) => v !== '__HIVE_DEFAULT_PARTITION__');
  if (nonNull.length === 0) return T.string;
  if (nonNull.every((v) => /^-?\d+$/.test(v))) {
    return nonNull.every((v) => Math.abs(Number(v)) <= 2147483647) ? T.int : T.long;
  }
  if (nonNull.every((v) => v.trim() !== '' && !Number.isNaN(Number(v)))) return T.double;
  if (nonNull.every((v) => /^\d{4}-\d{2}-\d{2}[ T]\d/.test(v) && parseTimestamp(v) !== null))
    return T.timestamp;
  return T.string;
}

function partitionValue(raw: string, t: DataType): unknown {
  if (raw === '__HIVE_DEFAULT_PARTITION__') return null;
  switch (t.kind) {
    case 'int':
    case 'long':
    case 'double':
    case 'float':
    case 'short':
    case 'byte':
      return Number(raw);
    case 'timestamp':
      return parseTimestamp(raw);
    case 'boolean':
      return raw === 'true';
    default:
      return raw;
  }
}

function parseDurationMs(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(raw);
  if (!m) throw new AnalysisError('INVALID_OPTION', `Invalid duration '${raw}'`);
  const mult: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
  };
  return Number(m[1]) * (mult[(m[2] ?? 'ms').toLowerCase()] ?? 1);
}

interface FileSourceOptions {
  path: string;
  format: string;
  maxFilesPerTrigger: number | undefined;
  maxBytesPerTrigger: number | undefined;
  latestFirst: boolean;
  fileNameOnly: boolean;
  maxFileAgeMs: number;
  cleanSource: 'off' | 'archive' | 'delete';
  sourceArchiveDir: string | undefined;
}

/**
 * Spark's FileStreamSource: each batch picks new files (modification-time order, `latestFirst`
 * reversed), at most `maxFilesPerTrigger` / `maxBytesPerTrigger`, and records them in the source log
 * (`sources/<n>/<batchId>`) before the batch runs; the offset is `{"logOffset":N}`. Files are
 * matched by path (or name only with `fileNameOnly`) so each is read once, even across restarts.
 */
export class FileStream implements MicroBatchStream {
  readonly description: string;
  private readonly log: FileStreamSourceLog;
  private readonly seen = new Map<string, number>();
  private latestLogOffset: number;
  private readonly dataSchema: StructType;
  private readonly partitionFields: StructField[];
  private readonly base: string;
  private availableNow = false;

  constructor(
    ctx: SourceContext,
    readonly opts: FileSourceOptions,
    readonly schema: StructType,
    partitionColumns: string[],
  ) {
    this.description = `FileStreamSource[${pathToFileURL(path.resolve(opts.path)).href}]`;
    this.log = new FileStreamSourceLog(ctx.metadataPath);
    this.latestLogOffset = this.log.latestBatchId();
    this.log.assertContiguous();
    for (const id of this.log.listBatchIds()) {
      for (const e of this.log.get(id) ?? []) this.seen.set(this.seenKey(e.path), e.timestamp);
    }
    this.partitionFields = schema.fields.filter((f) => partitionColumns.includes(f.name));
    this.dataSchema = struct(...schema.fields.filter((f) => !partitionColumns.includes(f.name)));
    this.base = splitGlob(opts.path).base;
  }

  private seenKey(p: string): string {
    return this.opts.fileNameOnly ? path.basename(p.startsWith('file:') ? fileURLToPath(p) : p) : p;
  }

  initialOffset(): Offset {
    return { logOffset: -1 };
  }

  getDefaultReadLimit(): ReadLimit {
    if (this.opts.maxFilesPerTrigger !== undefined)
      return { kind: 'maxFiles', max: this.opts.maxFilesPerTrigger };
    if (this.opts.maxBytesPerTrigger !== undefined)
      return { kind: 'maxBytes', max: this.opts.maxBytesPerTrigger };
    return readAllAvailable;
  }

  prepareForTriggerAvailableNow(): void {
    this.availableNow = true;
    // Every file present now; later batches take them in rate-limited slices.
    this.pendingAtStart = new Set(this.newFiles().map((f) => f.path));
  }

  private pendingAtStart: Set<string> | undefined;
  private readonly statCache = new Map<string, { timestamp: number; size: number }>();

  /** New, unseen files in processing order, honoring maxFileAge. */
  private newFiles(): FoundFile[] {
    const all = listDataFiles(this.opts.path, this.statCache);
    const latest = all.reduce((m, f) => Math.max(m, f.timestamp), 0);
    const ignoreAge = this.opts.latestFirst && this.opts.maxFilesPerTrigger !== undefined;
    const threshold = ignoreAge ? Number.NEGATIVE_INFINITY : latest - this.opts.maxFileAgeMs;
    const fresh = all.filter(
      (f) => !this.seen.has(this.seenKey(pathToFileURL(f.path).href)) && f.timestamp >= threshold,
    );
    fresh.sort((a, b) => a.timestamp - b.timestamp || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (this.opts.latestFirst) fresh.reverse();
    return fresh;
  }

  latestOffset(_start: Offset, limit: ReadLimit): Offset {
    let files = this.newFiles();
    if (this.availableNow && this.pendingAtStart) {
      const pending = this.pendingAtStart;
      files = files.filter((f) => pending.has(f.path));
    }
    if (limit.kind === 'maxFiles') files = files.slice(0, limit.max);
    else if (limit.kind === 'maxBytes') {
      let bytes = 0;
      let n = 0;
      for (const f of files) {
        if (n > 0 && bytes + f.size > limit.max) break;
        bytes += f.size;
        n++;
      }
      files = files.slice(0, n);
    }
    if (files.length > 0) {
      this.latestLogOffset++;
      const entries = files.map((f) => ({
        path: pathToFileURL(f.path).href,
        timestamp: f.timestamp,
        batchId: this.latestLogOffset,
      }));
      // A crash after this write and before the offsets log is fine: the next run reads the log.
      if (!this.log.add(this.latestLogOffset, entries)) {
        for (const e of this.log.get(this.latestLogOffset) ?? [])
          this.seen.set(this.seenKey(e.path), e.timestamp);
      }
      for (const e of entries) this.seen.set(this.seenKey(e.path), e.timestamp);
    }
    return { logOffset: this.latestLogOffset };
  }

  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const fileRows of this.readFiles(start, end)) for (const r of fileRows) rows.push(r);
    return rows;
  }

  /**
   * The rows of `getBatch` in chunks: one file is read and parsed at a time, so a batch of many
   * files is never held whole (a single file still is).
   */
  async *getBatchChunks(start: Offset, end: Offset): AsyncIterable<Row[]> {
    for await (const fileRows of this.readFiles(start, end)) yield* sliceChunks(fileRows);
  }

  /** The rows of each file of the batches in (start, end], a file at a time, in log order. */
  private async *readFiles(start: Offset, end: Offset): AsyncGenerator<Row[]> {
    const s = (start as { logOffset: number }).logOffset;
    const e = (end as { logOffset: number }).logOffset;
    const reader = getFileFormatReader(this.opts.format);
    for (let id = s + 1; id <= e; id++) {
      const entries = this.log.get(id);
      if (!entries) {
        throw new AnalysisError(
          'FILE_SOURCE_LOG_MISSING',
          `The file source log entry ${this.log.pathOf(id)} is missing; the checkpoint is incomplete`,
        );
      }
      for (const entry of entries) {
        const file = fileURLToPath(entry.path);
        const data = readDataFile(file);
        const dataRows = await reader(data, this.dataSchema, this.readerOptions(), file);
        if (this.partitionFields.length === 0) {
          yield dataRows;
          continue;
        }
        const pv = new Map(partitionValues(this.base, file));
        const extra = this.partitionFields.map((f) => {
          const raw = pv.get(f.name);
          return raw === undefined ? null : partitionValue(raw, f.dataType);
        });
        yield dataRows.map((r) => this.assemble(r, extra));
      }
    }
  }

  private readerOptions(): Record<string, string> {
    return this.rawOptions;
  }

  rawOptions: Record<string, string> = {};

  /** Puts data values and partition values into schema order. */
  private assemble(data: Row, partition: unknown[]): Row {
    const out: Row = new Array(this.schema.fields.length);
    let di = 0;
    let pi = 0;
    for (let i = 0; i < this.schema.fields.length; i++) {
      const f = this.schema.fields[i]!;
      out[i] = this.partitionFields.includes(f) ? partition[pi++] : data[di++];
    }
    return out;
  }

  /** cleanSource: archive or delete the files of committed batches (best effort, as Spark). */
  commit(end: Offset): void {
    if (this.opts.cleanSource === 'off') return;
    const e = (end as { logOffset: number }).logOffset;
    const entries = this.log.get(e) ?? [];
    for (const entry of entries) {
      const file = fileURLToPath(entry.path);
      try {
        if (this.opts.cleanSource === 'delete') fs.rmSync(file, { force: true });
        else {
          const target = path.join(this.opts.sourceArchiveDir!, file);
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.renameSync(file, target);
        }
      } catch {
        // Best effort, as in Spark: a file that cannot be cleaned stays where it is.
      }
    }
  }

  stop(): void {}

  deserializeOffset(json: string): Offset {
    const o = JSON.parse(json) as { logOffset?: unknown };
    if (typeof o?.logOffset !== 'number') throw new Error(`not a file source offset: ${json}`);
    return { logOffset: o.logOffset };
  }

  reportLatestOffset(): Offset {
    return { logOffset: this.latestLogOffset };
  }
}

function readOptions(format: string, options: Readonly<Record<string, string>>): FileSourceOptions {
  const p = getOption(options, 'path');
  if (!p) throw new AnalysisError('PATH_NOT_SPECIFIED', "'path' is not specified");
  const num = (name: string): number | undefined => {
    const raw = getOption(options, name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) {
      throw new AnalysisError(
        'INVALID_OPTION',
        `Invalid value '${raw}' for option '${name}', must be a positive integer`,
      );
    }
    return n;
  };
  const maxFilesPerTrigger = num('maxFilesPerTrigger');
  const maxBytesPerTrigger = num('maxBytesPerTrigger');
  if (maxFilesPerTrigger !== undefined && maxBytesPerTrigger !== undefined) {
    throw new AnalysisError(
      'INVALID_OPTION',
      'Options maxFilesPerTrigger and maxBytesPerTrigger can not both be specified at the same time',
    );
  }
  const clean = (getOption(options, 'cleanSource') ?? 'off').toLowerCase();
  if (clean !== 'off' && clean !== 'archive' && clean !== 'delete') {
    throw new AnalysisError(
      'INVALID_OPTION',
      `Invalid mode for clean source option ${clean}. Must be one of archive, delete, off`,
    );
  }
  const archive = getOption(options, 'sourceArchiveDir');
  if (clean === 'archive' && !archive) {
    throw new AnalysisError('INVALID_OPTION', "Archive mode must be used with 'sourceArchiveDir' option.");
  }
  return {
    path: p,
    format,
    maxFilesPerTrigger,
    maxBytesPerTrigger,
    latestFirst: (getOption(options, 'latestFirst') ?? 'false').toLowerCase() === 'true',
    fileNameOnly: (getOption(options, 'fileNameOnly') ?? 'false').toLowerCase() === 'true',
    maxFileAgeMs: parseDurationMs(getOption(options, 'maxFileAge') ?? '7d'),
    cleanSource: clean,
    sourceArchiveDir: archive ? path.resolve(archive) : undefined,
  };
}

/** Partition columns found under the path, with inferred types. */
function discoverPartitions(p: string): StructField[] {
  const base = splitGlob(p).base;
  const found = new Map<string, string[]>();
  for (const f of listDataFiles(p)) {
    for (const [k, v] of partitionValues(base, f.path)) {
      const list = found.get(k) ?? [];
      list.push(v);
      found.set(k, list);
    }
  }
  return [...found].map(([k, vs]) => field(k, inferPartitionType(vs), true));
}

/** A file source provider for one format (`json`, `csv`, `text`, `parquet`). */
export function fileSourceProvider(format: string): SourceProvider {
  return {
    format,
    sourceSchema(options, userSchema, conf) {
      const opts = readOptions(format, options);
      if (format === 'text') {
        const base = userSchema ?? struct(field('value', T.string, true));
        return withPartitions(base, discoverPartitions(opts.path));
      }
      const infer = getFileSchemaInferrer(format);
      if (!userSchema && conf?.schemaInference && infer) {
        // Spark infers from the files present at load(); partition columns come from the directories.
        const files = listDataFiles(opts.path).map((f) => f.path);
        if (files.length === 0) {
          throw new AnalysisError(
            'UNABLE_TO_INFER_SCHEMA',
            `Unable to infer schema for ${format === 'csv' ? 'CSV' : format === 'json' ? 'JSON' : format.charAt(0).toUpperCase() + format.slice(1)}. It must be specified manually.`,
          );
        }
        return withPartitions(infer(files, options), discoverPartitions(opts.path));
      }
      if (!userSchema) {
        throw new AnalysisError(
          'STREAMING_SCHEMA_REQUIRED',
          "Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.",
        );
      }
      return withPartitions(userSchema, discoverPartitions(opts.path));
    },
    createStream(ctx) {
      const opts = readOptions(format, ctx.options);
      const parts = discoverPartitions(opts.path).map((f) => f.name);
      const s = new FileStream(ctx, opts, ctx.schema, parts);
      const raw: Record<string, string> = {};
      for (const [k, v] of Object.entries(ctx.options)) raw[k] = v;
      s.rawOptions = raw;
      return s;
    },
  };
}

function withPartitions(schema: StructType, parts: StructField[]): StructType {
  const names = new Set(schema.fields.map((f) => f.name));
  const extra = parts.filter((p) => !names.has(p.name));
  return extra.length === 0 ? schema : struct(...schema.fields, ...extra);
}
