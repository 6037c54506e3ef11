import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, struct, T } from '../sources/schema-util.js';
import { PostgresSink, SINK_COMMITS_TABLE } from './postgres-sink.js';

const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = `sluice_sink_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let url: string;
let admin: pg.Client;

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
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const schema = struct(field('word', T.string), field('n', T.long), field('at', T.timestamp));

describe('postgres sink (real Postgres)', () => {
  it('upserts by key columns exactly once per batch id', async () => {
    const sink = new PostgresSink({
      url,
      table: 'word_counts',
      keyColumns: ['word'],
      mode: 'upsert',
      outputMode: 'update',
      queryId: 'q-upsert',
    });
    await sink.addBatch(
      0,
      [
        ['a', 1, 1_700_000_000_123_456],
        ['b', 1, null],
      ],
      schema,
    );
    await sink.addBatch(
      1,
      [
        ['a', 2, null],
        ['a', 3, null],
      ],
      schema,
    );
    await sink.addBatch(1, [['a', 100, null]], schema); // replay of batch 1: skipped
    await sink.stop();
    expect(await query('SELECT word, n::int AS n FROM word_counts ORDER BY word')).toEqual([
      { word: 'a', n: 3 },
      { word: 'b', n: 1 },
    ]);
    expect(await query(`SELECT query_id, sink_table, batch_id::int AS b FROM ${SINK_COMMITS_TABLE}`)).toEqual(
      [{ query_id: 'q-upsert', sink_table: 'word_counts', b: 1 }],
    );
  });

  it('inserts in append mode, replaces in complete mode and keeps microseconds', async () => {
    const sink = new PostgresSink({
      url,
      table: 'events',
      keyColumns: [],
      mode: 'insert',
      outputMode: 'append',
      queryId: 'q-append',
    });
    await sink.addBatch(0, [['x', 1, 1_700_000_000_123_456]], schema);
    await sink.addBatch(0, [['x', 1, 1_700_000_000_123_456]], schema);
    await sink.addBatch(1, [['y', 2, null]], schema);
    await sink.stop();
    const rows = await query(
      `SELECT word, extract(microseconds from at)::int AS us FROM events ORDER BY word`,
    );
    expect(rows).toEqual([
      { word: 'x', us: 20_123_456 },
      { word: 'y', us: null },
    ]);
    const complete = new PostgresSink({
      url,
      table: 'totals',
      keyColumns: [],
      mode: 'insert',
      outputMode: 'complete',
      queryId: 'q-complete',
    });
    await complete.addBatch(0, [['a', 1, null]], schema);
    await complete.addBatch(
      1,
      [
        ['a', 2, null],
        ['b', 1, null],
      ],
      schema,
    );
    await complete.stop();
    expect(await query('SELECT word, n::int AS n FROM totals ORDER BY word')).toEqual([
      { word: 'a', n: 2 },
      { word: 'b', n: 1 },
    ]);
  });
});
