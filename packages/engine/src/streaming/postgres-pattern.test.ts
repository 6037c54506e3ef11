/**
 * The seeds' pattern 3 — "state in a key-value store that APIs query": a streaming aggregation
 * upserted into Postgres by key, exactly once across restarts (real Postgres; TEST_DATABASE_URL
 * overrides the default URL; the test creates and drops its own database).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, count, sum } from '../dataframe/functions.js';
import { Session } from '../session/session.js';
import './index.js';

const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = `sluice_stream_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let url: string;
let admin: pg.Client;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pg-stream-'));

beforeAll(async () => {
  admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  url = u.toString();
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('postgres sink from a streaming query', () => {
  it('upserts aggregated state by key, exactly once per batch across restarts', async () => {
    const s = Session.builder().create();
    const run = async () => {
      const q = s.readStream
        .format('rate-micro-batch')
        .option('rowsPerBatch', 10)
        .load()
        .groupBy(col('value').mod(3).as('bucket'))
        .agg(count('*').as('n'), sum('value').as('total'))
        .writeStream.format('postgres')
        .option('url', url)
        .option('table', 'bucket_totals')
        .option('keyColumns', 'bucket')
        .outputMode('update')
        .option('checkpointLocation', dir)
        .trigger({ once: true })
        .start();
      await q.awaitTermination();
      return q;
    };
    const q1 = await run();
    const q2 = await run();
    expect(q2.id).toBe(q1.id);
    // Batch 1 was written, but pretend the commit log did not make it: the re-run is skipped by Postgres.
    fs.rmSync(path.join(dir, 'commits', '1'));
    await run();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const rows = (
        await c.query(
          'SELECT bucket::int AS bucket, n::int AS n, total::int AS total FROM bucket_totals ORDER BY bucket',
        )
      ).rows;
      // values 0..19: bucket 0 → 0,3,..,18 (7 values, sum 63); 1 → 1..19 (7, 70); 2 → 2..17 (6, 57)
      expect(rows).toEqual([
        { bucket: 0, n: 7, total: 63 },
        { bucket: 1, n: 7, total: 70 },
        { bucket: 2, n: 6, total: 57 },
      ]);
      const commits = (await c.query('SELECT batch_id::int AS b FROM _sluice_sink_commits')).rows;
      expect(commits).toEqual([{ b: 1 }]);
    } finally {
      await c.end();
    }
  });
});
