import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness, startHarness, waitFor } from '../test-support/server-harness.js';
import type { QuerySpec, QueryView } from './schemas.js';

interface ProgressEvent {
  queryId: string;
  progress: { batchId: number; numInputRows: number };
}

describe('queries over Kafka (embedded broker over TCP, real Postgres)', () => {
  let h: Harness;
  let producer: Producer;

  const bootstrap = () => (h.app.kafka.bootstrap as string[]).slice();
  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    h.app.inject({ method, url, payload: payload as object | undefined });
  const produce = async (topic: string, values: string[]) => {
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
  };
  const create = async (spec: QuerySpec): Promise<QueryView> => {
    const response = await api('POST', '/api/queries?start=true', spec);
    expect(response.statusCode, response.body).toBe(201);
    const view = response.json<QueryView>();
    expect(view.exception).toBeNull();
    expect(view.status).toBe('running');
    return view;
  };
  const tableRows = async (name: string) =>
    (await api('GET', `/api/tables/${name}/rows?limit=1000`)).json<{ rows: Record<string, unknown>[] }>()
      .rows;

  async function connectProducer() {
    const kafka = new Kafka({ brokers: bootstrap(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: ['lines', 'clicks', 'progress-in', 'resume-in', 'resume-out'].map((topic) => ({
        topic,
        numPartitions: 1,
      })),
    });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
  }

  beforeAll(async () => {
    h = await startHarness();
    await connectProducer();
  });
  afterAll(async () => {
    await producer?.disconnect().catch(() => {});
    await h?.close();
  });

  it('counts words from a Kafka topic into a memory table', async () => {
    await create({
      name: 'kafka_words',
      sources: { lines: { format: 'kafka', options: { subscribe: 'lines', startingOffsets: 'earliest' } } },
      sql: "SELECT word, count(*) AS n FROM (SELECT explode(split(CAST(value AS STRING), ' ')) AS word FROM lines) GROUP BY word",
      sink: { format: 'memory' },
      outputMode: 'complete',
    });
    await produce('lines', ['to be or', 'not to be']);
    await produce('lines', ['be quick']);
    const rows = await waitFor(async () => {
      const r = await tableRows('kafka_words');
      return r.find((row) => row.word === 'quick') ? r : undefined;
    });
    expect(Object.fromEntries(rows.map((r) => [r.word, r.n]))).toEqual({
      to: 2,
      be: 3,
      or: 1,
      not: 1,
      quick: 1,
    });
  });

  it("parses JSON values with the source's schema and keeps the unused Kafka columns", async () => {
    await create({
      name: 'kafka_clicks',
      sources: {
        clicks: {
          format: 'kafka',
          options: { subscribe: 'clicks', startingOffsets: 'earliest' },
          valueFormat: 'json',
          schema: 'user STRING, amount DOUBLE',
        },
      },
      sql: 'SELECT user, sum(amount) AS total, max(topic) AS topic FROM clicks GROUP BY user',
      sink: { format: 'memory' },
      outputMode: 'update',
    });
    await produce('clicks', [
      JSON.stringify({ user: 'ann', amount: 2.5 }),
      JSON.stringify({ user: 'bob', amount: 1 }),
      JSON.stringify({ user: 'ann', amount: 4 }),
    ]);
    const rows = await waitFor(async () => {
      const r = await tableRows('kafka_clicks');
      return r.length >= 2 ? r : undefined;
    });
    // Update mode appends each batch's changed groups; the latest row per user is its total.
    const latest = new Map(rows.map((r) => [r.user, r]));
    expect(latest.get('ann')).toEqual({ user: 'ann', total: 6.5, topic: 'clicks' });
    expect(latest.get('bob')).toEqual({ user: 'bob', total: 1, topic: 'clicks' });
  });

  it('pushes progress for every batch over socket.io and replays the missed ones with sinceBatchId', async () => {
    const view = await create({
      name: 'kafka_progress',
      sources: {
        src: { format: 'kafka', options: { subscribe: 'progress-in', startingOffsets: 'earliest' } },
      },
      sql: 'SELECT CAST(value AS STRING) AS v FROM src',
      sink: { format: 'memory' },
      outputMode: 'append',
    });
    const room = `query:${view.id}`;
    const socket = await connect(h.url());
    const live: number[] = [];
    socket.on('progress', (event: ProgressEvent) => {
      expect(event.queryId).toBe(view.id);
      live.push(event.progress.batchId);
    });
    await expect(socket.emitWithAck('subscribe', room)).resolves.toEqual({ ok: true });
    const rowsIn = async (n: number) =>
      waitFor(async () => ((await tableRows('kafka_progress')).length >= n ? true : undefined));
    for (let i = 0; i < 3; i++) {
      await produce('progress-in', [`a${i}`]);
      await rowsIn(i + 1);
    }
    const history = async () =>
      (await api('GET', `/api/queries/${view.id}/progress?limit=1000`))
        .json<{ items: { batchId: number }[] }>()
        .items.map((p) => p.batchId);
    // Every batch in Postgres reached the socket, in order, batch ids contiguous.
    await waitFor(async () => {
      const all = await history();
      return all.length >= 3 && live.length === all.length ? true : undefined;
    });
    expect(live).toEqual(await history());
    expect(live).toEqual(live.map((_, i) => i));
    socket.disconnect();

    const lastSeen = live[live.length - 1]!;
    for (let i = 3; i < 6; i++) {
      await produce('progress-in', [`a${i}`]);
      await rowsIn(i + 1);
    }
    const missed = (await history()).filter((b) => b > lastSeen);
    expect(missed.length).toBeGreaterThanOrEqual(1);

    const again = await connect(h.url());
    const replayed: number[] = [];
    again.on('progress', (event: ProgressEvent) => replayed.push(event.progress.batchId));
    await expect(again.emitWithAck('subscribe', { room, sinceBatchId: lastSeen })).resolves.toEqual({
      ok: true,
    });
    expect(replayed).toEqual(missed);
    // Then live ones follow, without a gap.
    await produce('progress-in', ['a6']);
    await waitFor(() => (replayed.length > missed.length ? true : undefined));
    expect(replayed).toEqual(replayed.map((_, i) => lastSeen + 1 + i));
    again.disconnect();
  });

  it('resumes a running query from its checkpoint after a server restart, without loss or duplicates', async () => {
    const before = Array.from({ length: 5 }, (_, i) => `before-${i}`);
    const after = Array.from({ length: 7 }, (_, i) => `after-${i}`);
    const view = await create({
      name: 'kafka_resume',
      sources: { src: { format: 'kafka', options: { subscribe: 'resume-in', startingOffsets: 'earliest' } } },
      sql: 'SELECT CAST(value AS STRING) AS value FROM src',
      sink: { format: 'kafka', options: { topic: 'resume-out' } },
      outputMode: 'append',
    });
    const outputCount = async () => {
      const admin = new Kafka({ brokers: bootstrap(), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets('resume-out');
        return offsets.reduce((sum, o) => sum + Number(o.high), 0);
      } finally {
        await admin.disconnect();
      }
    };
    await produce('resume-in', before);
    await waitFor(async () => ((await outputCount()) >= before.length ? true : undefined));

    await producer.disconnect();
    await h.restart();
    await connectProducer().catch(async () => {
      // Topics exist already after the restart; only the producer is needed.
      producer = new Kafka({ brokers: bootstrap(), logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
    });
    const resumed = await waitFor(async () => {
      const q = (await api('GET', `/api/queries/${view.id}`)).json<QueryView>();
      return q.status === 'running' ? q : undefined;
    });
    expect(resumed.desiredState).toBe('running');
    expect(resumed.runId).not.toBe(view.runId);

    await produce('resume-in', after);
    await waitFor(async () => ((await outputCount()) >= before.length + after.length ? true : undefined));
    const stopped = await api('POST', `/api/queries/${view.id}/stop`);
    expect(stopped.json()).toMatchObject({ status: 'stopped' });
    expect(await outputCount()).toBe(before.length + after.length);

    const consumer = new Kafka({ brokers: bootstrap(), logLevel: logLevel.NOTHING }).consumer({
      groupId: `verify-${Date.now()}`,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: 'resume-out', fromBeginning: true });
    const values: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ''),
    });
    await waitFor(() => (values.length >= before.length + after.length ? true : undefined));
    await consumer.disconnect();
    expect(values.sort()).toEqual([...before, ...after].sort());

    const runs = (await api('GET', `/api/queries/${view.id}/runs`)).json<{ status: string }[]>();
    expect(runs.map((r) => r.status)).toEqual(['stopped', 'stopped']);
  });
});
