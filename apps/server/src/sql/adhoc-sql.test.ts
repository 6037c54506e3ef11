import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuerySpec, QueryView } from '../queries/schemas.js';
import { connect, type Harness, startHarness, waitFor } from '../test-support/server-harness.js';

/** Memory tables fed by memory-source queries, then queried with POST /api/sql. */
describe('memory tables and ad-hoc SQL', () => {
  let h: Harness;
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    h.app.inject({ method, url, payload: payload as object | undefined });

  async function startQuery(spec: QuerySpec): Promise<string> {
    const created = await api('POST', '/api/queries?start=true', spec);
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json<QueryView>();
    expect(view.status).toBe('running');
    return view.id;
  }

  let salesId: string;
  beforeAll(async () => {
    h = await startHarness({ memoryTableRows: 50 });
    salesId = await startQuery({
      name: 'sales',
      sources: { s: { format: 'memory', schema: 'region STRING, amount INT' } },
      sql: 'SELECT region, amount FROM s',
      sink: { format: 'memory' },
      outputMode: 'append',
    });
    const rows = Array.from({ length: 40 }, (_, i) => ({ region: ['north', 'south'][i % 2], amount: i }));
    expect((await api('POST', `/api/queries/${salesId}/sources/s/rows`, { rows })).json()).toEqual({
      added: 40,
    });
    await waitFor(async () => (await api('GET', '/api/tables/sales/rows')).json().total === 40);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists tables and pages through their rows', async () => {
    const tables = (await api('GET', '/api/tables')).json();
    expect(tables).toContainEqual({
      name: 'sales',
      queryId: salesId,
      schema: [
        { name: 'region', type: 'string', nullable: true },
        { name: 'amount', type: 'int', nullable: true },
      ],
      rowCount: 40,
      outputMode: 'append',
      key: null,
      truncated: false,
      maxRows: 50,
    });
    const page = (await api('GET', '/api/tables/sales/rows?offset=10&limit=5')).json();
    expect(page).toMatchObject({ total: 40, truncated: false });
    expect(page.rows.map((r: { amount: number }) => r.amount)).toEqual([10, 11, 12, 13, 14]);
  });

  it('runs an aggregation over a memory table', async () => {
    const res = await api('POST', '/api/sql', {
      sql: 'SELECT region, count(*) AS n, sum(amount) AS total FROM sales GROUP BY region ORDER BY region',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.schema.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'region:string',
      'n:bigint',
      'total:bigint',
    ]);
    expect(body.rows).toEqual([
      { region: 'north', n: 20, total: 380 },
      { region: 'south', n: 20, total: 400 },
    ]);
    expect(body).toMatchObject({ rowCount: 2, truncated: false });
    expect(body.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('applies the row limit and says the result was truncated', async () => {
    const res = await api('POST', '/api/sql', { sql: 'SELECT * FROM sales ORDER BY amount', limit: 3 });
    expect(res.json()).toMatchObject({ rowCount: 3, truncated: true });
    expect(res.json().rows.map((r: { amount: number }) => r.amount)).toEqual([0, 1, 2]);
  });

  it('reports a syntax error with its line and column', async () => {
    const res = await api('POST', '/api/sql', { sql: 'SELECT region\nFROM sales\nWHERE amount >' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ errorClass: 'PARSE_SYNTAX_ERROR', line: 3 });
    expect(res.json().column).toBeGreaterThan(0);
  });

  it('reports an unknown column with its position', async () => {
    const res = await api('POST', '/api/sql', { sql: 'SELECT nope FROM sales' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      errorClass: expect.stringMatching(/^UNRESOLVED_COLUMN/),
      line: 1,
      column: 8,
    });
  });

  it.each([
    ['INSERT INTO sales VALUES (1, 2)', 'INSERT'],
    ['CREATE TEMP VIEW v AS SELECT * FROM sales', 'createView'],
    ['DROP VIEW sales', 'dropView'],
    ['SET spark.sql.ansi.enabled=false', 'set'],
    ['SELECT 1; SELECT 2', 'statements'],
  ])('refuses a statement that is not one query: %s', async (sql, mention) => {
    const res = await api('POST', '/api/sql', { sql });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ errorClass: 'UNSUPPORTED_STATEMENT' });
    expect(res.json().message).toContain(mention);
    // The table is untouched.
    expect((await api('GET', '/api/tables/sales/rows')).json().total).toBe(40);
  });

  it('stops a runaway query at its time limit while the server keeps answering', async () => {
    let finished = false;
    const runaway = api('POST', '/api/sql', {
      sql: 'SELECT count(*) FROM sales a CROSS JOIN sales b CROSS JOIN sales c CROSS JOIN sales d CROSS JOIN sales e',
      timeoutMs: 3000,
    }).finally(() => {
      finished = true;
    });
    // The health check keeps answering while the query runs (it never shares the event loop with it).
    let answeredWhileRunning = 0;
    while (!finished) {
      const health = await h.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      if (!finished) answeredWhileRunning++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answeredWhileRunning).toBeGreaterThan(10);
    const res = await runaway;
    expect(res.statusCode, res.body).toBe(408);
    expect(res.json()).toMatchObject({ errorClass: 'QUERY_EXECUTION_TIMEOUT' });
    expect(res.json().message).toContain('3000 ms');
    // The next query gets a fresh worker and works.
    const next = await api('POST', '/api/sql', { sql: 'SELECT count(*) AS n FROM sales' });
    expect(next.json().rows).toEqual([{ n: 40 }]);
  });

  it('answers 400 with the field for a bad payload', async () => {
    const cases: [unknown, string][] = [
      [{}, '/sql'],
      [{ sql: '' }, '/sql'],
      [{ sql: 'SELECT 1', limit: 0 }, '/limit'],
      [{ sql: 'SELECT 1', limit: 100_001 }, '/limit'],
      [{ sql: 'SELECT 1', timeoutMs: 10 }, '/timeoutMs'],
      [{ sql: 'SELECT 1', extra: true }, '/extra'],
      [{ sql: { text: 'SELECT 1' } }, '/sql'],
    ];
    for (const [payload, field] of cases) {
      const res = await api('POST', '/api/sql', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    expect((await api('GET', '/api/tables/nope/rows')).statusCode).toBe(404);
    expect((await api('GET', '/api/tables/sales/rows?limit=0')).json().field).toBe('/limit');
    expect((await api('GET', '/api/tables/sales/rows?offset=-1')).json().field).toBe('/offset');
  });

  it('truncates a table at SLUICE_MEMORY_TABLE_ROWS and says so', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ region: 'east', amount: 100 + i }));
    await api('POST', `/api/queries/${salesId}/sources/s/rows`, { rows });
    const page = await waitFor(async () => {
      const r = (await api('GET', '/api/tables/sales/rows?limit=1000')).json();
      return r.truncated ? r : undefined;
    });
    expect(page.total).toBe(50);
    expect(page.rows[0].amount).toBe(20);
    expect(page.rows.at(-1).amount).toBe(129);
    expect((await api('GET', '/api/tables')).json()).toContainEqual(
      expect.objectContaining({ name: 'sales', rowCount: 50, truncated: true }),
    );
  });

  it('pushes upserts by the grouping key for an update-mode aggregation', async () => {
    const id = await startQuery({
      name: 'counts',
      sources: { w: { format: 'memory', schema: 'word STRING' } },
      sql: 'SELECT word, count(*) AS n FROM w GROUP BY word',
      sink: { format: 'memory' },
      outputMode: 'update',
    });
    const socket = await connect(h.url());
    const events: { mode: string; key?: string[]; rows: unknown[] }[] = [];
    socket.on('rows', (event) => events.push(event));
    expect(await socket.emitWithAck('subscribe', 'table:counts')).toEqual({ ok: true });
    await api('POST', `/api/queries/${id}/sources/w/rows`, { rows: [{ word: 'a' }, { word: 'b' }] });
    await waitFor(() => events.length >= 1);
    await api('POST', `/api/queries/${id}/sources/w/rows`, { rows: [{ word: 'a' }] });
    await waitFor(() => events.length >= 2);
    expect(events[1]).toMatchObject({
      mode: 'upsert',
      key: ['word'],
      rows: [{ word: 'a', n: 2 }],
      rowCount: 2,
    });
    const table = (await api('GET', '/api/tables/counts/rows')).json();
    expect(table.rows).toEqual([
      { word: 'a', n: 2 },
      { word: 'b', n: 1 },
    ]);
    expect((await api('GET', '/api/tables')).json()).toContainEqual(
      expect.objectContaining({ name: 'counts', outputMode: 'update', key: ['word'] }),
    );
    // A view over the table answers ad-hoc SQL too.
    const sql = await api('POST', '/api/sql', { sql: 'SELECT sum(n) AS total FROM counts' });
    expect(sql.json().rows).toEqual([{ total: 3 }]);
    socket.disconnect();
  });
});
