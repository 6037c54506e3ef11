import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness, startHarness, waitFor } from '../test-support/server-harness.js';
import type { QuerySpec, QueryView } from './schemas.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const memorySpec = (name: string): QuerySpec => ({
  name,
  sources: { events: { format: 'memory', schema: 'user STRING, amount DOUBLE' } },
  sql: 'SELECT user, amount FROM events',
  sink: { format: 'memory' },
  outputMode: 'append',
});

describe('bad input on every route (never a 500)', () => {
  let h: Harness;
  // One active query at most, so 429 is reachable.
  beforeAll(async () => {
    h = await startHarness({ kafkaBrokers: ['127.0.0.1:9'], maxActiveQueries: 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const response = await h.app.inject({ method, url, payload: payload as object | undefined });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(500);
    return response;
  };
  const expectError = async (
    response: Awaited<ReturnType<typeof api>>,
    statusCode: number,
    fields: Record<string, unknown> = {},
  ) => {
    expect(response.statusCode, response.body).toBe(statusCode);
    expect(response.json()).toMatchObject({
      statusCode,
      error: expect.any(String),
      message: expect.any(String),
      ...fields,
    });
  };
  const huge = { rows: [{ user: 'x'.repeat(1024 * 1024) }] };

  it('GET /api/functions lists the registry with kinds', async () => {
    const functions = (await api('GET', '/api/functions')).json<{ name: string; kind: string }[]>();
    expect(functions).toContainEqual({ name: 'upper', kind: 'scalar' });
    expect(functions).toContainEqual({ name: 'count', kind: 'aggregate' });
    expect(functions).toContainEqual({ name: 'explode', kind: 'generator' });
  });

  it('POST /api/queries/validate', async () => {
    await expectError(await api('POST', '/api/queries/validate', {}), 400, { field: '/spec' });
    const badFormat = { ...memorySpec('v'), sources: { events: { format: 'nope' } } };
    await expectError(await api('POST', '/api/queries/validate', { spec: badFormat }), 400, {
      field: '/spec/sources/events/format',
    });
    await expectError(
      await api('POST', '/api/queries/validate', { spec: { ...memorySpec('v'), extra: 1 } }),
      400,
      {
        field: '/spec/extra',
      },
    );
    await expectError(await api('POST', '/api/queries/validate', { spec: memorySpec('v'), pad: huge }), 413);
    const badSql = await api('POST', '/api/queries/validate', {
      spec: { ...memorySpec('v'), sql: 'SELECT FROM' },
    });
    expect(badSql.statusCode).toBe(200);
    expect(badSql.json()).toMatchObject({
      ok: false,
      errors: [{ errorClass: 'PARSE_SYNTAX_ERROR', line: 1 }],
    });
    const notStreaming = await api('POST', '/api/queries/validate', {
      spec: { ...memorySpec('v'), sql: 'SELECT 1' },
    });
    expect(notStreaming.json()).toMatchObject({ ok: false, errors: [{ field: '/sql' }] });
  });

  it('POST /api/queries', async () => {
    await expectError(await api('POST', '/api/queries', { ...memorySpec('x'), name: '1bad name' }), 400, {
      field: '/name',
    });
    await expectError(
      await api('POST', '/api/queries', { ...memorySpec('x'), outputMode: 'sideways' }),
      400,
      {
        field: '/outputMode',
      },
    );
    const { sql: _sql, ...withoutSql } = memorySpec('x');
    await expectError(await api('POST', '/api/queries', withoutSql), 400, { field: '/sql' });
    await expectError(
      await api('POST', '/api/queries', { ...memorySpec('x'), sources: { 'a-b': { format: 'rate' } } }),
      400,
      {
        field: '/sources/a-b',
      },
    );
    await expectError(
      await api('POST', '/api/queries', { ...memorySpec('x'), sql: 'x'.repeat(1024 * 1024) }),
      413,
    );
    const bad = await api('POST', '/api/queries', {
      ...memorySpec('x'),
      sql: 'SELECT user,\n  nope FROM events',
    });
    await expectError(bad, 422, { line: 2, column: 3, field: '/sql' });
    expect(bad.json().errorClass).toMatch(/^UNRESOLVED_COLUMN/);
    const parse = await api('POST', '/api/queries', {
      ...memorySpec('x'),
      sql: 'SELECT user FROM events WHERE',
    });
    await expectError(parse, 422, { errorClass: 'PARSE_SYNTAX_ERROR', line: 1 });
    expect((await api('POST', '/api/queries', memorySpec('dup'))).statusCode).toBe(201);
    await expectError(await api('POST', '/api/queries', memorySpec('dup')), 409, { field: '/name' });
  });

  it('GET /api/queries and /api/queries/:id', async () => {
    await expectError(await api('GET', '/api/queries?limit=0'), 400, { field: '/limit' });
    await expectError(await api('GET', '/api/queries?cursor=garbage'), 400, { field: '/cursor' });
    await expectError(await api('GET', '/api/queries/not-a-uuid'), 400, { field: '/id' });
    await expectError(await api('GET', `/api/queries/${UNKNOWN}`), 404);
  });

  it('lifecycle conflicts: PUT, start, stop, restart, DELETE, 429', async () => {
    for (const action of ['start', 'stop', 'restart']) {
      await expectError(await api('POST', `/api/queries/${UNKNOWN}/${action}`), 404);
    }
    await expectError(await api('PUT', `/api/queries/${UNKNOWN}`, memorySpec('u')), 404);
    await expectError(await api('DELETE', `/api/queries/${UNKNOWN}`), 404);

    const a = (await api('POST', '/api/queries', memorySpec('life_a'))).json<QueryView>();
    const b = (await api('POST', '/api/queries', memorySpec('life_b'))).json<QueryView>();
    await expectError(await api('POST', `/api/queries/${a.id}/stop`), 409);
    await expectError(
      await api('PUT', `/api/queries/${a.id}`, { ...memorySpec('life_a'), sql: 'SELECT' }),
      422,
    );
    await expectError(await api('PUT', `/api/queries/${a.id}`, memorySpec('life_b')), 409, {
      field: '/name',
    });
    await expectError(await api('PUT', `/api/queries/${a.id}`, { ...memorySpec('life_a'), sink: {} }), 400, {
      field: '/sink/format',
    });
    const edited = await api('PUT', `/api/queries/${a.id}`, { ...memorySpec('life_a2') });
    expect(edited.json()).toMatchObject({ name: 'life_a2', status: 'stopped' });

    expect((await api('POST', `/api/queries/${a.id}/start`)).json()).toMatchObject({ status: 'running' });
    await expectError(await api('POST', `/api/queries/${a.id}/start`), 409);
    await expectError(await api('PUT', `/api/queries/${a.id}`, memorySpec('life_a3')), 409);
    await expectError(await api('POST', `/api/queries/${b.id}/start`), 429);
    await expectError(await api('POST', '/api/queries?start=true', memorySpec('life_c')), 429);
    await expectError(await api('POST', '/api/previews', { spec: memorySpec('pv') }), 429);
    expect((await api('POST', `/api/queries/${a.id}/stop`)).json()).toMatchObject({ status: 'stopped' });
    await expectError(await api('POST', `/api/queries/${a.id}/stop`), 409);
  });

  it('progress, runs and memory-source rows', async () => {
    await expectError(await api('GET', `/api/queries/${UNKNOWN}/progress`), 404);
    await expectError(await api('GET', `/api/queries/${UNKNOWN}/runs`), 404);
    const q = (await api('POST', '/api/queries', memorySpec('rows_q'))).json<QueryView>();
    await expectError(await api('GET', `/api/queries/${q.id}/progress?from=yesterday`), 400, {
      field: '/from',
    });
    await expectError(await api('GET', `/api/queries/${q.id}/progress?cursor=%7B`), 400, {
      field: '/cursor',
    });
    await expectError(await api('GET', `/api/queries/${q.id}/progress?limit=5000`), 400, { field: '/limit' });

    const rowsUrl = `/api/queries/${q.id}/sources/events/rows`;
    await expectError(await api('POST', `/api/queries/${UNKNOWN}/sources/events/rows`, { rows: [] }), 404);
    await expectError(await api('POST', `/api/queries/${q.id}/sources/nope/rows`, { rows: [] }), 404);
    await expectError(await api('POST', rowsUrl, {}), 400, { field: '/rows' });
    await expectError(await api('POST', rowsUrl, { rows: [1] }), 400, { field: '/rows/0' });
    await expectError(await api('POST', rowsUrl, huge), 413);
    await expectError(await api('POST', rowsUrl, { rows: [{ user: 'a' }] }), 409);
    await api('POST', `/api/queries/${q.id}/start`);
    await expectError(await api('POST', rowsUrl, { rows: [{ colour: 'red' }] }), 400, { field: '/rows' });
    await expectError(await api('POST', rowsUrl, { rows: [{ amount: 'lots' }] }), 400, { field: '/rows' });
    expect((await api('POST', rowsUrl, { rows: [{ user: 'a', amount: 1.5 }] })).json()).toEqual({ added: 1 });
    await waitFor(async () => (await api('GET', '/api/tables/rows_q/rows')).json().total === 1);
    expect((await api('GET', '/api/tables/rows_q/rows')).json()).toMatchObject({
      rows: [{ user: 'a', amount: 1.5 }],
      schema: [
        { name: 'user', type: 'string' },
        { name: 'amount', type: 'double' },
      ],
      truncated: false,
    });
    await api('POST', `/api/queries/${q.id}/stop`);

    await expectError(await api('GET', '/api/tables/nope/rows'), 404);
    await expectError(await api('GET', '/api/tables/rows_q/rows?offset=-1'), 400, { field: '/offset' });
  });

  it('previews: bad specs, unknown ids, rows on the table room', async () => {
    await expectError(await api('POST', '/api/previews', {}), 400, { field: '/spec' });
    await expectError(await api('POST', '/api/previews', { spec: memorySpec('p'), maxRows: 0 }), 400, {
      field: '/maxRows',
    });
    await expectError(
      await api('POST', '/api/previews', { spec: { ...memorySpec('p'), sql: 'SELECT nope FROM events' } }),
      422,
    );
    await expectError(await api('DELETE', `/api/previews/${UNKNOWN}`), 404);

    const spec: QuerySpec = {
      name: 'rate_preview',
      sources: { r: { format: 'rate-micro-batch', options: { rowsPerBatch: '3' } } },
      sql: 'SELECT value FROM r',
      sink: { format: 'console' },
      outputMode: 'append',
    };
    // maxRows far away: the preview runs until it is deleted, so the subscription cannot miss it.
    const created = await api('POST', '/api/previews', { spec, maxRows: 10_000 });
    expect(created.statusCode, created.body).toBe(201);
    const preview = created.json<{ id: string; table: string; schema: unknown[] }>();
    expect(preview.schema).toEqual([expect.objectContaining({ name: 'value', type: 'bigint' })]);
    const socket = await connect(h.url());
    const received: number[] = [];
    socket.on('rows', (event: { table: string; mode: string; rows: { value: number }[] }) => {
      expect(event.table).toBe(preview.table);
      received.push(...event.rows.map((r) => r.value));
    });
    await socket.emitWithAck('subscribe', `table:${preview.table}`);
    await waitFor(async () => (await api('GET', `/api/tables/${preview.table}/rows`)).json().total >= 6);
    await waitFor(() => received.length >= 3);
    expect(received).toEqual(received.map((_, i) => received[0]! + i));
    expect((await api('DELETE', `/api/previews/${preview.id}`)).statusCode).toBe(204);
    await expectError(await api('GET', `/api/tables/${preview.table}/rows`), 404);
    socket.disconnect();
  });
});
