/**
 * Managed tables (Spark's session catalog without Hive): `df.write.saveAsTable(name)` and
 * `writeStream.toTable(name)` create a table whose files live in `<spark.sql.warehouse.dir>/<name>`
 * (default `./spark-warehouse`); `session.table(name)`, `read.table(name)`, SQL `FROM name` and
 * `readStream.table(name)` read it. Beyond Spark's in-memory catalog, the table's definition is kept
 * next to its files (`.sluice-table.json`, hidden from file listings), so a table outlives the process
 * that created it, as it would with a metastore.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisError } from '../errors.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { parseTableSchema } from '../sql/index.js';
import { quoteIdentifier } from '../sql/to-sql.js';
import type { StructType } from '../types/data-type.js';
import { simpleString } from '../types/types.js';

export interface ManagedTable {
  readonly name: string;
  /** The file format (`parquet`, `json`, `csv`, `text`). */
  readonly provider: string;
  readonly location: string;
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
}

const TABLE_FILE = '.sluice-table.json';
const FILE_PROVIDERS = new Set(['parquet', 'json', 'csv', 'text']);

export class ManagedTables {
  constructor(private readonly warehouseDir: () => string) {}

  /** Where a table's files live. */
  locationOf(name: string): string {
    return path.resolve(this.warehouseDir(), name.toLowerCase());
  }

  get(name: string): ManagedTable | undefined {
    const file = path.join(this.locationOf(name), TABLE_FILE);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const j = JSON.parse(text) as {
      name: string;
      provider: string;
      schema: string;
      partitionColumns: string[];
    };
    return {
      name: j.name,
      provider: j.provider,
      location: this.locationOf(name),
      schema: parseTableSchema(j.schema),
      partitionColumns: j.partitionColumns,
    };
  }

  /** Registers a table whose files are (or will be) at its location; refuses an existing one. */
  create(t: Omit<ManagedTable, 'location'>): ManagedTable {
    if (!FILE_PROVIDERS.has(t.provider)) {
      throw new AnalysisError(
        'DATA_SOURCE_NOT_FOUND',
        `Failed to find the data source: ${t.provider}. Tables are stored as parquet, json, csv or text files.`,
      );
    }
    if (this.get(t.name)) throw tableExists(t.name);
    const location = this.locationOf(t.name);
    fs.mkdirSync(location, { recursive: true });
    const tmp = path.join(location, `${TABLE_FILE}.tmp`);
    fs.writeFileSync(
      tmp,
      JSON.stringify({
        name: t.name,
        provider: t.provider,
        schema: schemaDDL(t.schema),
        partitionColumns: t.partitionColumns,
      }),
    );
    fs.renameSync(tmp, path.join(location, TABLE_FILE));
    return { ...t, location };
  }

  /** Drops a table and its files; false when there is none. */
  drop(name: string): boolean {
    if (!this.get(name)) return false;
    fs.rmSync(this.locationOf(name), { recursive: true, force: true });
    return true;
  }

  list(): ManagedTable[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.warehouseDir());
    } catch {
      return [];
    }
    return names.flatMap((n) => {
      const t = this.get(n);
      return t ? [t] : [];
    });
  }
}

export function tableExists(name: string): AnalysisError {
  return new AnalysisError(
    'TABLE_OR_VIEW_ALREADY_EXISTS',
    `Cannot create table or view \`spark_catalog\`.\`default\`.\`${name}\` because it already exists. Choose a different name, drop or replace the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects.`,
  );
}

export function tableNotFound(name: string): AnalysisError {
  return new AnalysisError(
    'TABLE_OR_VIEW_NOT_FOUND',
    `The table or view \`${name}\` cannot be found. Verify the spelling and correctness of the schema and catalog.`,
  );
}

function schemaDDL(schema: StructType): string {
  return schema.fields.map((f) => `${quoteIdentifier(f.name)} ${simpleString(f.dataType)}`).join(', ');
}

export function locationExists(name: string, location: string): AnalysisError {
  return new AnalysisError(
    'LOCATION_ALREADY_EXISTS',
    `Cannot name the managed table as \`spark_catalog\`.\`default\`.\`${name}\`, as its associated location 'file:${location}' already exists. Please pick a different table name, or remove the existing location first.`,
  );
}

/**
 * How a managed table is read in batch (registered by the batch file readers, which the catalog
 * cannot import without a cycle).
 */
let tableReader: ((t: ManagedTable) => LogicalPlan) | undefined;

export function registerTableReader(reader: (t: ManagedTable) => LogicalPlan): void {
  tableReader = reader;
}

export function readManagedTable(t: ManagedTable): LogicalPlan {
  if (!tableReader) throw new AnalysisError('DATA_SOURCE_NOT_FOUND', `No reader for table ${t.name}.`);
  return tableReader(t);
}
