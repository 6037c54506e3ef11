/**
 * `kafka.*` security options reach the client: a stream reads and writes through an Apache Kafka
 * broker that requires SASL/PLAIN, a wrong password fails the query with the broker's answer, and
 * what kafkajs cannot do (JKS stores, GSSAPI) is refused at start instead of ignored.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type ApacheKafka, startApacheKafka } from '@sluice/broker/testing/apache-kafka';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../session/session.js';
import { getMemoryTable } from '../../sinks/memory-sink.js';
import '../../streaming/index.js';
import { jaasCredentials, kafkaClientConfig } from './kafka-client-config.js';

const jaas = (user: string, password: string) =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${password}";`;

describe('kafka.* security options', () => {
  it('map onto the kafkajs client', async () => {
    const c = kafkaClientConfig(
      {
        'kafka.bootstrap.servers': 'h:9093',
        'kafka.security.protocol': 'SASL_SSL',
        'kafka.sasl.mechanism': 'SCRAM-SHA-512',
        'kafka.sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p\\"q";',
        'kafka.ssl.endpoint.identification.algorithm': '',
        'kafka.client.id': 'c1',
        'kafka.request.timeout.ms': '5000',
      },
      'consumer',
    );
    expect(c.brokers).toEqual(['h:9093']);
    expect(c.clientId).toBe('c1');
    expect(c.requestTimeout).toBe(5000);
    expect(c.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p\\"q' });
    expect(typeof c.ssl === 'object' && c.ssl !== null && 'checkServerIdentity' in c.ssl).toBe(true);
    expect(jaasCredentials(jaas('alice', 's3cret'))).toEqual({ username: 'alice', password: 's3cret' });
  });

  it.each([
    [
      {
        'kafka.security.protocol': 'SASL_PLAINTEXT',
        'kafka.sasl.mechanism': 'GSSAPI',
        'kafka.sasl.jaas.config': jaas('a', 'b'),
      },
      /GSSAPI is not supported/,
    ],
    [
      { 'kafka.security.protocol': 'SSL', 'kafka.ssl.truststore.location': '/x.jks' },
      /truststore.type JKS is not supported/,
    ],
    [{ 'kafka.security.protocol': 'SASL_SSL' }, /needs kafka.sasl.jaas.config/],
    [{ 'kafka.security.protocol': 'TLS' }, /Invalid value TLS for configuration security.protocol/],
    [
      {
        'kafka.security.protocol': 'SASL_PLAINTEXT',
        'kafka.sasl.mechanism': 'PLAIN',
        'kafka.sasl.jaas.config': 'x',
      },
      /must name a username and a password/,
    ],
  ])('refuses %j', (extra, message) => {
    expect(() => kafkaClientConfig({ 'kafka.bootstrap.servers': 'h:1', ...extra }, 'producer')).toThrow(
      message,
    );
  });
});

describe('a stream through Apache Kafka with SASL/PLAIN', () => {
  let kafka: ApacheKafka;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-sasl-'));
    kafka = await startApacheKafka({ saslPlainUsers: { admin: 'admin-secret', alice: 'alice-secret' } });
  }, 180_000);
  afterAll(async () => {
    await kafka?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const auth = (password: string) => ({
    'kafka.bootstrap.servers': kafka.bootstrap,
    'kafka.security.protocol': 'SASL_PLAINTEXT',
    'kafka.sasl.mechanism': 'PLAIN',
    'kafka.sasl.jaas.config': jaas('alice', password),
  });

  it('reads and writes with the right credentials, and fails with the broker’s answer with wrong ones', async () => {
    const client = new Kafka({
      brokers: [kafka.bootstrap],
      sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
      logLevel: logLevel.NOTHING,
    });
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'sasl-in' }, { topic: 'sasl-out' }], waitForLeaders: true });
    await admin.disconnect();
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic: 'sasl-in', messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();

    const session = Session.builder().appName('sasl').create();
    const toMemory = session.readStream
      .format('kafka')
      .options({ ...auth('alice-secret'), subscribe: 'sasl-in', startingOffsets: 'earliest' })
      .load()
      .selectExpr('CAST(value AS STRING) AS value')
      .writeStream.format('memory')
      .queryName('sasl_in')
      .start();
    await toMemory.processAllAvailable();
    await toMemory.stop();
    expect((getMemoryTable('sasl_in')?.rows ?? []).map((r) => r[0]).sort()).toEqual(['a', 'b']);

    const toKafka = session.readStream
      .format('kafka')
      .options({ ...auth('alice-secret'), subscribe: 'sasl-in', startingOffsets: 'earliest' })
      .load()
      .selectExpr("CONCAT(CAST(value AS STRING), '!') AS value")
      .writeStream.format('kafka')
      .options({ ...auth('alice-secret'), topic: 'sasl-out', checkpointLocation: path.join(dir, 'ck-out') })
      .start();
    await toKafka.processAllAvailable();
    await toKafka.stop();
    const out = new Kafka({
      brokers: [kafka.bootstrap],
      sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' },
      logLevel: logLevel.NOTHING,
    }).admin();
    await out.connect();
    const [partition] = await out.fetchTopicOffsets('sasl-out');
    await out.disconnect();
    expect(partition?.high).toBe('2');

    const refused = session.readStream
      .format('kafka')
      .options({ ...auth('wrong'), subscribe: 'sasl-in', startingOffsets: 'earliest' })
      .load()
      .writeStream.format('memory')
      .queryName('sasl_refused')
      .start();
    await expect(refused.awaitTermination()).rejects.toThrow(/SASL|[Aa]uthentication/);
  }, 60_000);
});
