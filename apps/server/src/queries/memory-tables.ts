import type { ColumnView, OutputMode } from './schemas.js';

export type JsonRow = Record<string, unknown>;

/** One memory-sink table in the main thread, bounded in rows. */
export interface MemoryTable {
  readonly name: string;
  readonly queryId: string;
  schema: ColumnView[];
  outputMode: OutputMode;
  /** Update mode: the grouping key's columns (rows are upserted by them); null = rows are appended. */
  keyColumns: string[] | null;
  /** Rows were dropped (oldest first) to stay within the limit. */
  truncated: boolean;
  lastBatchId: number;
  /** The rows, oldest first (a snapshot: later batches do not change the returned array). */
  readonly rows: readonly JsonRow[];
  readonly rowCount: number;
}

/**
 * What a batch changed, as the `rows` socket event carries it: `replace` (complete mode: `rows` is
 * the whole table), `append` (`rows` follow the existing ones) or `upsert` (update mode with a
 * grouping key: each row replaces the row with the same `key` values, or is appended).
 */
export interface TableChange {
  table: string;
  batchId: number;
  mode: 'append' | 'replace' | 'upsert';
  schema: ColumnView[];
  key?: string[];
  rows: JsonRow[];
  /** Rows in the table after the batch, and whether older ones were dropped for the limit. */
  rowCount: number;
  truncated: boolean;
}

/**
 * The rows of one table. Keyed rows live in an insertion-ordered map (an upsert keeps the row's
 * place; the oldest inserted are dropped first); unkeyed rows in an array.
 */
class TableState implements MemoryTable {
  schema: ColumnView[];
  outputMode: OutputMode;
  keyColumns: string[] | null = null;
  truncated = false;
  lastBatchId = -1;
  private list: JsonRow[] = [];
  private keyed = new Map<string, JsonRow>();
  private snapshot: readonly JsonRow[] | null = null;

  constructor(
    readonly name: string,
    readonly queryId: string,
    schema: ColumnView[],
    outputMode: OutputMode,
  ) {
    this.schema = schema;
    this.outputMode = outputMode;
  }

  get rows(): readonly JsonRow[] {
    this.snapshot ??= this.keyColumns ? [...this.keyed.values()] : this.list.slice();
    return this.snapshot;
  }

  get rowCount(): number {
    return this.keyColumns ? this.keyed.size : this.list.length;
  }

  /** Switches between keyed and unkeyed storage (a restarted query may change shape); keeps the rows. */
  setKey(keyColumns: string[] | null): void {
    const current = this.rows;
    this.keyColumns = keyColumns && keyColumns.length > 0 ? keyColumns : null;
    this.list = [];
    this.keyed = new Map();
    this.snapshot = null;
    for (const row of current) this.insert(row);
  }

  replace(rows: readonly JsonRow[], maxRows: number): void {
    this.list = [];
    this.keyed = new Map();
    this.snapshot = null;
    const start = Math.max(0, rows.length - maxRows);
    for (let i = start; i < rows.length; i++) this.insert(rows[i]!);
    this.truncated = rows.length > maxRows;
  }

  add(rows: readonly JsonRow[], maxRows: number): void {
    this.snapshot = null;
    for (const row of rows) this.insert(row);
    if (this.keyColumns) {
      while (this.keyed.size > maxRows) {
        const oldest = this.keyed.keys().next().value as string;
        this.keyed.delete(oldest);
        this.truncated = true;
      }
    } else if (this.list.length > maxRows) {
      this.list.splice(0, this.list.length - maxRows);
      this.truncated = true;
    }
  }

  private insert(row: JsonRow): void {
    if (!this.keyColumns) {
      this.list.push(row);
      return;
    }
    // JSON of the key values: rows arrive as JSON already, so equal keys serialise equally.
    const key = JSON.stringify(this.keyColumns.map((c) => row[c] ?? null));
    this.keyed.set(key, row);
  }
}

/**
 * The memory tables of every query with a memory sink. Complete mode replaces a table's rows, append
 * mode appends them, update mode upserts them by the query's grouping key (appends when the query
 * has none); a batch id at or below the last one is a re-run and skipped. At most `maxRows` rows are
 * kept per table, oldest first out.
 */
export class MemoryTables {
  private readonly tables = new Map<string, TableState>();

  constructor(readonly maxRows: number) {}

  list(): MemoryTable[] {
    return [...this.tables.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): MemoryTable | undefined {
    return this.tables.get(name);
  }

  /**
   * Creates (or takes over) the table a query's sink feeds; an existing table of the same query keeps
   * its rows. `keyColumns` is the grouping key for update mode (ignored in other modes).
   */
  open(
    name: string,
    queryId: string,
    schema: ColumnView[],
    outputMode: OutputMode,
    keyColumns: string[] | null = null,
  ): MemoryTable {
    let table = this.tables.get(name);
    if (!table || table.queryId !== queryId) {
      table = new TableState(name, queryId, schema, outputMode);
      this.tables.set(name, table);
    }
    table.schema = schema;
    table.outputMode = outputMode;
    const key = outputMode === 'update' ? keyColumns : null;
    if (JSON.stringify(key) !== JSON.stringify(table.keyColumns)) table.setKey(key);
    return table;
  }

  /** Applies one batch; returns the change to publish, or null for a re-run batch or an unknown table. */
  addBatch(name: string, batchId: number, rows: JsonRow[]): TableChange | null {
    const table = this.tables.get(name);
    if (!table || batchId <= table.lastBatchId) return null;
    table.lastBatchId = batchId;
    let mode: TableChange['mode'];
    if (table.outputMode === 'complete') {
      table.replace(rows, this.maxRows);
      mode = 'replace';
    } else {
      table.add(rows, this.maxRows);
      mode = table.keyColumns ? 'upsert' : 'append';
    }
    const change: TableChange = {
      table: name,
      batchId,
      mode,
      schema: table.schema,
      // A complete batch larger than the table: publish what the table keeps.
      rows: mode === 'replace' && rows.length > this.maxRows ? rows.slice(-this.maxRows) : rows,
      rowCount: table.rowCount,
      truncated: table.truncated,
    };
    if (table.keyColumns) change.key = table.keyColumns;
    return change;
  }

  dropQuery(queryId: string): void {
    for (const [name, table] of this.tables) if (table.queryId === queryId) this.tables.delete(name);
  }
}
