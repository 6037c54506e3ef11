/**
 * Streaming golden tests: `test/streaming/queries/<name>.sql|.ts`, `inputs/*.jsonl`,
 * `golden/<name>.jsonl`. Each input line is one micro-batch (a JSON array of row objects), written
 * as one file read by a json file source with `maxFilesPerTrigger=1`, so batch boundaries are
 * deterministic and durable. The query's output goes through `foreachBatch` into
 * `<out>/<batchId>.json` (written atomically; a re-run batch rewrites the same file), and the golden
 * file holds one line per batch: `{"batchId":N,"rows":[...]}`.
 *
 * `.sql` headers (comment lines at the top):
 *   --fail=<substring>                          expected error (at start or while running)
 *   -- source: <alias> <inputs file> <DDL schema>  a streaming source (temp view <alias>)
 *   -- static: <alias> <inputs file> <DDL schema>  a batch table (all rows of the file)
 *   -- outputMode: append|update|complete
 *   -- ordered                                   keep each batch's row order (ORDER BY queries)
 * `.ts` queries export `outputMode`, `sources`, optional `statics`, `ordered`,
 * `processingTimeStepMs` and `query(session, streams)` returning the streaming DataFrame.
 *
 * Processing time (a batch's `batchTimestampMs`: TTLs, processing-time timers) is the wall clock,
 * unless the spec sets `processingTimeStepMs`: then batch N's processing time is
 * `PROCESSING_TIME_BASE_MS + N * step`, read from the checkpoint's offsets log, so that it is the same
 * straight through and after a kill and restart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DataFrame } from '../../dataframe/dataframe.js';
import { parseJsonExact } from '../../io/json-exact.js';
import { Session } from '../../session/session.js';
import { isoTimestamp } from '../../sinks/file-formats-write.js';
import { parseTableSchema } from '../../sql/index.js';
import type { DataType, Row, StructType } from '../../types/data-type.js';
import { formatDate } from '../../types/datetime.js';
import type { Decimal } from '../../types/decimal.js';
import { formatValue } from '../../types/format.js';
import { stringifyWithLongs } from '../../types/long.js';
import { writeFileAtomic } from '../checkpoint/atomic-file.js';
import '../index.js';
import type { StreamingQuery } from '../streaming-query.js';
import type { TriggerClock } from '../trigger-clock.js';

export const GOLDEN_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/streaming',
);

export interface SourceSpec {
  alias: string;
  file: string;
  schema: string;
}

export interface GoldenSpec {
  name: string;
  fail?: string;
  outputMode: 'append' | 'update' | 'complete';
  ordered: boolean;
  sources: SourceSpec[];
  statics: SourceSpec[];
  sql?: string;
  tsModule?: string;
  processingTimeStepMs?: number;
}

/** Batch 0's processing time under `processingTimeStepMs` (2023-11-14T22:13:20Z). */
export const PROCESSING_TIME_BASE_MS = 1_700_000_000_000;

/**
 * A trigger clock that reads `base + step * (batches in the offsets log)`: when batch N is planned,
 * the log holds batches 0..N-1, whichever process plans it. It never waits (goldens run with a
 * zero-interval or AvailableNow trigger).
 */
function checkpointBatchClock(checkpoint: string, stepMs: number): TriggerClock {
  const offsets = path.join(checkpoint, 'offsets');
  return {
    now() {
      const n = fs.existsSync(offsets) ? fs.readdirSync(offsets).filter((f) => /^\d+$/.test(f)).length : 0;
      return PROCESSING_TIME_BASE_MS + n * stepMs;
    },
    waitUntil: () => Promise.resolve(),
  };
}

/** Names of all golden queries. */
export function listGoldenQueries(): string[] {
  return fs
    .readdirSync(path.join(GOLDEN_ROOT, 'queries'))
    .filter((f) => f.endsWith('.sql') || f.endsWith('.ts'))
    .map((f) => f.replace(/\.(sql|ts)$/, ''))
    .sort();
}

function parseSourceLine(rest: string): SourceSpec {
  const m = /^(\w+)\s+(\S+)\s+(.+)$/.exec(rest.trim());
  if (!m) throw new Error(`bad source header: ${rest}`);
  return { alias: m[1]!, file: m[2]!, schema: m[3]!.trim().replace(/^'(.*)'$/, '$1') };
}

/** Reads a query's spec from its file. */
export async function loadGoldenSpec(name: string): Promise<GoldenSpec> {
  const sqlFile = path.join(GOLDEN_ROOT, 'queries', `${name}.sql`);
  if (fs.existsSync(sqlFile)) {
    const text = fs.readFileSync(sqlFile, 'utf8');
    const spec: GoldenSpec = { name, outputMode: 'append', ordered: false, sources: [], statics: [] };
    const body: string[] = [];
    for (const line of text.split('\n')) {
      const t = line.trim();
      const fail = /^--fail=(.*)$/.exec(t);
      const source = /^--\s*source:\s*(.*)$/.exec(t);
      const stat = /^--\s*static:\s*(.*)$/.exec(t);
      const mode = /^--\s*outputMode:\s*(\w+)/.exec(t);
      if (fail) spec.fail = fail[1]!.trim();
      else if (source) spec.sources.push(parseSourceLine(source[1]!));
      else if (stat) spec.statics.push(parseSourceLine(stat[1]!));
      else if (mode) spec.outputMode = mode[1] as GoldenSpec['outputMode'];
      else if (/^--\s*ordered\b/.test(t)) spec.ordered = true;
      else if (!t.startsWith('--')) body.push(line);
    }
    spec.sql = body.join('\n').trim();
    return spec;
  }
  const tsFile = path.join(GOLDEN_ROOT, 'queries', `${name}.ts`);
  const mod = (await import(pathToFileURL(tsFile).href)) as Partial<GoldenSpec> & { fail?: string };
  return {
    name,
    outputMode: mod.outputMode ?? 'append',
    ordered: mod.ordered ?? false,
    sources: mod.sources ?? [],
    statics: mod.statics ?? [],
    ...(mod.fail ? { fail: mod.fail } : {}),
    ...(mod.processingTimeStepMs ? { processingTimeStepMs: mod.processingTimeStepMs } : {}),
    tsModule: tsFile,
  };
}

/** Input batches of a file: one JSON array of row objects per line. */
export function readBatches(file: string): Record<string, unknown>[][] {
  return fs
    .readFileSync(path.join(GOLDEN_ROOT, 'inputs', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>[]);
}

/**
 * Lays the inputs out as source directories: `<work>/in/<alias>/batch-<n>.json`, one file per
 * batch with increasing modification times.
 */
export function prepareInputs(spec: GoldenSpec, work: string): void {
  for (const s of spec.sources) {
    const dir = path.join(work, 'in', s.alias);
    fs.mkdirSync(dir, { recursive: true });
    readBatches(s.file).forEach((rows, i) => {
      const f = path.join(dir, `batch-${String(i).padStart(4, '0')}.json`);
      fs.writeFileSync(f, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
      const t = 1_700_000_000 + i;
      fs.utimesSync(f, t, t);
    });
  }
}

/** Number of batches the inputs make (the longest source). */
export function batchCount(spec: GoldenSpec): number {
  return Math.max(0, ...spec.sources.map((s) => readBatches(s.file).length));
}

/** A value of type t as a JSON value of a golden file (decimals as numbers, timestamps as Spark's JSON text). */
function valueToJsonOutput(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'timestamp':
      return isoTimestamp(v as number);
    case 'date':
      return formatDate(v as number);
    case 'decimal':
      return Number((v as Decimal).toString());
    case 'binary':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'float':
    case 'double':
      return Number.isFinite(v) ? v : String(v);
    case 'interval':
      return formatValue(v, t);
    case 'array':
      return (v as unknown[]).map((x) => valueToJsonOutput(x, t.elementType));
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const [k, x] of v as Map<unknown, unknown>) o[String(k)] = valueToJsonOutput(x, t.valueType);
      return o;
    }
    case 'struct': {
      const o: Record<string, unknown> = {};
      t.fields.forEach((f, i) => {
        const x = valueToJsonOutput((v as unknown[])[i], f.dataType);
        if (x !== null) o[f.name] = x;
      });
      return o;
    }
    default:
      return v;
  }
}

function rowToJson(row: Row, schema: StructType): string {
  const o: Record<string, unknown> = {};
  schema.fields.forEach((f, i) => {
    o[f.name] = valueToJsonOutput(row[i], f.dataType);
  });
  return stringifyWithLongs(o);
}

/** Builds the streaming DataFrame of a spec on a fresh session reading `<work>/in`. */
export async function buildQuery(
  spec: GoldenSpec,
  work: string,
  stateProvider?: string,
): Promise<{ session: Session; df: DataFrame }> {
  const session = Session.builder().create();
  if (stateProvider) session.conf.set('spark.sql.streaming.stateStore.providerClass', stateProvider);
  if (spec.processingTimeStepMs)
    session.streams.triggerClock = checkpointBatchClock(
      path.join(work, 'checkpoint'),
      spec.processingTimeStepMs,
    );
  const streams: Record<string, DataFrame> = {};
  for (const s of spec.sources) {
    const df = session.readStream
      .format('json')
      .schema(s.schema)
      .option('maxFilesPerTrigger', 1)
      .load(path.join(work, 'in', s.alias)) as DataFrame;
    df.createOrReplaceTempView(s.alias);
    streams[s.alias] = df;
  }
  for (const s of spec.statics) {
    const rows = readBatches(s.file).flat();
    session.createDataFrame(rows, parseTableSchema(s.schema)).createOrReplaceTempView(s.alias);
  }
  if (spec.sql !== undefined) return { session, df: session.sql(spec.sql) };
  const mod = (await import(pathToFileURL(spec.tsModule!).href)) as {
    query(session: Session, streams: Record<string, DataFrame>): DataFrame;
  };
  return { session, df: mod.query(session, streams) };
}

export interface RunOptions {
  trigger?: { availableNow: true } | { processingTime: string };
  /** Called after each batch's output file is written. */
  onBatch?: (batchId: number) => void;
  /** `spark.sql.streaming.stateStore.providerClass` (default: the session's). */
  stateProvider?: string;
}

/**
 * Starts the spec's query writing batches to `<work>/out/<batchId>.json` with its checkpoint in
 * `<work>/checkpoint`.
 */
export async function startQuery(
  spec: GoldenSpec,
  work: string,
  opts: RunOptions = {},
): Promise<StreamingQuery> {
  const { df } = await buildQuery(spec, work, opts.stateProvider);
  const out = path.join(work, 'out');
  fs.mkdirSync(out, { recursive: true });
  return df.writeStream
    .outputMode(spec.outputMode)
    .trigger(opts.trigger ?? { availableNow: true })
    .option('checkpointLocation', path.join(work, 'checkpoint'))
    .foreachBatch(async (batch: DataFrame, batchId: number) => {
      const schema = batch.schema;
      let lines = (await batch.collectValues()).map((r) => rowToJson(r, schema));
      if (!spec.ordered) lines = lines.sort();
      writeFileAtomic(
        path.join(out, `${batchId}.json`),
        `${stringifyWithLongs({ batchId, rows: lines.map((l) => parseJsonExact(l)) })}\n`,
      );
      opts.onBatch?.(batchId);
    })
    .start() as StreamingQuery;
}

/** The collected output: one golden line per batch, in batch order. */
export function collectOutput(work: string): string {
  const out = path.join(work, 'out');
  if (!fs.existsSync(out)) return '';
  return fs
    .readdirSync(out)
    .filter((f) => /^\d+\.json$/.test(f))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((f) => fs.readFileSync(path.join(out, f), 'utf8'))
    .join('');
}

export function goldenPath(name: string): string {
  return path.join(GOLDEN_ROOT, 'golden', `${name}.jsonl`);
}
