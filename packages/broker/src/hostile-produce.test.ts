/**
 * Produce requests whose record batch has a valid CRC but lies about its contents. Each one used to
 * be accepted (and one crashed the index writer on every restart); now each is refused before it is
 * written, with the error Apache Kafka gives for the same bytes — the same cases run against Apache
 * Kafka itself — and the acknowledged data around it stays readable, across a restart too.
 */
import { gzipSync } from 'node:zlib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBroker } from './broker.js';
import { ErrorCode } from './protocol/error-codes.js';
import { crc32c } from './records/crc32c.js';
import { type TestBroker, testBroker } from './test-support/harness.js';
import { RawClient } from './test-support/raw-client.js';
import { type ApacheKafka, startApacheKafka } from './testing/apache-kafka.js';

/** One record: key null, the value, no headers (Kafka's v2 record layout, zigzag varints). */
function record(offsetDelta: number, value: string): Buffer {
  const v = Buffer.from(value);
  const zig = (n: number) => (n << 1) ^ (n >> 31);
  const body = Buffer.from([0, 0, zig(offsetDelta), zig(-1), zig(v.length), ...v, 0]);
  return Buffer.concat([Buffer.from([zig(body.length)]), body]);
}

interface BatchShape {
  records: Buffer;
  count: number;
  lastOffsetDelta: number;
  codec?: number;
}

/** A v2 batch with a correct CRC-32C over whatever the shape says. */
function batch({ records, count, lastOffsetDelta, codec = 0 }: BatchShape): Buffer {
  const b = Buffer.alloc(61 + records.length);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt8(2, 16);
  b.writeInt16BE(codec, 21);
  b.writeInt32BE(lastOffsetDelta, 23);
  b.writeBigInt64BE(BigInt(Date.now()), 27);
  b.writeBigInt64BE(BigInt(Date.now()), 35);
  b.writeBigInt64BE(-1n, 43);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeInt32BE(count, 57);
  records.copy(b, 61);
  b.writeUInt32BE(crc32c(b, 21, b.length), 17);
  return b;
}

const good = (value: string) => batch({ records: record(0, value), count: 1, lastOffsetDelta: 0 });

const hostile: [string, Buffer][] = [
  ['lastOffsetDelta 2147483647', batch({ records: record(0, 'x'), count: 1, lastOffsetDelta: 2147483647 })],
  ['a negative lastOffsetDelta', batch({ records: record(0, 'x'), count: 1, lastOffsetDelta: -5 })],
  ['a record count that lies', batch({ records: record(0, 'x'), count: 5, lastOffsetDelta: 4 })],
  [
    'gzip, records numbered out of order',
    batch({
      records: gzipSync(Buffer.concat([record(1, 'a'), record(0, 'b')])),
      count: 2,
      lastOffsetDelta: 1,
      codec: 1,
    }),
  ],
  ['gzip, count lies', batch({ records: gzipSync(record(0, 'x')), count: 3, lastOffsetDelta: 2, codec: 1 })],
  ['gzip flagged, not gzip', batch({ records: record(0, 'x'), count: 1, lastOffsetDelta: 0, codec: 1 })],
  ['an unknown codec (5)', batch({ records: record(0, 'x'), count: 1, lastOffsetDelta: 0, codec: 5 })],
  [
    'bytes after the last record',
    batch({ records: Buffer.concat([record(0, 'x'), Buffer.from([1, 2, 3])]), count: 1, lastOffsetDelta: 0 }),
  ],
];

/** Produce v3 of one batch to partition 0; resolves with the partition's error code. */
async function produce(port: number, topic: string, records: Buffer): Promise<number> {
  const c = await RawClient.connect(port);
  try {
    c.send(0, 3, 1, (w) =>
      w.nullableString(null).int16(-1).int32(5000).int32(1).string(topic).int32(1).int32(0).bytes(records),
    );
    const r = await c.next(10_000);
    r.int32(); // correlation id
    r.int32(); // topics
    r.string();
    r.int32(); // partitions
    r.int32(); // index
    return r.int16();
  } finally {
    c.close();
  }
}

async function readAll(bootstrap: string, topic: string, expected: number): Promise<string[]> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `g-${topic}-${Date.now()}` });
  await consumer.connect();
  const values: string[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${expected}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

describe('hostile record batches', () => {
  let embedded: TestBroker;
  let apache: ApacheKafka;
  const apachePort = () => Number(apache.bootstrap.split(':')[1]);

  beforeAll(async () => {
    [embedded, apache] = await Promise.all([testBroker(), startApacheKafka()]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([embedded?.cleanup(), apache?.stop()]);
  });

  test.each(hostile)(
    '%s is refused as Apache Kafka refuses it, and nothing is stored',
    async (name, bytes) => {
      const topic = `hostile-${name.replace(/[^a-z0-9]+/gi, '-')}`;
      await Promise.all([createTopic(embedded.bootstrap, topic), createTopic(apache.bootstrap, topic)]);
      const reference = await produce(apachePort(), topic, bytes);
      expect(reference, 'Apache Kafka refuses it').not.toBe(0);
      const ours = await produce(embedded.port, topic, bytes);
      expect([ErrorCode.INVALID_RECORD, ErrorCode.UNKNOWN_SERVER_ERROR]).toContain(ours);
      expect(ours).toBe(reference);
      // The partition is unharmed: the next good batch lands at offset 0 and reads back.
      expect(await produce(embedded.port, topic, good('after'))).toBe(0);
      expect(await readAll(embedded.bootstrap, topic, 1)).toEqual(['after']);
    },
  );

  test('after every hostile batch, the broker restarts on its data and serves all acked records', async () => {
    const topic = 'hostile-restart';
    await createTopic(embedded.bootstrap, topic);
    expect(await produce(embedded.port, topic, good('first'))).toBe(0);
    for (const [, bytes] of hostile) expect(await produce(embedded.port, topic, bytes)).not.toBe(0);
    expect(await produce(embedded.port, topic, good('last'))).toBe(0);
    await embedded.stop();
    const restarted = await startBroker({ port: 0, dataDir: embedded.dataDir });
    try {
      expect(await readAll(restarted.bootstrap, topic, 2)).toEqual(['first', 'last']);
    } finally {
      await restarted.stop();
    }
    embedded = await testBroker({ dataDir: embedded.dataDir });
  });

  test('uncompressed records numbered out of order are accepted by both (Kafka rewrites offsets, never reads the deltas)', async () => {
    const topic = 'hostile-deltas';
    await Promise.all([createTopic(embedded.bootstrap, topic), createTopic(apache.bootstrap, topic)]);
    const bytes = batch({
      records: Buffer.concat([record(1, 'a'), record(0, 'b')]),
      count: 2,
      lastOffsetDelta: 1,
    });
    expect(await produce(apachePort(), topic, bytes)).toBe(0);
    expect(await produce(embedded.port, topic, bytes)).toBe(0);
  });

  test('a real gzip batch is accepted by both', async () => {
    const topic = 'hostile-real-gzip';
    await Promise.all([createTopic(embedded.bootstrap, topic), createTopic(apache.bootstrap, topic)]);
    const gz = batch({ records: gzipSync(record(0, 'zipped')), count: 1, lastOffsetDelta: 0, codec: 1 });
    expect(await produce(apachePort(), topic, gz)).toBe(0);
    expect(await produce(embedded.port, topic, gz)).toBe(0);
    expect(await readAll(embedded.bootstrap, topic, 1)).toEqual(['zipped']);
  });
});
