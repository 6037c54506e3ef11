import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness, startHarness, waitFor } from '../test-support/server-harness.js';
import type { MessageView, TopicDetail, TopicSummary } from './schemas.js';

/** The topic browser against the embedded broker over TCP. */
describe('topics', () => {
  let h: Harness;
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    h.app.inject({ method, url, payload: payload as object | undefined });
  const produce = async (topic: string, body: unknown) => {
    const res = await api('POST', `/api/topics/${topic}/messages`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ topic: string; partition: number; offset: number }>();
  };
  const browse = async (topic: string, query = '') => {
    const res = await api('GET', `/api/topics/${topic}/messages${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ messages: MessageView[]; ranges: unknown[] }>().messages;
  };
  /** Consumer groups left on the broker (browsing and tails must leave none). */
  const groups = async () => {
    const admin = new Kafka({ brokers: [...h.app.kafka.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      return (await admin.listGroups()).groups.map((g) => g.groupId);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    h = await startHarness();
    const created = await api('POST', '/api/topics', {
      name: 'orders',
      partitions: 2,
      configs: { 'retention.ms': '86400000' },
    });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a topic and describes it', async () => {
    const detail = (await api('GET', '/api/topics/orders')).json<TopicDetail>();
    expect(detail).toMatchObject({ name: 'orders', internal: false });
    expect(detail.partitions.map((p) => p.partition)).toEqual([0, 1]);
    expect(detail.partitions[0]).toMatchObject({ earliest: 0, latest: 0 });
    expect(detail.configs).toContainEqual(
      expect.objectContaining({ name: 'retention.ms', value: '86400000' }),
    );
    const again = await api('POST', '/api/topics', { name: 'orders', partitions: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ field: '/name', errorClass: 'TOPIC_ALREADY_EXISTS' });
  });

  it('produces records and browses them by offset, by timestamp and the latest N', async () => {
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x80]);
    const first = await produce('orders', {
      key: 'k1',
      value: '{"id":1}',
      headers: { source: 'test', raw: { encoding: 'base64', data: binary.toString('base64') } },
      partition: 0,
      timestamp: '2024-01-01T00:00:00.000Z',
    });
    expect(first).toEqual({ topic: 'orders', partition: 0, offset: 0 });
    await produce('orders', { value: 'plain text', partition: 0, timestamp: '2024-02-01T00:00:00.000Z' });
    await produce('orders', {
      key: null,
      value: { encoding: 'base64', data: binary.toString('base64') },
      partition: 1,
      timestamp: '2024-03-01T00:00:00.000Z',
    });
    await produce('orders', { value: 'fourth', partition: 0, timestamp: '2024-04-01T00:00:00.000Z' });

    const all = await browse('orders', '?offset=0');
    expect(all.map((m) => [m.partition, m.offset])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [0, 2],
    ]);
    expect(all[0]).toEqual({
      topic: 'orders',
      partition: 0,
      offset: 0,
      timestamp: '2024-01-01T00:00:00.000Z',
      key: { encoding: 'utf8', data: 'k1' },
      value: { encoding: 'utf8', data: '{"id":1}' },
      headers: [
        { key: 'source', value: { encoding: 'utf8', data: 'test' } },
        { key: 'raw', value: { encoding: 'base64', data: binary.toString('base64') } },
      ],
    });
    expect(all[2]).toMatchObject({
      key: null,
      value: { encoding: 'base64', data: binary.toString('base64') },
    });

    const fromOffset = await browse('orders', '?partition=0&offset=1&limit=1');
    expect(fromOffset.map((m) => m.value?.data)).toEqual(['plain text']);

    const fromTime = await browse('orders', `?timestamp=${encodeURIComponent('2024-01-15T00:00:00Z')}`);
    expect(fromTime.map((m) => m.timestamp)).toEqual([
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
    ]);

    const latest = await browse('orders', '?limit=2');
    expect(latest.map((m) => m.value?.data)).toEqual([binary.toString('base64'), 'fourth']);
    const latestOfOne = await browse('orders', '?partition=0&limit=2');
    expect(latestOfOne.map((m) => m.offset)).toEqual([1, 2]);

    const list = (await api('GET', '/api/topics')).json<TopicSummary[]>();
    expect(list).toContainEqual({
      name: 'orders',
      internal: false,
      partitions: 2,
      messageCount: 4,
      offsets: [
        { partition: 0, earliest: 0, latest: 3 },
        { partition: 1, earliest: 0, latest: 1 },
      ],
    });
    // Browsing formed no consumer group (it reads as the Kafka source does).
    expect(await groups()).toEqual([]);
  });

  it('follows new records of a topic on topic:<name>', async () => {
    await api('POST', '/api/topics', { name: 'tail-me', partitions: 2 });
    await produce('tail-me', { value: 'before' });
    const socket = await connect(h.url());
    const received: MessageView[] = [];
    socket.on('message', (m: MessageView) => received.push(m));
    expect(await socket.emitWithAck('subscribe', 'topic:tail-me')).toEqual({ ok: true });
    await produce('tail-me', { key: 'a', value: 'one', partition: 0 });
    await produce('tail-me', { key: 'b', value: 'two', partition: 1 });
    await waitFor(() => received.length >= 2);
    expect(received.map((m) => m.value?.data).sort()).toEqual(['one', 'two']);
    expect(received.every((m) => m.topic === 'tail-me')).toBe(true);
    // The tail formed no consumer group.
    expect(await groups()).toEqual([]);

    // The last subscriber leaving stops the tail.
    expect(h.app.topics.tails.following).toContain('tail-me');
    socket.emit('unsubscribe', 'topic:tail-me');
    await waitFor(() => !h.app.topics.tails.following.includes('tail-me'));

    // So does a subscriber's disconnect.
    expect(await socket.emitWithAck('subscribe', 'topic:tail-me')).toEqual({ ok: true });
    expect(h.app.topics.tails.following).toContain('tail-me');
    socket.disconnect();
    await waitFor(() => !h.app.topics.tails.following.includes('tail-me'));

    const unknown = await connect(h.url());
    expect(await unknown.emitWithAck('subscribe', 'topic:no-such-topic')).toMatchObject({ ok: false });
    expect(await unknown.emitWithAck('subscribe', 'topic:bad name!')).toMatchObject({ ok: false });
    unknown.disconnect();
  });

  it('a tail follows partitions added to its topic', async () => {
    await api('POST', '/api/topics', { name: 'grows', partitions: 1 });
    const socket = await connect(h.url());
    const received: MessageView[] = [];
    socket.on('message', (m: MessageView) => received.push(m));
    expect(await socket.emitWithAck('subscribe', 'topic:grows')).toEqual({ ok: true });
    const admin = new Kafka({ brokers: [...h.app.kafka.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createPartitions({ topicPartitions: [{ topic: 'grows', count: 2 }] });
    } finally {
      await admin.disconnect();
    }
    // What the tail's timer does every 10 s.
    await h.app.topics.tails.refreshPartitions('grows');
    await produce('grows', { value: 'in the new partition', partition: 1 });
    await produce('grows', { value: 'in the old one', partition: 0 });
    await waitFor(() => received.length >= 2);
    expect(received.map((m) => [m.partition, m.value?.data]).sort()).toEqual([
      [0, 'in the old one'],
      [1, 'in the new partition'],
    ]);
    socket.disconnect();
  });

  it('deletes a topic', async () => {
    await api('POST', '/api/topics', { name: 'doomed', partitions: 1 });
    expect((await api('DELETE', '/api/topics/doomed')).statusCode).toBe(204);
    await waitFor(async () => (await api('GET', '/api/topics/doomed')).statusCode === 404);
    expect((await api('DELETE', '/api/topics/doomed')).statusCode).toBe(404);
  });

  it('answers bad input with 400 and the field, unknown topics with 404', async () => {
    const bad: [string, string, unknown, number, string | undefined][] = [
      ['POST', '/api/topics', {}, 400, '/name'],
      ['POST', '/api/topics', { name: 'bad name!' }, 400, '/name'],
      ['POST', '/api/topics', { name: 'x', partitions: 0 }, 400, '/partitions'],
      ['POST', '/api/topics', { name: 'x', extra: 1 }, 400, '/extra'],
      ['POST', '/api/topics', { name: 'badcfg', configs: { 'cleanup.policy': 'nonsense' } }, 400, '/configs'],
      ['GET', '/api/topics/no-such-topic', undefined, 404, undefined],
      ['GET', '/api/topics/bad%20name', undefined, 400, '/topic'],
      ['GET', '/api/topics/no-such-topic/messages', undefined, 404, undefined],
      ['GET', '/api/topics/orders/messages?offset=-1', undefined, 400, '/offset'],
      ['GET', '/api/topics/orders/messages?partition=0&offset=99', undefined, 400, '/offset'],
      ['GET', '/api/topics/orders/messages?partition=7', undefined, 400, '/partition'],
      ['GET', '/api/topics/orders/messages?limit=0', undefined, 400, '/limit'],
      ['GET', '/api/topics/orders/messages?timestamp=yesterday', undefined, 400, '/timestamp'],
      [
        'GET',
        '/api/topics/orders/messages?offset=0&timestamp=2024-01-01T00:00:00Z',
        undefined,
        400,
        '/timestamp',
      ],
      ['POST', '/api/topics/orders/messages', {}, 400, '/value'],
      ['POST', '/api/topics/orders/messages', { value: 'x', partition: 9 }, 400, '/partition'],
      ['POST', '/api/topics/orders/messages', { value: { encoding: 'base64', data: '!!' } }, 400, '/value'],
      ['POST', '/api/topics/orders/messages', { value: 'x', timestamp: 'soon' }, 400, '/timestamp'],
      ['POST', '/api/topics/no-such-topic/messages', { value: 'x' }, 404, undefined],
      ['DELETE', '/api/topics/no-such-topic', undefined, 404, undefined],
    ];
    for (const [method, url, payload, status, field] of bad) {
      const res = await api(method as 'GET', url, payload);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}: ${res.body}`).toBe(status);
      if (field) expect(res.json().field, `${method} ${url}`).toBe(field);
    }
    // None of that created a topic.
    const names = (await api('GET', '/api/topics')).json<TopicSummary[]>().map((t) => t.name);
    expect(names).not.toContain('no-such-topic');
    expect(names).not.toContain('badcfg');
  });

  it('lists the topic routes in the OpenAPI document', async () => {
    const doc = (await api('GET', '/docs/json')).json();
    for (const path of ['/api/topics', '/api/topics/{topic}', '/api/topics/{topic}/messages', '/api/sql']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
