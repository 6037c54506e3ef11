import type { ColumnView, OutputMode } from './schemas.js';

export type JsonRow = Record<string, unknown>;

/** One memory-sink table in the main thread: Spark's memory-sink semantics, bounded in rows. */
export interface MemoryTable {
  readonly name: string;
  readonly queryId: string;
  schema: ColumnView[];
  outputMode: OutputMode;
  rows: JsonRow[];
  /** Rows were dropped (oldest first) to stay within the limit. */
  truncated: boolean;
  lastBatchId: number;
}

/** What the batch changed, as the `rows` socket event carries it. */
export interface TableChange {
  table: string;
  batchId: number;
  mode: 'append' | 'replace';
  schema: ColumnView[];
  rows: JsonRow[];
}

/**
 * The memory tables of every query with a memory sink. Complete mode replaces a table's rows,
 * append and update add them (Spark's memory sink); a batch id at or below the last one is a re-run
 * and skipped. At most `maxRows` rows are kept per table.
 */
export class MemoryTables {
  private readonly tables = new Map<string, MemoryTable>();

  constructor(private readonly maxRows: number) {}

  list(): MemoryTable[] {
    return [...this.tables.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): MemoryTable | undefined {
    return this.tables.get(name);
  }

  /** Creates (or takes over) the table a query's sink feeds; an existing table of the same query keeps its rows. */
  open(name: string, queryId: string, schema: ColumnView[], outputMode: OutputMode): MemoryTable {
    const existing = this.tables.get(name);
    if (existing && existing.queryId === queryId) {
      existing.schema = schema;
      existing.outputMode = outputMode;
      return existing;
    }
    const table: MemoryTable = {
      name,
      queryId,
      schema,
      outputMode,
      rows: [],
      truncated: false,
      lastBatchId: -1,
    };
    this.tables.set(name, table);
    return table;
  }

  /** Applies one batch; returns the change to publish, or null for a re-run batch. */
  addBatch(name: string, batchId: number, rows: JsonRow[]): TableChange | null {
    const table = this.tables.get(name);
    if (!table || batchId <= table.lastBatchId) return null;
    table.lastBatchId = batchId;
    const replace = table.outputMode === 'complete';
    if (replace) {
      table.rows = rows.slice(-this.maxRows);
      table.truncated = rows.length > this.maxRows;
    } else {
      for (const row of rows) table.rows.push(row);
      const excess = table.rows.length - this.maxRows;
      if (excess > 0) {
        table.rows.splice(0, excess);
        table.truncated = true;
      }
    }
    return { table: name, batchId, mode: replace ? 'replace' : 'append', schema: table.schema, rows };
  }

  dropQuery(queryId: string): void {
    for (const [name, table] of this.tables) if (table.queryId === queryId) this.tables.delete(name);
  }
}
