/**
 * The topic routes and the live tail against an Apache Kafka broker that requires SASL/PLAIN, with
 * the server's `kafka.*` client options (SLUICE_KAFKA_*): everything works with the right
 * credentials, and wrong ones answer 502 with Kafka's error instead of hanging or a 500.
 */
import { type ApacheKafka, startApacheKafka } from '@sluice/broker/testing/apache-kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness, startHarness, waitFor } from '../test-support/server-harness.js';
import type { MessageView, TopicSummary } from './schemas.js';

const jaas = (user: string, password: string) =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${password}";`;

const sasl = (password: string) => ({
  'kafka.security.protocol': 'SASL_PLAINTEXT',
  'kafka.sasl.mechanism': 'PLAIN',
  'kafka.sasl.jaas.config': jaas('alice', password),
});

describe('topic routes through SASL/PLAIN', () => {
  let kafka: ApacheKafka;
  let h: Harness;
  let wrong: Harness;

  beforeAll(async () => {
    kafka = await startApacheKafka({ saslPlainUsers: { admin: 'admin-secret', alice: 'alice-secret' } });
    h = await startHarness({ kafkaBrokers: [kafka.bootstrap], kafkaClientOptions: sasl('alice-secret') });
    wrong = await startHarness({ kafkaBrokers: [kafka.bootstrap], kafkaClientOptions: sasl('nope') });
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    await wrong?.close();
    await kafka?.stop();
  });

  it('creates, produces, browses, tails, lists and deletes with the configured credentials', async () => {
    const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      h.app.inject({ method, url, payload });
    const created = await api('POST', '/api/topics', { name: 'secure-orders', partitions: 2 });
    expect(created.statusCode, created.body).toBe(201);

    const produced = await api('POST', '/api/topics/secure-orders/messages', {
      key: 'k1',
      value: '{"id":1}',
      partition: 1,
      headers: { trace: 'abc' },
    });
    expect(produced.statusCode, produced.body).toBe(201);
    expect(produced.json()).toEqual({ topic: 'secure-orders', partition: 1, offset: 0 });

    const browsed = await api('GET', '/api/topics/secure-orders/messages?offset=0');
    expect(browsed.statusCode, browsed.body).toBe(200);
    const messages = browsed.json<{ messages: MessageView[] }>().messages;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      partition: 1,
      offset: 0,
      key: { encoding: 'utf8', data: 'k1' },
      value: { encoding: 'utf8', data: '{"id":1}' },
      headers: [{ key: 'trace', value: { encoding: 'utf8', data: 'abc' } }],
    });

    // The live tail's consumer authenticates too: a record produced after the ack arrives.
    const socket = await connect(h.url());
    try {
      const tailed: MessageView[] = [];
      socket.on('message', (m: MessageView) => tailed.push(m));
      const ack = await socket.emitWithAck('subscribe', 'topic:secure-orders');
      expect(ack).toEqual({ ok: true });
      await api('POST', '/api/topics/secure-orders/messages', { value: 'tailed', partition: 0 });
      await waitFor(() => tailed.find((m) => m.value?.data === 'tailed'));
      socket.emit('unsubscribe', 'topic:secure-orders');
    } finally {
      socket.disconnect();
    }

    const listed = (await api('GET', '/api/topics')).json<TopicSummary[]>();
    expect(listed.find((t) => t.name === 'secure-orders')).toMatchObject({ partitions: 2, messageCount: 2 });

    expect((await api('DELETE', '/api/topics/secure-orders')).statusCode).toBe(204);
    await waitFor(async () => (await api('GET', '/api/topics/secure-orders')).statusCode === 404);
  }, 120_000);

  it('answers 502 with Kafka’s error for wrong credentials', async () => {
    const res = await wrong.app.inject({ method: 'GET', url: '/api/topics' });
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json().message).toMatch(/SASL|authenticat/i);
  }, 120_000);
});
