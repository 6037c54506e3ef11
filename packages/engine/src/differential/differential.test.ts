import { DuckDBDecimalValue, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { resultsAgree, sqlLiteral } from './compare.js';
import { generateQuery, generateTables, rng, type Table } from './generator.js';

/**
 * Differential test: the same random queries over the same random tables in Sluice and in DuckDB
 * (an independent engine), compared as multisets (or in order when the query has a total ORDER BY).
 * Doubles are compared with a relative tolerance of 1e-9.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const QUERIES_PER_SEED = 75;

function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DuckDBDecimalValue) return Number(v.value) / 10 ** v.scale;
  if (typeof v === 'object' && v !== null && 'toDouble' in v) return (v as { toDouble(): number }).toDouble();
  if (typeof v === 'number' && Object.is(v, -0)) return 0;
  return v;
}

describe('differential: Sluice vs DuckDB', () => {
  let duck: Awaited<ReturnType<DuckDBInstance['connect']>>;
  let instance: DuckDBInstance;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    duck = await instance.connect();
  });
  afterAll(() => {
    duck?.closeSync?.();
    instance?.closeSync?.();
  });

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${QUERIES_PER_SEED} random queries agree`, async () => {
      const r = rng(seed);
      const tables: Table[] = generateTables(r);
      const session = Session.builder().create();
      for (const t of tables) {
        const ddl = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
        session.createDataFrame(t.rows as unknown[][], ddl).createOrReplaceTempView(t.name);
        await duck.run(
          `CREATE OR REPLACE TABLE ${t.name} (${t.columns.map((c) => `${c.name} ${c.type === 'STRING' ? 'VARCHAR' : c.type}`).join(', ')})`,
        );
        if (t.rows.length > 0)
          await duck.run(
            `INSERT INTO ${t.name} VALUES ${t.rows.map((row) => `(${row.map(sqlLiteral).join(', ')})`).join(', ')}`,
          );
      }
      const mismatches: string[] = [];
      for (let q = 0; q < QUERIES_PER_SEED; q++) {
        const { sql, ordered } = generateQuery(r);
        const ours = (await session.sql(sql).collectValues()).map((row) => row.map(norm));
        const reader = await duck.runAndReadAll(sql);
        const theirs = reader.getRows().map((row) => row.map(norm));
        if (!resultsAgree(ours, theirs, ordered))
          mismatches.push(
            `${sql}\n  sluice (${ours.length}): ${JSON.stringify(ours.slice(0, 5))}\n  duckdb (${theirs.length}): ${JSON.stringify(theirs.slice(0, 5))}`,
          );
      }
      expect(mismatches.join('\n\n')).toBe('');
    });
  }
});
