import { sql as sqlTag } from '@sluice/db';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitFor } from '../test-support/server-harness.js';

/**
 * The whole path: a running query over a topic with malformed JSON dead-letters those records
 * (the engine's `onError` = `deadletter`, topic `<query>.dlq`), and the archiver puts each into
 * Postgres with its context, within seconds.
 */
describe('dead letters from a running query into Postgres', () => {
  let h: Harness;
  const rows = async <T>(text: string) => (await h.app.database.db.execute(sqlTag.raw(text))).rows as T[];

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('archives the ten malformed records of a hundred with every context column right', async () => {
    const kafka = new Kafka({ brokers: [...h.app.kafka.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders' }], waitForLeaders: true });
    await admin.disconnect();

    const created = await h.app.inject({
      method: 'POST',
      url: '/api/queries?start=true',
      payload: {
        name: 'orders-parser',
        sources: {
          orders: {
            format: 'kafka',
            // The engine's own value parsing: a record that does not parse is a dead letter.
            options: {
              subscribe: 'orders',
              startingOffsets: 'earliest',
              valueFormat: 'json',
              schema: 'id INT, amount DOUBLE',
            },
          },
        },
        sql: 'SELECT id, amount FROM orders',
        sink: { format: 'memory', options: { onError: 'deadletter' } },
        outputMode: 'append',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const query = created.json<{ runId: string }>();

    const sentAt = Date.parse('2026-06-01T12:00:00.000Z');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'orders',
      acks: -1,
      messages: Array.from({ length: 100 }, (_, i) => ({
        key: `order-${i}`,
        value: i % 10 === 3 ? `{"id": ${i}, "amount": }` : JSON.stringify({ id: i, amount: i / 2 }),
        headers: { trace: `t${i}` },
        timestamp: String(sentAt + i),
      })),
    });
    await producer.disconnect();

    const archived = await waitFor(async () => {
      const r = await rows<Record<string, unknown>>('select * from dead_letters order by source_offset');
      return r.length === 10 ? r : undefined;
    }, 20_000);
    const output = await h.app.inject({ method: 'GET', url: '/api/tables/orders-parser/rows?limit=1' });
    expect(output.json<{ total: number }>().total).toBe(90);

    expect(archived.map((r) => Number(r.source_offset))).toEqual([3, 13, 23, 33, 43, 53, 63, 73, 83, 93]);
    for (const row of archived) {
      const i = Number(row.source_offset);
      expect(row).toMatchObject({
        dlq_topic: 'orders-parser.dlq',
        source_topic: 'orders',
        source_partition: 0,
        query_name: 'orders-parser',
        run_id: query.runId,
        stage: 'parse',
      });
      expect(row.query_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(row.batch_id)).toBeGreaterThanOrEqual(0);
      expect(String(row.error_class)).not.toBe('UNKNOWN');
      expect(String(row.error_message)).not.toBe('');
      expect((row.key as Buffer).toString()).toBe(`order-${i}`);
      expect((row.value as Buffer).toString()).toBe(`{"id": ${i}, "amount": }`);
      expect(new Date(row.record_timestamp as string).getTime()).toBe(sentAt + i);
      expect(row.headers).toContainEqual({ key: 'trace', value: { encoding: 'utf8', data: `t${i}` } });
    }
  });
});
