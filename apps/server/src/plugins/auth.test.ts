import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness, startHarness } from '../test-support/server-harness.js';
import { bearerMatches, normalisedPath } from './auth.js';

describe('normalisedPath', () => {
  it('decodes, merges slashes and resolves dot segments', () => {
    expect(normalisedPath('//api/queries')).toBe('/api/queries');
    expect(normalisedPath('/api/../api/queries')).toBe('/api/queries');
    expect(normalisedPath('/x/../%61pi/queries?')).toBe('/api/queries');
    expect(normalisedPath('/%2561pi/queries')).toBe('/api/queries');
    expect(normalisedPath('/.\\api/./queries#x')).toBe('/api/queries');
  });
});

describe('bearerMatches', () => {
  it('takes the Bearer scheme in any case and only the exact token', () => {
    for (const header of ['Bearer t0ken', 'bearer t0ken', 'BEARER t0ken', 'Bearer  t0ken ']) {
      expect(bearerMatches(header, 't0ken'), header).toBe(true);
    }
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer t0ke',
      'Bearer t0kenn',
      'Basic t0ken',
      't0ken',
      'Bearer t0ken x',
    ]) {
      expect(bearerMatches(header, 't0ken'), String(header)).toBe(false);
    }
  });
});

describe('auth with an API token', () => {
  let h: Harness;
  const auth = { authorization: 'Bearer t0ken' };
  beforeAll(async () => {
    h = await startHarness({ apiToken: 't0ken', kafkaBrokers: ['127.0.0.1:9'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('requires the token on every spelling of an /api route', async () => {
    for (const url of [
      '/api/queries',
      '/api/queries?',
      '//api/queries',
      '/api//queries',
      '/api/../api/queries',
      '/%61pi/queries',
      '/%2561pi/queries',
      '/API/queries',
      '/api/./queries',
      '/api/functions',
      '/api/tables',
      '/api/topics',
      '/api/topics/orders',
      '/api/topics/orders/messages',
      '/api/nope',
    ]) {
      const response = await h.app.inject({ url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json(), url).toMatchObject({ error: 'Unauthorized' });
    }
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const response = await h.app.inject({
        method,
        url: '/api/queries/00000000-0000-0000-0000-000000000000',
      });
      expect(response.statusCode, method).toBe(401);
    }
    for (const [method, url] of [
      ['POST', '/api/sql'],
      ['POST', '/api/topics'],
      ['DELETE', '/api/topics/orders'],
      ['POST', '/api/topics/orders/messages'],
    ] as const) {
      const response = await h.app.inject({ method, url, payload: {} });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('answers with the token', async () => {
    expect((await h.app.inject({ url: '/api/queries', headers: auth })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/functions', headers: auth })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const sql = await h.app.inject({
      method: 'POST',
      url: '/api/sql',
      headers: auth,
      payload: { sql: 'SELECT 1 AS one' },
    });
    expect(sql.json().rows).toEqual([{ one: 1 }]);
    // The cluster (127.0.0.1:9) is unreachable: a 502 naming Kafka, not a 500.
    const topics = await h.app.inject({ url: '/api/topics', headers: auth });
    expect(topics.statusCode).toBe(502);
    expect(topics.json().message).toMatch(/^Kafka: /);
  });

  it('refuses socket.io clients without the token and accepts them with it', async () => {
    await expect(connect(h.url())).rejects.toThrow(/unauthorized/);
    await expect(connect(h.url(), { token: 'wrong' })).rejects.toThrow(/unauthorized/);
    const socket = await connect(h.url(), { token: 't0ken' });
    await expect(socket.emitWithAck('subscribe', 'queries')).resolves.toEqual({ ok: true });
    socket.disconnect();
  });
});

describe('auth without a token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ kafkaBrokers: ['127.0.0.1:9'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('leaves REST and socket.io open', async () => {
    expect((await h.app.inject({ url: '/api/queries' })).statusCode).toBe(200);
    const socket = await connect(h.url());
    await expect(socket.emitWithAck('subscribe', 'queries')).resolves.toEqual({ ok: true });
    socket.disconnect();
  });
});
