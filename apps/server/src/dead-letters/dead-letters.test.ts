import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { sql as sqlTag } from '@sluice/db';
import { testServerUrl } from '@sluice/db/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeadLetterContext,
  type DeadLetterInput,
  produceDeadLetters,
} from '../test-support/dead-letter-records.js';
import { connect, type Harness, startHarness, waitFor } from '../test-support/server-harness.js';
import { TcpProxy } from '../test-support/tcp-proxy.js';
import { REPLAY_OF_HEADER } from './contract.js';
import type { CountsResult, DeadLetterDetail, DeadLetterSummary, ReplayResult } from './schemas.js';

const QUERY_ID = randomUUID();
const RUN_ID = randomUUID();
const FAILED_AT = Date.parse('2026-03-01T10:00:00.000Z');

function context(over: Partial<DeadLetterContext> = {}): DeadLetterContext {
  return {
    topic: 'orders',
    partition: 0,
    offset: 0,
    queryId: QUERY_ID,
    queryName: 'orders-parser',
    runId: RUN_ID,
    batchId: 3,
    stage: 'parse',
    exceptionClass: 'MALFORMED_RECORD_IN_PARSING',
    message: "Malformed records are detected in record parsing: Unexpected token '}' at position 9",
    stack: 'SparkRuntimeException: MALFORMED_RECORD_IN_PARSING\n    at parse (json.ts:10:5)',
    failedAt: FAILED_AT,
    ...over,
  };
}

function malformed(i: number, over: Partial<DeadLetterContext> = {}): DeadLetterInput {
  return {
    key: `k${i}`,
    value: `{"id": ${i},}`,
    headers: { origin: `shop-${i}` },
    timestamp: FAILED_AT - 1000 + i,
    context: context({ offset: 100 + i, failedAt: FAILED_AT + i, ...over }),
  };
}

/** Runs SQL on the server's own database handle (straight to Postgres, never through a test proxy). */
async function sql<T = Record<string, unknown>>(h: Harness, text: string): Promise<T[]> {
  const result = await h.app.database.db.execute(sqlTag.raw(text));
  return result.rows as T[];
}

/** Reads `count` records of `topic` from the start, with their headers. */
async function consume(bootstrap: readonly string[], topic: string, count: number) {
  const kafka = new Kafka({ brokers: [...bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `test-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: {
    partition: number;
    offset: number;
    key: string | null;
    value: string | null;
    headers: Record<string, string>;
  }[] = [];
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      seen.push({
        partition,
        offset: Number(message.offset),
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers,
      });
    },
  });
  try {
    await waitFor(() => seen.length >= count);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('dead letters: archiver, REST and socket.io', () => {
  let h: Harness;
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    h.app.inject({ method, url, payload: payload as object | undefined });
  const list = async (query = '') => {
    const res = await api('GET', `/api/dead-letters${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: DeadLetterSummary[]; nextCursor: string | null }>();
  };
  const rowCount = async () =>
    Number((await sql<{ n: string }>(h, 'select count(*) as n from dead_letters'))[0]!.n);

  beforeAll(async () => {
    // A retention of ten years: the fixtures failed in March 2026, and the purge at start must keep them.
    h = await startHarness({
      deadLetters: { backoff: { initialMs: 50, maxMs: 500 }, retentionMs: 10 * 365 * 86_400_000 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('archives a dead-letter record within seconds, every column from its headers, and pushes it', async () => {
    const socket = await connect(h.url());
    const archived: { count: number; items: DeadLetterSummary[] }[] = [];
    const counts: { total: number; byQuery: Record<string, number> }[] = [];
    socket.on('archived', (e) => archived.push(e));
    socket.on('counts', (e) => counts.push(e));
    await socket.emitWithAck('subscribe', 'dead-letters');

    const binaryValue = Buffer.from([0x7b, 0xff, 0x00, 0x7d]);
    const [first] = await produceDeadLetters(h.app.kafka.bootstrap, 'orders-parser.dlq', [
      malformed(0),
      {
        ...malformed(1),
        key: null,
        value: binaryValue,
        // U+0000 is valid UTF-8 but not storable in Postgres text or jsonb: it must not block the archiver.
        headers: { raw: Buffer.from([0xfe]), nul: Buffer.from('a\u0000b') },
        context: { ...malformed(1).context, message: 'bad \u0000 byte' },
      },
    ]);
    const rows = await waitFor(async () => {
      const r = await sql(h, 'select * from dead_letters order by dlq_offset');
      return r.length === 2 ? r : undefined;
    }, 10_000);
    const row = rows[0]!;
    expect(row).toMatchObject({
      dlq_topic: 'orders-parser.dlq',
      dlq_partition: first!.partition,
      source_topic: 'orders',
      source_partition: 0,
      query_id: QUERY_ID,
      query_name: 'orders-parser',
      run_id: RUN_ID,
      stage: 'parse',
      error_class: 'MALFORMED_RECORD_IN_PARSING',
      error_message: context().message,
      stack: context().stack,
    });
    // bigint columns come back from pg as strings.
    expect(Number(row.dlq_offset)).toBe(first!.offset);
    expect(Number(row.source_offset)).toBe(100);
    expect(Number(row.batch_id)).toBe(3);
    expect((row.key as Buffer).toString()).toBe('k0');
    expect((row.value as Buffer).toString()).toBe('{"id": 0,}');
    expect(new Date(row.failed_at as string).toISOString()).toBe(new Date(FAILED_AT).toISOString());
    expect(new Date(row.record_timestamp as string).toISOString()).toBe(
      new Date(FAILED_AT - 1000).toISOString(),
    );
    expect(row.headers).toContainEqual({ key: 'origin', value: { encoding: 'utf8', data: 'shop-0' } });
    expect(row.headers).toContainEqual({
      key: '__sluice.errors.stage',
      value: { encoding: 'utf8', data: 'parse' },
    });
    expect((row.headers as unknown[]).length).toBe(13);
    const binary = rows[1]!;
    expect(binary.key).toBeNull();
    expect(Buffer.compare(binary.value as Buffer, binaryValue)).toBe(0);
    expect(binary.headers).toContainEqual({ key: 'raw', value: { encoding: 'base64', data: '/g==' } });
    expect(binary.headers).toContainEqual({ key: 'nul', value: { encoding: 'base64', data: 'YQBi' } });
    expect(binary.error_message).toBe('bad \uFFFD byte');

    await waitFor(() => archived.reduce((n, e) => n + e.count, 0) === 2 && counts.length > 0);
    expect(archived.flatMap((e) => e.items).map((i) => i.dlqOffset)).toEqual([0, 1]);
    expect(counts.at(-1)).toMatchObject({ total: 2, byQuery: { 'orders-parser': 2 } });
    socket.close();
  });

  it('picks up dead-letter topics created after it started, and only those the pattern matches', async () => {
    await produceDeadLetters(h.app.kafka.bootstrap, 'payments.dlq', [
      malformed(0, {
        queryName: 'payments',
        topic: 'payments',
        stage: 'eval',
        exceptionClass: 'DIVIDE_BY_ZERO',
      }),
    ]);
    await produceDeadLetters(h.app.kafka.bootstrap, 'payments.not-a-dead-letter-topic', [malformed(9)]);
    await waitFor(async () => (await list('?queryName=payments')).items.length === 1, 10_000);
    const topics = await sql<{ dlq_topic: string }>(h, 'select distinct dlq_topic from dead_letters');
    expect(topics.map((t) => t.dlq_topic).sort()).toEqual(['orders-parser.dlq', 'payments.dlq']);
  });

  it('lists with filters and cursor paging, shows one, and counts over time', async () => {
    await produceDeadLetters(
      h.app.kafka.bootstrap,
      'orders-parser.dlq',
      Array.from({ length: 5 }, (_, i) =>
        malformed(
          10 + i,
          i % 2 === 0 ? {} : { stage: 'eval', exceptionClass: 'CAST_INVALID_INPUT', message: 'cannot cast' },
        ),
      ),
    );
    await waitFor(async () => (await rowCount()) === 8, 10_000);

    const page1 = await list('?queryName=orders-parser&limit=3');
    expect(page1.items).toHaveLength(3);
    // Newest failure first.
    expect(page1.items.map((i) => i.sourceOffset)).toEqual([114, 113, 112]);
    const page2 = await list(`?queryName=orders-parser&limit=3&cursor=${page1.nextCursor}`);
    const page3 = await list(`?queryName=orders-parser&limit=3&cursor=${page2.nextCursor}`);
    expect([...page2.items, ...page3.items].map((i) => i.sourceOffset)).toEqual([111, 110, 101, 100]);
    expect(page3.nextCursor).toBeNull();

    expect((await list('?stage=eval')).items.map((i) => i.sourceOffset).sort()).toEqual([100, 111, 113]);
    expect((await list('?errorClass=CAST_INVALID_INPUT')).items).toHaveLength(2);
    expect((await list('?sourceTopic=payments')).items).toHaveLength(1);
    expect((await list('?q=CANNOT%20CAST')).items).toHaveLength(2); // message, case-insensitive
    expect((await list('?q=%22id%22%3A%2012')).items.map((i) => i.sourceOffset)).toEqual([112]); // payload bytes
    const from = new Date(FAILED_AT + 11).toISOString();
    const to = new Date(FAILED_AT + 13).toISOString();
    expect(
      (await list(`?from=${from}&to=${to}&queryName=orders-parser`)).items.map((i) => i.sourceOffset),
    ).toEqual([112, 111]);
    expect(page1.items[0]).toMatchObject({ valuePreview: '{"id": 14,}', valueSize: 11, replayCount: 0 });

    const detail = (await api('GET', `/api/dead-letters/${page1.items[0]!.id}`)).json<DeadLetterDetail>();
    expect(detail).toMatchObject({
      key: { encoding: 'utf8', data: 'k14' },
      value: { encoding: 'utf8', data: '{"id": 14,}' },
      stack: context().stack,
      replays: [],
    });
    expect(detail.headers).toContainEqual({ key: 'origin', value: { encoding: 'utf8', data: 'shop-14' } });

    const counts = (
      await api(
        'GET',
        `/api/dead-letters/counts?groupBy=stage&from=${new Date(FAILED_AT - 60_000).toISOString()}&to=${new Date(FAILED_AT + 60_000).toISOString()}&bucketSeconds=60`,
      )
    ).json<CountsResult>();
    expect(counts.totals).toEqual({ parse: 5, eval: 3 });
    expect(counts.total).toBe(8);
    expect(counts.buckets).toEqual([
      { time: new Date(FAILED_AT).toISOString(), counts: { parse: 5, eval: 3 } },
    ]);
    const byQuery = (await api('GET', '/api/dead-letters/counts?groupBy=queryName')).json<CountsResult>();
    expect(byQuery.totals).toEqual({ 'orders-parser': 7, payments: 1 });
  });

  it('answers 400 with the field for bad input, 404 for an unknown id', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', '/api/dead-letters?stage=compile', undefined, '/stage'],
      ['GET', '/api/dead-letters?limit=0', undefined, '/limit'],
      ['GET', '/api/dead-letters?from=yesterday', undefined, '/from'],
      ['GET', '/api/dead-letters?queryId=nope', undefined, '/queryId'],
      ['GET', '/api/dead-letters?colour=red', undefined, '/colour'],
      ['GET', '/api/dead-letters?cursor=xyz', undefined, '/cursor'],
      ['GET', '/api/dead-letters/not-a-uuid', undefined, '/id'],
      ['GET', '/api/dead-letters/counts?groupBy=colour', undefined, '/groupBy'],
      ['GET', '/api/dead-letters/counts?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', undefined, '/to'],
      ['POST', '/api/dead-letters/replay', {}, '/ids'],
      ['POST', '/api/dead-letters/replay', { ids: [randomUUID()], filter: {} }, '/filter'],
      ['POST', '/api/dead-letters/replay', { ids: ['x'] }, '/ids/0'],
      ['POST', '/api/dead-letters/replay', { ids: [randomUUID()], targetTopic: 'a b' }, '/targetTopic'],
      ['POST', '/api/dead-letters/replay', { filter: { stage: 'x' } }, '/filter/stage'],
      ['POST', '/api/dead-letters/purge', { ids: [] }, '/ids'],
      ['POST', '/api/dead-letters/purge', { filter: { extra: 1 } }, '/filter/extra'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await api(method as 'GET' | 'POST', url, body);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.json().field, url).toBe(field);
    }
    const missing = await api('GET', `/api/dead-letters/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    const unknownTopic = await api('POST', '/api/dead-letters/replay', {
      filter: { queryName: 'payments' },
      targetTopic: 'no-such-topic',
    });
    expect(unknownTopic.statusCode, unknownTopic.body).toBe(404);
    expect(unknownTopic.json().field).toBe('/targetTopic');
  });

  it('replays to the source topic and to another one, recording each replay', async () => {
    const admin = new Kafka({ brokers: [...h.app.kafka.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }, { topic: 'orders-fixed' }] });
    await admin.disconnect();
    const socket = await connect(h.url());
    const replayedEvents: { ids: string[] }[] = [];
    socket.on('replayed', (e) => replayedEvents.push(e));
    await socket.emitWithAck('subscribe', 'dead-letters');

    const parse = (await list('?stage=parse&queryName=orders-parser')).items;
    expect(parse).toHaveLength(5);
    const chosen = parse.slice(0, 2);
    const res = await api('POST', '/api/dead-letters/replay', { ids: chosen.map((c) => c.id) });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<ReplayResult>();
    expect(result).toMatchObject({
      requested: 2,
      replayed: 2,
      targets: [{ topic: 'orders', count: 2 }],
      failed: [],
    });

    const records = await consume(h.app.kafka.bootstrap, 'orders', 2);
    expect(records.map((r) => r.value).sort()).toEqual(chosen.map((c) => c.valuePreview).sort());
    for (const record of records) {
      const id = record.headers[REPLAY_OF_HEADER]!;
      const original = chosen.find((c) => c.id === id)!;
      expect(record.key).toBe(`k${original.sourceOffset! - 100}`);
      expect(record.headers.origin).toBe(`shop-${original.sourceOffset! - 100}`);
      expect(Object.keys(record.headers).some((k) => k.startsWith('__sluice.errors.'))).toBe(false);
      const detail = (await api('GET', `/api/dead-letters/${id}`)).json<DeadLetterDetail>();
      expect(detail.replayCount).toBe(1);
      expect(detail.replays).toEqual([
        expect.objectContaining({
          requestId: result.requestId,
          targetTopic: 'orders',
          targetPartition: record.partition,
          targetOffset: record.offset,
        }),
      ]);
    }
    await waitFor(() => replayedEvents.length === 1);
    expect(replayedEvents[0]!.ids.sort()).toEqual(chosen.map((c) => c.id).sort());

    // Every parse-stage dead letter, by filter, to another topic.
    const all = await api('POST', '/api/dead-letters/replay', {
      filter: { stage: 'parse', queryName: 'orders-parser' },
      targetTopic: 'orders-fixed',
    });
    expect(all.json<ReplayResult>()).toMatchObject({
      requested: 5,
      replayed: 5,
      targets: [{ topic: 'orders-fixed', count: 5 }],
    });
    const fixed = await consume(h.app.kafka.bootstrap, 'orders-fixed', 5);
    expect(fixed.map((r) => r.value).sort()).toEqual(parse.map((c) => c.valuePreview).sort());
    const replays = await sql<{ n: string }>(h, 'select count(*) as n from dead_letter_replays');
    expect(Number(replays[0]!.n)).toBe(7);
    expect((await list('?replayed=true')).items).toHaveLength(5);
    expect((await list('?replayed=false&queryName=orders-parser')).items).toHaveLength(2);
    socket.close();
  });

  it('archives records with missing or malformed context, and reports what a replay could not send', async () => {
    // A record without context headers: archived (stage unknown), but it names no topic to return to.
    const kafka = new Kafka({ brokers: [...h.app.kafka.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bare.dlq' }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    // Without a failure-time header the record's own timestamp stands in for it.
    await producer.send({
      topic: 'bare.dlq',
      messages: [
        { key: 'x', value: 'no context', timestamp: String(FAILED_AT) },
        // Malformed context: a partition beyond Postgres's integer, ids that are not UUIDs, a bad time.
        {
          key: 'y',
          value: 'odd context',
          timestamp: String(FAILED_AT),
          headers: {
            '__sluice.errors.topic': 'orders',
            '__sluice.errors.partition': '99999999999',
            '__sluice.errors.offset': 'seven',
            '__sluice.errors.query.id': 'not-a-uuid',
            '__sluice.errors.query.name': '',
            // Before year 1: a JS date, but out of Postgres's timestamptz range.
            '__sluice.errors.timestamp': '-8640000000000000',
          },
        },
      ],
    });
    await producer.disconnect();
    const bare = await waitFor(async () => (await list('?q=no%20context')).items[0], 10_000);
    expect(bare).toMatchObject({
      stage: 'unknown',
      errorClass: 'UNKNOWN',
      sourceTopic: null,
      queryName: null,
    });
    const missing = randomUUID();
    const res = await api('POST', '/api/dead-letters/replay', { ids: [bare.id, missing] });
    expect(res.json<ReplayResult>()).toMatchObject({
      requested: 2,
      replayed: 0,
      targets: [],
      failed: [
        { id: missing, message: 'no such dead letter' },
        { id: bare.id, message: 'the dead letter names no source topic: give targetTopic' },
      ],
    });
    expect(bare.failedAt).toBe(new Date(FAILED_AT).toISOString());
    const odd = await waitFor(async () => (await list('?q=odd%20context')).items[0], 10_000);
    expect(odd).toMatchObject({
      sourceTopic: 'orders',
      sourcePartition: null,
      sourceOffset: null,
      queryId: null,
      queryName: null,
      failedAt: new Date(FAILED_AT).toISOString(),
    });
    const oddDetail = (await api('GET', `/api/dead-letters/${odd.id}`)).json<DeadLetterDetail>();
    expect(oddDetail.headers).toContainEqual({
      key: '__sluice.errors.query.id',
      value: { encoding: 'utf8', data: 'not-a-uuid' },
    });
  });

  it('restarts without duplicates, even re-reading every dead-letter topic from the start', async () => {
    const before = await rowCount();
    await h.restart();
    await produceDeadLetters(h.app.kafka.bootstrap, 'orders-parser.dlq', [malformed(20)]);
    await waitFor(async () => (await rowCount()) === before + 1, 10_000);

    // Without its checkpoint the archiver reads every record again: the unique position keeps one row each.
    await h.app.deadLetters.archiver!.stop();
    await rm(h.app.deadLetters.archiver!.checkpointLocation, { recursive: true, force: true });
    h.app.deadLetters.archiver!.start();
    await produceDeadLetters(h.app.kafka.bootstrap, 'payments.dlq', [
      malformed(21, { queryName: 'payments' }),
    ]);
    await waitFor(async () => (await list('?queryName=payments')).items.length === 2, 10_000);
    expect(await rowCount()).toBe(before + 2);
    const duplicates = await sql(
      h,
      'select dlq_topic, dlq_partition, dlq_offset from dead_letters group by 1, 2, 3 having count(*) > 1',
    );
    expect(duplicates).toEqual([]);
  });

  it('purges by ids, by filter and by retention age', async () => {
    const socket = await connect(h.url());
    const purgedEvents: { count: number }[] = [];
    socket.on('purged', (e) => purgedEvents.push(e));
    await socket.emitWithAck('subscribe', 'dead-letters');
    const total = await rowCount();
    const [one] = (await list('?queryName=payments')).items;
    const byId = await api('POST', '/api/dead-letters/purge', { ids: [one!.id] });
    expect(byId.json()).toEqual({ purged: 1 });
    const byFilter = await api('POST', '/api/dead-letters/purge', { filter: { stage: 'eval' } });
    expect(byFilter.json().purged).toBeGreaterThan(0);
    expect((await list('?stage=eval')).items).toEqual([]);
    const left = await rowCount();
    expect(left).toBe(total - 1 - byFilter.json().purged);

    await produceDeadLetters(h.app.kafka.bootstrap, 'orders-parser.dlq', [
      malformed(30, { failedAt: Date.now() }),
    ]);
    await waitFor(async () => (await rowCount()) === left + 1, 10_000);
    // Everything but the fresh one failed in March 2026 (FAILED_AT); a one-hour retention keeps only it.
    const purged = await h.app.deadLetters.service.purgeOlderThan(3600_000);
    expect(purged).toBe(left);
    expect((await list()).items.map((i) => i.sourceOffset)).toEqual([130]);
    await waitFor(() => purgedEvents.length === 3);
    expect(purgedEvents.map((e) => e.count)).toEqual([1, byFilter.json().purged, left]);
    socket.close();
  });
});

describe('dead letters: Postgres unreachable for the archiver', () => {
  let h: Harness;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = new URL(testServerUrl);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    // The archiver's writes go through the proxy; everything else reaches Postgres directly.
    h = await startHarness({}, (databaseUrl) => {
      const viaProxy = new URL(databaseUrl);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      return {
        deadLetters: { archiverDatabaseUrl: viaProxy.toString(), backoff: { initialMs: 100, maxMs: 1000 } },
      };
    });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.stop();
  });

  it('retries with backoff while Postgres is down for a minute and archives everything once, when it is back', {
    timeout: 150_000,
  }, async () => {
    const bootstrap = h.app.kafka.bootstrap;
    await produceDeadLetters(bootstrap, 'orders-parser.dlq', [malformed(0), malformed(1)]);
    const count = async () =>
      Number((await sql<{ n: string }>(h, 'select count(*) as n from dead_letters'))[0]!.n);
    await waitFor(async () => (await count()) === 2, 10_000);

    await proxy.stop();
    const downAt = Date.now();
    const failuresBefore = h.app.deadLetters.archiver!.failures;
    // Dead letters keep arriving in Kafka while the archiver cannot write them.
    await produceDeadLetters(
      bootstrap,
      'orders-parser.dlq',
      Array.from({ length: 20 }, (_, i) => malformed(10 + i)),
    );
    await produceDeadLetters(bootstrap, 'payments.dlq', [malformed(50, { queryName: 'payments' })]);
    await waitFor(() => h.app.deadLetters.archiver!.failures >= failuresBefore + 3, 20_000);
    // The outage lasts a full minute (the scenario), well past the 10 s backoff cap.
    await new Promise((r) => setTimeout(r, Math.max(0, 60_000 - (Date.now() - downAt))));
    expect(await count()).toBe(2);

    await proxy.start();
    await waitFor(async () => (await count()) === 23, 30_000);
    const offsets = await sql<{ dlq_topic: string; dlq_offset: string }>(
      h,
      'select dlq_topic, dlq_offset from dead_letters order by dlq_topic, dlq_offset',
    );
    expect(offsets.map((o) => `${o.dlq_topic}@${o.dlq_offset}`)).toEqual([
      ...Array.from({ length: 22 }, (_, i) => `orders-parser.dlq@${i}`),
      'payments.dlq@0',
    ]);
  });

  it('lets a query keep running and dead-lettering while the archiver cannot reach Postgres', async () => {
    const kafka = new Kafka({ brokers: [...h.app.kafka.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'clicks' }], waitForLeaders: true });
    await admin.disconnect();
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/queries?start=true',
      payload: {
        name: 'clicks-parser',
        sources: {
          clicks: {
            format: 'kafka',
            options: {
              subscribe: 'clicks',
              startingOffsets: 'earliest',
              valueFormat: 'json',
              schema: 'n INT',
            },
          },
        },
        sql: 'SELECT n FROM clicks',
        sink: { format: 'memory', options: { onError: 'deadletter' } },
        outputMode: 'append',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const archivedOf = async () =>
      Number(
        (
          await sql<{ n: string }>(
            h,
            "select count(*) as n from dead_letters where query_name = 'clicks-parser'",
          )
        )[0]!.n,
      );

    await proxy.stop();
    const failuresBefore = h.app.deadLetters.archiver!.failures;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'clicks',
      acks: -1,
      messages: Array.from({ length: 20 }, (_, i) => ({
        value: i % 4 === 0 ? `{"n": ${i},` : `{"n": ${i}}`,
      })),
    });
    await producer.disconnect();
    // The query processes the 15 good records and dead-letters the 5 others while the archiver waits.
    await waitFor(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/tables/clicks-parser/rows?limit=1' });
      return res.statusCode === 200 && res.json<{ total: number }>().total === 15;
    }, 20_000);
    await waitFor(() => h.app.deadLetters.archiver!.failures >= failuresBefore + 2, 20_000);
    expect(await archivedOf()).toBe(0);
    const view = (await h.app.inject({ method: 'GET', url: `/api/queries/${created.json().id}` })).json();
    expect(view.status).toBe('running');

    await proxy.start();
    await waitFor(async () => (await archivedOf()) === 5, 20_000);
    const offsets = await sql<{ o: string }>(
      h,
      "select source_offset as o from dead_letters where query_name = 'clicks-parser' order by 1",
    );
    expect(offsets.map((r) => Number(r.o))).toEqual([0, 4, 8, 12, 16]);
  });
});

describe('dead letters: auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apiToken: 'secret', deadLetters: { archive: false } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('requires the bearer token on every dead-letter route, all of them in the OpenAPI document', async () => {
    for (const [method, url] of [
      ['GET', '/api/dead-letters'],
      ['GET', '/api/dead-letters/counts'],
      ['GET', `/api/dead-letters/${randomUUID()}`],
      ['POST', '/api/dead-letters/replay'],
      ['POST', '/api/dead-letters/purge'],
    ] as const) {
      expect(
        (await h.app.inject({ method, url, payload: method === 'POST' ? {} : undefined })).statusCode,
      ).toBe(401);
    }
    const openapi = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(
      Object.keys(openapi.paths)
        .filter((p) => p.startsWith('/api/dead-letters'))
        .sort(),
    ).toEqual([
      '/api/dead-letters',
      '/api/dead-letters/counts',
      '/api/dead-letters/purge',
      '/api/dead-letters/replay',
      '/api/dead-letters/{id}',
    ]);
    const ok = await h.app.inject({
      method: 'GET',
      url: '/api/dead-letters',
      headers: { authorization: 'Bearer secret' },
    });
    expect(ok.statusCode).toBe(200);
  });
});
