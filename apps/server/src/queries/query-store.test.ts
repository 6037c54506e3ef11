import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@sluice/db';
import { createTestDatabase, type TestDatabase } from '@sluice/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateNameError, QueryStore } from './query-store.js';
import type { QuerySpec } from './schemas.js';

const spec = (name: string): QuerySpec => ({
  name,
  sources: { r: { format: 'rate' } },
  sql: 'SELECT value FROM r',
  sink: { format: 'console' },
  outputMode: 'append',
});

describe('QueryStore on Postgres', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase('sluice_store');
    handle = await openDatabase({ url: database.url });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('keeps only the newest progress rows per query (SLUICE_PROGRESS_RETENTION)', async () => {
    const store = new QueryStore(handle.db, 3);
    const id = randomUUID();
    const other = randomUUID();
    await store.create(id, spec('kept'), 'stopped');
    await store.create(other, spec('other'), 'stopped');
    const runId = randomUUID();
    for (let batchId = 0; batchId < 10; batchId++) {
      await store.addProgress(id, { runId, batchId, timestamp: new Date().toISOString() });
    }
    await store.addProgress(other, { runId, batchId: 0, timestamp: new Date().toISOString() });
    await store.trimProgress(id);
    const page = await store.progress(id, { limit: 100 });
    expect(page.items.map((p) => p.batchId)).toEqual([7, 8, 9]);
    expect((await store.progress(other, { limit: 100 })).items).toHaveLength(1);
  });

  it('refuses a duplicate name and pages queries by cursor', async () => {
    const store = new QueryStore(handle.db, 10);
    await expect(store.create(randomUUID(), spec('kept'), 'stopped')).rejects.toBeInstanceOf(
      DuplicateNameError,
    );
    const first = await store.list(1, undefined);
    expect(first.items).toHaveLength(1);
    const second = await store.list(1, first.nextCursor ?? undefined);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    expect(second.nextCursor).toBeNull();
  });

  it('deleting a query deletes its runs and progress (cascade)', async () => {
    const store = new QueryStore(handle.db, 10);
    const id = randomUUID();
    await store.create(id, spec('doomed'), 'running');
    const runId = randomUUID();
    await store.startRun(id, runId, new Date());
    await store.addProgress(id, { runId, batchId: 0, timestamp: new Date().toISOString() });
    await store.endRun(runId, 'failed', { errorClass: 'X', message: 'boom', stack: null });
    expect(await store.runs(id)).toMatchObject([{ runId, status: 'failed', exception: { message: 'boom' } }]);
    expect(await store.delete(id)).toBe(true);
    expect(await store.runs(id)).toEqual([]);
    expect((await store.progress(id, { limit: 10 })).items).toEqual([]);
  });
});
