import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@sluice/db/testing';
import type { FastifyInstance } from 'fastify';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { type AppConfig, buildApp } from '../app.js';

/** A server on a real Postgres database and the embedded broker (TCP, port 0), in its own temp dir. */
export interface Harness {
  app: FastifyInstance;
  dataDir: string;
  database: TestDatabase;
  /** Closes the app and builds a new one on the same data dir and database (a server restart). */
  restart(): Promise<FastifyInstance>;
  url(): string;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<AppConfig> = {},
  /** Overrides that need the test database's URL. */
  overridesFor?: (databaseUrl: string) => Partial<AppConfig>,
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-server-q-'));
  const database = await createTestDatabase('sluice_server_q');
  const config = (): AppConfig => ({
    dataDir,
    webRoot: dataDir,
    databaseUrl: database.url,
    kafkaBrokers: undefined,
    embeddedBrokerPort: 0,
    apiToken: undefined,
    logLevel: process.env.SLUICE_TEST_LOG ?? 'silent',
    ...overrides,
    ...overridesFor?.(database.url),
  });
  const open = async () => {
    const app = await buildApp(config());
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app;
  };
  const harness: Harness = {
    app: await open(),
    dataDir,
    database,
    async restart() {
      await harness.app.close();
      harness.app = await open();
      return harness.app;
    },
    url() {
      const address = harness.app.server.address();
      if (!address || typeof address === 'string') throw new Error('server is not listening');
      return `http://127.0.0.1:${address.port}`;
    },
    async close() {
      await harness.app.close().catch(() => {});
      await database.drop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export async function connect(url: string, auth?: { token: string }): Promise<Socket> {
  const socket = connectSocket(url, { transports: ['websocket'], reconnection: false, auth });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Polls `check` until it returns a value other than undefined/false (generous timeout, no fixed sleeps in assertions). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
