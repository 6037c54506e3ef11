import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './client.js';
import { Queries, QueryProgress } from './schema.js';
import { createTestDatabase, type TestDatabase, testServerUrl } from './testing.js';

// The same migration set and the same queries must work on both drivers.
async function exerciseSchema(handle: DatabaseHandle) {
  await handle.ping();
  const id = crypto.randomUUID();
  await handle.db.insert(Queries).values({ id, name: `q-${id}`, spec: { sql: 'SELECT 1' } });
  await handle.db.insert(QueryProgress).values({
    queryId: id,
    runId: crypto.randomUUID(),
    batchId: 0,
    timestamp: new Date('2026-01-01T00:00:00Z'),
    progress: { batchId: 0, numInputRows: 3 },
  });
  const [row] = await handle.db.select().from(Queries).where(eq(Queries.id, id));
  expect(row?.spec).toEqual({ sql: 'SELECT 1' });
  expect(row?.desiredState).toBe('stopped');
  const progress = await handle.db.select().from(QueryProgress).where(eq(QueryProgress.queryId, id));
  expect(progress.map((p) => p.progress)).toEqual([{ batchId: 0, numInputRows: 3 }]);
  // Cascading delete is part of the schema contract: deleting a query drops its history.
  await handle.db.delete(Queries).where(eq(Queries.id, id));
  expect(await handle.db.select().from(QueryProgress).where(eq(QueryProgress.queryId, id))).toEqual([]);
}

describe('openDatabase with PGlite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-db-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates and serves the schema, and keeps data across reopen', async () => {
    const first = await openDatabase({ dataDir: dir });
    expect(first.kind).toBe('pglite');
    await exerciseSchema(first);
    await first.db.insert(Queries).values({ id: crypto.randomUUID(), name: 'kept', spec: {} });
    await first.close();
    const second = await openDatabase({ dataDir: dir });
    const kept = await second.db.select().from(Queries).where(eq(Queries.name, 'kept'));
    expect(kept).toHaveLength(1);
    await second.close();
  });
});

describe('openDatabase with pg (real Postgres)', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('migrates and serves the schema; re-running migrations is a no-op', async () => {
    const handle = await openDatabase({ url: testDb.url });
    expect(handle.kind).toBe('pg');
    await exerciseSchema(handle);
    await handle.close();
    const again = await openDatabase({ url: testDb.url });
    await again.ping();
    await again.close();
  });

  it('fails with a clear error when the server is unreachable', async () => {
    await expect(openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toThrow(
      /cannot reach Postgres at postgres:\/\/postgres@127.0.0.1:1\/none: .*ECONNREFUSED/,
    );
  });
});

describe('openDatabase with pg when the server drops its connections', () => {
  it('survives idle connections being terminated and reconnects on the next query', async () => {
    const testDb = await createTestDatabase();
    const errors: Error[] = [];
    const handle = await openDatabase({ url: testDb.url, onConnectionError: (error) => errors.push(error) });
    try {
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: testServerUrl });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        testDb.name,
      ]);
      await admin.end();
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      await handle.ping();
    } finally {
      await handle.close();
      await testDb.drop();
    }
  });
});
