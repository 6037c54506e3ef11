import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@sluice/db/testing';
import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, buildApp } from './app.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sluice-server-'));
}

function baseConfig(dataDir: string, webRoot: string): AppConfig {
  return {
    dataDir,
    webRoot,
    databaseUrl: undefined,
    kafkaBrokers: undefined,
    embeddedBrokerPort: 0,
    apiToken: undefined,
    logLevel: 'silent',
  };
}

function listenUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server is not listening');
  return `http://127.0.0.1:${address.port}`;
}

async function connect(url: string, auth?: { token: string }): Promise<Socket> {
  const socket = connectSocket(url, { transports: ['websocket'], reconnection: false, auth });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('server with embedded defaults (PGlite + embedded broker)', () => {
  let app: FastifyInstance;
  let dataDir: string;
  let webRoot: string;

  beforeAll(async () => {
    dataDir = await tempDir();
    webRoot = await tempDir();
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Sluice</title><div id="root"></div>');
    app = await buildApp(baseConfig(dataDir, webRoot));
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(webRoot, { recursive: true, force: true });
  });

  it('answers /healthz and /readyz', async () => {
    const health = await app.inject('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: { ok: true } } });
  });

  it('reports its version, database and a reachable embedded Kafka broker', async () => {
    const response = await app.inject('/api/version');
    expect(response.statusCode).toBe(200);
    const version = response.json();
    expect(version).toMatchObject({ name: 'sluice', database: 'pglite', kafka: { mode: 'embedded' } });
    expect(version.kafka.bootstrap).toHaveLength(1);
    expect(version.kafka.bootstrap[0]).toMatch(/^127\.0\.0\.1:\d+$/);

    const admin = new Kafka({ brokers: version.kafka.bootstrap, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'server-smoke', numPartitions: 2 }] });
    expect(await admin.listTopics()).toContain('server-smoke');
    await admin.disconnect();
  });

  it('documents the API at /docs', async () => {
    const ui = await app.inject('/docs');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/api/version']));
  });

  it('exposes Prometheus metrics', async () => {
    await app.inject('/healthz');
    const metrics = await app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('sluice_http_requests_total{method="GET",route="/healthz",status="200"}');
    expect(metrics.body).toContain('sluice_process_cpu_user_seconds_total');
  });

  it('serves the dashboard, falls back to index.html for client routes, and 404s unknown API routes', async () => {
    const root = await app.inject('/');
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<div id="root">');
    const clientRoute = await app.inject('/dead-letters');
    expect(clientRoute.statusCode).toBe(200);
    expect(clientRoute.body).toContain('<div id="root">');
    const unknownApi = await app.inject('/api/nope');
    expect(unknownApi.statusCode).toBe(404);
    expect(unknownApi.json()).toMatchObject({ error: 'Not Found' });
  });

  it('accepts socket.io clients into known rooms and pushes events to them', async () => {
    const socket = await connect(listenUrl(app));
    try {
      await expect(socket.emitWithAck('subscribe', 'queries')).resolves.toEqual({ ok: true });
      await expect(socket.emitWithAck('subscribe', 'bogus')).resolves.toEqual({
        ok: false,
        error: "unknown room 'bogus'",
      });
      const received = new Promise((resolve) => socket.once('status', resolve));
      app.io.to('queries').emit('status', { id: 'x', status: 'running' });
      await expect(received).resolves.toEqual({ id: 'x', status: 'running' });
    } finally {
      socket.disconnect();
    }
  });
});

describe('server shutdown', () => {
  it('closes promptly while a socket.io client is connected, disconnecting it', async () => {
    const dataDir = await tempDir();
    const app = await buildApp({ ...baseConfig(dataDir, dataDir), kafkaBrokers: ['127.0.0.1:9'] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const socket = await connect(listenUrl(app));
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    // Before the fix this never resolved: the HTTP server waited forever for the open websocket.
    await app.close();
    await expect(disconnected).resolves.toBe('io server disconnect');
    socket.close();
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe('server on a real Postgres', () => {
  let app: FastifyInstance;
  let dataDir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    dataDir = await tempDir();
    database = await createTestDatabase('sluice_server');
    app = await buildApp({
      ...baseConfig(dataDir, dataDir),
      databaseUrl: database.url,
      // External mode: nothing in these tests talks to Kafka, so no broker is started.
      kafkaBrokers: ['127.0.0.1:9'],
    });
  });

  afterAll(async () => {
    await app?.close().catch(() => {});
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is ready while Postgres answers and unavailable once the database is gone', async () => {
    const version = (await app.inject('/api/version')).json();
    expect(version).toMatchObject({
      database: 'pg',
      kafka: { mode: 'external', bootstrap: ['127.0.0.1:9'] },
    });
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    await database.drop();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { database: { ok: false } } });
  });
});

describe('server with an API token', () => {
  let app: FastifyInstance;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDir();
    app = await buildApp({
      ...baseConfig(dataDir, dataDir),
      kafkaBrokers: ['127.0.0.1:9'],
      apiToken: 's3cret',
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('requires the bearer token on /api but keeps health public', async () => {
    expect((await app.inject('/api/version')).statusCode).toBe(401);
    const authorized = await app.inject({ url: '/api/version', headers: { authorization: 'Bearer s3cret' } });
    expect(authorized.statusCode).toBe(200);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('rejects socket.io clients without the token', async () => {
    await expect(connect(listenUrl(app))).rejects.toThrow(/unauthorized/);
    const socket = await connect(listenUrl(app), { token: 's3cret' });
    socket.disconnect();
  });
});
