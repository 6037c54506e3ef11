/**
 * The engine's seeded random query corpus (the one its DuckDB differential test uses: 8 seeds × 75
 * queries over two random tables) run on Apache Spark and on Sluice, the answers compared as
 * multisets (or in order under a total ORDER BY), doubles within 1e-9.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '@sluice/engine';
import {
  generateQuery,
  generateTables,
  resultsAgree,
  rng,
  sqlLiteral,
  type Table,
} from '@sluice/engine/differential';
import { runSparkScript } from './spark-run.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const QUERIES_PER_SEED = 75;

export interface DifferentialMismatch {
  readonly id: string;
  readonly sql: string;
  readonly sluice: string;
  readonly spark: string;
}

/** The Spark SQL that makes a generated table a temp view with the same column types. */
function viewSql(t: Table): string {
  const names = t.columns.map((c) => c.name).join(', ');
  const casts = t.columns.map((c) => `CAST(${c.name} AS ${c.type}) AS ${c.name}`).join(', ');
  const rows = t.rows.length > 0 ? t.rows : [t.columns.map(() => null)];
  const values = rows.map((r) => `(${r.map(sqlLiteral).join(', ')})`).join(', ');
  return `CREATE OR REPLACE TEMP VIEW ${t.name} AS SELECT ${casts} FROM VALUES ${values} AS ${t.name}(${names})${t.rows.length > 0 ? '' : ' WHERE false'}`;
}

function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Object.is(v, -0)) return 0;
  if (typeof v === 'object' && v !== null && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return v;
}

export async function differentialOnSpark(): Promise<{
  compared: number;
  mismatches: DifferentialMismatch[];
}> {
  const groups: { id: string; setup: string[]; queries: { id: string; sql: string; ordered: boolean }[] }[] =
    [];
  const sluice = new Map<string, unknown[][] | string>();
  for (const seed of SEEDS) {
    const r = rng(seed);
    const tables = generateTables(r);
    const session = Session.builder().create();
    for (const t of tables) {
      const ddl = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
      session.createDataFrame(t.rows as unknown[][], ddl).createOrReplaceTempView(t.name);
    }
    const queries = [];
    for (let q = 0; q < QUERIES_PER_SEED; q++) {
      const { sql, ordered } = generateQuery(r);
      const id = `seed ${seed} query ${q}`;
      try {
        sluice.set(
          id,
          (await session.sql(sql).collectValues()).map((row) => row.map(norm)),
        );
      } catch (e) {
        sluice.set(id, `error: ${(e as Error).message.split('\n')[0]}`);
      }
      queries.push({ id, sql, ordered });
    }
    groups.push({ id: `seed ${seed}`, setup: tables.map(viewSql), queries });
  }
  const input = join(tmpdir(), `sluice-oracle-differential-${process.pid}.json`);
  writeFileSync(input, JSON.stringify(groups));
  const spark = await runSparkScript<{ id: string; rows?: unknown[][]; error?: { message: string } }>(
    'spark_sql.py',
    [input],
  );
  const byId = new Map(spark.map((o) => [o.id, o]));
  const mismatches: DifferentialMismatch[] = [];
  let compared = 0;
  for (const g of groups) {
    for (const q of g.queries) {
      compared++;
      const ours = sluice.get(q.id)!;
      const theirs = byId.get(q.id);
      const sparkText = theirs?.error
        ? `error: ${theirs.error.message}`
        : JSON.stringify(theirs?.rows?.slice(0, 5));
      const agree =
        typeof ours !== 'string' &&
        theirs?.rows !== undefined &&
        resultsAgree(
          ours,
          theirs.rows.map((r) => r.map(norm)),
          q.ordered,
        );
      if (!agree) {
        mismatches.push({
          id: q.id,
          sql: q.sql,
          sluice: typeof ours === 'string' ? ours : JSON.stringify(ours.slice(0, 5)),
          spark: sparkText,
        });
      }
    }
  }
  return { compared, mismatches };
}
