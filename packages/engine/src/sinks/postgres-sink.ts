import pg from 'pg';
import { AnalysisError } from '../errors.js';
import { getOption } from '../sources/source.js';
import type { DataType, Row, StructType } from '../types/data-type.js';
import { formatDate, formatTimestamp } from '../types/datetime.js';
import type { Decimal } from '../types/decimal.js';
import { valueToJson } from '../types/format.js';
import type { OutputMode, Sink, SinkProvider } from './sink.js';

/** The table where the sink records, per (query, table), the last batch it committed. */
export const SINK_COMMITS_TABLE = '_sluice_sink_commits';

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` or `table`, each part quoted. */
function quoteTable(name: string): string {
  return name
    .split('.')
    .map((p) => quoteIdent(p))
    .join('.');
}

/** The Postgres column type for a Spark type (the sink creates a missing table). */
export function pgType(t: DataType): string {
  switch (t.kind) {
    case 'boolean':
      return 'boolean';
    case 'byte':
    case 'short':
      return 'smallint';
    case 'int':
      return 'integer';
    case 'long':
      return 'bigint';
    case 'float':
      return 'real';
    case 'double':
      return 'double precision';
    case 'decimal':
      return `numeric(${t.precision},${t.scale})`;
    case 'string':
      return 'text';
    case 'binary':
      return 'bytea';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamptz';
    default:
      return 'jsonb';
  }
}

/** Converts an engine value to a `pg` query parameter. */
function toParam(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'timestamp':
      return `${formatTimestamp(v as number)}+00`;
    case 'date':
      return formatDate(v as number);
    case 'decimal':
      return (v as Decimal).toString();
    case 'binary':
      return Buffer.from(v as Uint8Array);
    case 'float':
    case 'double':
      return Number.isFinite(v) ? v : String(v);
    case 'array':
    case 'map':
    case 'struct':
    case 'interval':
      return JSON.stringify(valueToJson(v, t));
    default:
      return v;
  }
}

export interface PostgresSinkOptions {
  url: string;
  table: string;
  keyColumns: readonly string[];
  /** `insert` appends rows; `upsert` inserts or updates by `keyColumns`. */
  mode: 'insert' | 'upsert';
  outputMode: OutputMode;
  queryId: string;
}

/**
 * Writes each batch into a Postgres table through `pg`, exactly once: in one transaction it checks
 * `_sluice_sink_commits` for the batch id, writes the rows (insert, or upsert by `keyColumns`;
 * complete mode replaces the table's rows) and records the batch id. A re-run batch is skipped.
 * The "state in a key-value store that APIs query" pattern of the seeds.
 */
export class PostgresSink implements Sink {
  readonly description: string;
  private readonly pool: pg.Pool;
  private prepared = false;
  private rowsWritten = 0;

  constructor(readonly opts: PostgresSinkOptions) {
    this.description = `PostgresSink[${opts.table}]`;
    this.pool = new pg.Pool({ connectionString: opts.url, max: 1 });
    this.pool.on('error', () => {
      // An idle connection dropped by the server: the pool replaces it on the next query.
    });
  }

  private async prepare(client: pg.PoolClient, schema: StructType): Promise<void> {
    if (this.prepared) return;
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${SINK_COMMITS_TABLE} (query_id text NOT NULL, sink_table text NOT NULL, batch_id bigint NOT NULL, committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (query_id, sink_table))`,
    );
    const cols = schema.fields.map((f) => `${quoteIdent(f.name)} ${pgType(f.dataType)}`);
    if (this.opts.keyColumns.length > 0)
      cols.push(`PRIMARY KEY (${this.opts.keyColumns.map(quoteIdent).join(', ')})`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoteTable(this.opts.table)} (${cols.join(', ')})`);
    this.prepared = true;
  }

  async latestCommittedBatchId(): Promise<number | undefined> {
    try {
      const r = await this.pool.query(
        `SELECT batch_id FROM ${SINK_COMMITS_TABLE} WHERE query_id = $1 AND sink_table = $2`,
        [this.opts.queryId, this.opts.table],
      );
      return r.rows[0] ? Number(r.rows[0].batch_id) : undefined;
    } catch (e) {
      // No commits table yet: nothing was ever written.
      if ((e as { code?: string }).code === '42P01') return undefined;
      throw e;
    }
  }

  async addBatch(batchId: number, rows: Row[], schema: StructType): Promise<void> {
    for (const k of this.opts.keyColumns) {
      if (!schema.fields.some((f) => f.name === k)) {
        throw new AnalysisError('COLUMN_NOT_FOUND', `Key column \`${k}\` is not in the output of the query`);
      }
    }
    const client = await this.pool.connect();
    try {
      // Serializes concurrent creators of the same tables (CREATE TABLE IF NOT EXISTS can race).
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [this.opts.table]);
      try {
        await this.prepare(client, schema);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.opts.table]);
      }
      await client.query('BEGIN');
      const done = await client.query(
        `SELECT batch_id FROM ${SINK_COMMITS_TABLE} WHERE query_id = $1 AND sink_table = $2 FOR UPDATE`,
        [this.opts.queryId, this.opts.table],
      );
      const last = done.rows[0] ? Number(done.rows[0].batch_id) : -1;
      if (batchId <= last) {
        await client.query('ROLLBACK');
        return;
      }
      if (this.opts.outputMode === 'complete')
        await client.query(`DELETE FROM ${quoteTable(this.opts.table)}`);
      await this.writeRows(client, rows, schema);
      await client.query(
        `INSERT INTO ${SINK_COMMITS_TABLE} (query_id, sink_table, batch_id) VALUES ($1, $2, $3)
         ON CONFLICT (query_id, sink_table) DO UPDATE SET batch_id = EXCLUDED.batch_id, committed_at = now()`,
        [this.opts.queryId, this.opts.table, batchId],
      );
      await client.query('COMMIT');
      this.rowsWritten += rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private async writeRows(client: pg.PoolClient, rows: Row[], schema: StructType): Promise<void> {
    if (rows.length === 0) return;
    const cols = schema.fields.map((f) => quoteIdent(f.name)).join(', ');
    const n = schema.fields.length;
    const upsert = this.opts.mode === 'upsert' && this.opts.keyColumns.length > 0;
    let conflict = '';
    if (upsert) {
      const keys = this.opts.keyColumns.map(quoteIdent).join(', ');
      const others = schema.fields.filter((f) => !this.opts.keyColumns.includes(f.name));
      conflict =
        others.length === 0
          ? ` ON CONFLICT (${keys}) DO NOTHING`
          : ` ON CONFLICT (${keys}) DO UPDATE SET ${others.map((f) => `${quoteIdent(f.name)} = EXCLUDED.${quoteIdent(f.name)}`).join(', ')}`;
    }
    // Within one statement a key may appear once for ON CONFLICT DO UPDATE: keep the last row per key.
    let data = rows;
    if (upsert) {
      const keyIdx = this.opts.keyColumns.map((k) => schema.fields.findIndex((f) => f.name === k));
      const byKey = new Map<string, Row>();
      for (const r of rows) byKey.set(JSON.stringify(keyIdx.map((i) => r[i] ?? null)), r);
      data = [...byKey.values()];
    }
    const perStatement = Math.max(1, Math.floor(60000 / Math.max(1, n)));
    for (let start = 0; start < data.length; start += perStatement) {
      const chunk = data.slice(start, start + perStatement);
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (const r of chunk) {
        const ph: string[] = [];
        for (let i = 0; i < n; i++) {
          params.push(toParam(r[i], schema.fields[i]!.dataType));
          ph.push(`$${params.length}`);
        }
        tuples.push(`(${ph.join(', ')})`);
      }
      await client.query(
        `INSERT INTO ${quoteTable(this.opts.table)} (${cols}) VALUES ${tuples.join(', ')}${conflict}`,
        params,
      );
    }
  }

  metrics(): Record<string, string> {
    return { rowsWritten: String(this.rowsWritten) };
  }

  async stop(): Promise<void> {
    await this.pool.end();
  }
}

export const postgresSinkProvider: SinkProvider = {
  format: 'postgres',
  supportedOutputModes: ['append', 'update', 'complete'],
  validate(options) {
    if (!getOption(options, 'url'))
      throw new AnalysisError('INVALID_OPTION', "The postgres sink needs option 'url'");
    if (!getOption(options, 'table') && !getOption(options, 'dbtable')) {
      throw new AnalysisError('INVALID_OPTION', "The postgres sink needs option 'table'");
    }
    const mode = (getOption(options, 'mode') ?? '').toLowerCase();
    if (mode && mode !== 'insert' && mode !== 'upsert') {
      throw new AnalysisError(
        'INVALID_OPTION',
        `Invalid mode '${mode}' for the postgres sink: use insert or upsert`,
      );
    }
    const keys = getOption(options, 'keyColumns');
    if (mode === 'upsert' && !keys) {
      throw new AnalysisError('INVALID_OPTION', "The postgres sink's upsert mode needs option 'keyColumns'");
    }
  },
  createSink(ctx) {
    const keys = (getOption(ctx.options, 'keyColumns') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const modeOpt = (getOption(ctx.options, 'mode') ?? '').toLowerCase();
    const mode =
      modeOpt === 'insert' || modeOpt === 'upsert' ? modeOpt : keys.length > 0 ? 'upsert' : 'insert';
    return new PostgresSink({
      url: getOption(ctx.options, 'url')!,
      table: getOption(ctx.options, 'table') ?? getOption(ctx.options, 'dbtable')!,
      keyColumns: keys,
      mode,
      outputMode: ctx.outputMode,
      queryId: ctx.queryId,
    });
  },
};
