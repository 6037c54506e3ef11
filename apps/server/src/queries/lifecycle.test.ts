import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness, startHarness, waitFor } from '../test-support/server-harness.js';
import type { QuerySpec, QueryView } from './schemas.js';

const wordCount = (name: string): QuerySpec => ({
  name,
  sources: { lines: { format: 'memory', schema: 'line STRING' } },
  sql: "SELECT word, count(*) AS n FROM lines LATERAL VIEW explode(split(line, ' ')) t AS word GROUP BY word",
  sink: { format: 'memory' },
  outputMode: 'complete',
});

describe('query lifecycle over REST', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    h.app.inject({ method, url, payload: payload as object | undefined });

  it('creates, starts, feeds, stops, restarts and deletes a query', async () => {
    const created = await api('POST', '/api/queries', wordCount('wc_life'));
    expect(created.statusCode).toBe(201);
    const view = created.json<QueryView>();
    expect(view).toMatchObject({ name: 'wc_life', status: 'stopped', desiredState: 'stopped', runId: null });

    expect((await api('GET', `/api/queries/${view.id}`)).json()).toMatchObject({
      id: view.id,
      status: 'stopped',
    });
    const list = (await api('GET', '/api/queries')).json();
    expect(list.items.map((q: QueryView) => q.id)).toContain(view.id);

    const started = await api('POST', `/api/queries/${view.id}/start`);
    expect(started.statusCode).toBe(200);
    expect(started.json().exception).toBeNull();
    expect(started.json()).toMatchObject({ status: 'running', desiredState: 'running' });
    const firstRun = started.json<QueryView>().runId;
    expect(firstRun).toMatch(/^[0-9a-f-]{36}$/);

    const added = await api('POST', `/api/queries/${view.id}/sources/lines/rows`, {
      rows: [{ line: 'a b a' }, { line: 'c a' }],
    });
    expect(added.json()).toEqual({ added: 2 });
    const rows = await waitFor(async () => {
      const r = (await api('GET', '/api/tables/wc_life/rows')).json();
      return r.total === 3 ? r : undefined;
    });
    expect(
      rows.rows.sort((x: { word: string }, y: { word: string }) => x.word.localeCompare(y.word)),
    ).toEqual([
      { word: 'a', n: 3 },
      { word: 'b', n: 1 },
      { word: 'c', n: 1 },
    ]);
    const tables = (await api('GET', '/api/tables')).json();
    expect(tables).toContainEqual(
      expect.objectContaining({ name: 'wc_life', queryId: view.id, outputMode: 'complete', rowCount: 3 }),
    );

    // Gauges follow progress, which comes right after the batch's rows.
    const metrics = await waitFor(async () => {
      const body = (await api('GET', '/metrics')).body;
      return body.includes('sluice_query_state_rows{query="wc_life"} 3') ? body : undefined;
    });
    expect(metrics).toMatch(/sluice_query_input_rows_per_second\{query="wc_life"\} [\d.]+/);
    expect(metrics).toMatch(/sluice_query_processed_rows_per_second\{query="wc_life"\}/);
    expect(metrics).toMatch(/sluice_query_batch_duration_ms\{query="wc_life"\}/);
    expect(metrics).toMatch(/sluice_query_state_rows\{query="wc_life"\} 3/);
    expect(metrics).toContain('sluice_query_dead_letters_total');
    expect(metrics).toMatch(/sluice_queries_active 1/);
    expect(metrics).toContain('sluice_nodejs_eventloop_lag_p99_seconds');

    const socket = await connect(h.url());
    const statuses: string[] = [];
    const queryEvents: { type: string; query: { id: string; status?: string } }[] = [];
    socket.on('status', (event: { queryId: string; status: string }) => statuses.push(event.status));
    socket.on('query', (event: (typeof queryEvents)[number]) => queryEvents.push(event));
    await socket.emitWithAck('subscribe', `query:${view.id}`);
    await socket.emitWithAck('subscribe', 'queries');
    const stopped = await api('POST', `/api/queries/${view.id}/stop`);
    await waitFor(() => statuses.includes('stopped'));
    expect(statuses).toEqual(['stopping', 'stopped']);
    await waitFor(() => queryEvents.some((e) => e.type === 'status' && e.query.status === 'stopped'));
    socket.disconnect();
    expect((await api('GET', '/metrics')).body).toMatch(/sluice_queries_active 0/);
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toMatchObject({ status: 'stopped', desiredState: 'stopped', runId: firstRun });
    expect(stopped.json().lastProgress).toMatchObject({ batchId: 0, numInputRows: 2 });

    const restarted = await api('POST', `/api/queries/${view.id}/restart`);
    expect(restarted.json()).toMatchObject({ status: 'running' });
    expect(restarted.json().runId).not.toBe(firstRun);
    await api('POST', `/api/queries/${view.id}/sources/lines/rows`, { rows: [{ line: 'b' }] });
    await waitFor(async () => {
      const r = (await api('GET', '/api/tables/wc_life/rows')).json();
      return r.rows.some((row: { word: string; n: number }) => row.word === 'b' && row.n === 2);
    });
    // The state came back from the checkpoint: a still counts 3.
    const after = (await api('GET', '/api/tables/wc_life/rows')).json();
    expect(after.rows).toContainEqual({ word: 'a', n: 3 });

    const runs = (await api('GET', `/api/queries/${view.id}/runs`)).json();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ runId: restarted.json().runId, status: 'running', endedAt: null });
    expect(runs[1]).toMatchObject({ runId: firstRun, status: 'stopped', exception: null });

    // Paged one at a time, oldest first: contiguous batch ids from 0, the first from the first run.
    const batchIds: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { batchId: number }[]; nextCursor: string | null } = (
        await api('GET', `/api/queries/${view.id}/progress?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(1);
      if (batchIds.length === 0) expect(page.items[0]).toMatchObject({ batchId: 0, runId: firstRun });
      batchIds.push(...page.items.map((p) => p.batchId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(batchIds).toEqual(batchIds.map((_, i) => i));
    expect(batchIds.length).toBeGreaterThanOrEqual(2);
    const since = (await api('GET', `/api/queries/${view.id}/progress?sinceBatchId=0`)).json();
    expect(since.items.map((p: { batchId: number }) => p.batchId)).toEqual(batchIds.slice(1));
    const until = (await api('GET', `/api/queries/${view.id}/progress?untilBatchId=0`)).json();
    expect(until.items.map((p: { batchId: number }) => p.batchId)).toEqual([0]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const byTime = (await api('GET', `/api/queries/${view.id}/progress?from=${future}`)).json();
    expect(byTime.items).toEqual([]);

    const checkpoint = join(h.dataDir, 'checkpoints', view.id);
    expect(existsSync(checkpoint)).toBe(true);
    const deleted = await api('DELETE', `/api/queries/${view.id}?checkpoint=true`);
    expect(deleted.statusCode).toBe(204);
    expect(existsSync(checkpoint)).toBe(false);
    expect((await api('GET', `/api/queries/${view.id}`)).statusCode).toBe(404);
  });

  it('documents every query route in the OpenAPI document', async () => {
    const spec = (await api('GET', '/docs/json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/functions',
        '/api/queries/validate',
        '/api/queries',
        '/api/queries/{id}',
        '/api/queries/{id}/start',
        '/api/queries/{id}/stop',
        '/api/queries/{id}/restart',
        '/api/queries/{id}/progress',
        '/api/queries/{id}/runs',
        '/api/queries/{id}/sources/{alias}/rows',
        '/api/previews',
        '/api/previews/{id}',
        '/api/tables',
        '/api/tables/{name}/rows',
      ]),
    );
    expect(spec.paths['/api/queries']?.post).toMatchObject({ responses: { 201: {}, 422: {}, 409: {} } });
  });

  it('creates and starts with ?start=true', async () => {
    const created = await api('POST', '/api/queries?start=true', wordCount('wc_started'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'running', desiredState: 'running' });
    const id = created.json<QueryView>().id;
    const deleted = await api('DELETE', `/api/queries/${id}`);
    expect(deleted.statusCode).toBe(204);
    // Without ?checkpoint=true the checkpoint stays.
    expect(existsSync(join(h.dataDir, 'checkpoints', id))).toBe(true);
  });
});
