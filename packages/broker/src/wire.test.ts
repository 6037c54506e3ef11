/** Wire-level behaviour: unsupported versions, response order, acks=0, garbage on a connection. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { allApis } from './protocol/apis.js';
import { ErrorCode } from './protocol/error-codes.js';
import { crc32c } from './records/crc32c.js';
import { prng, type TestBroker, testBroker } from './test-support/harness.js';
import { RawClient } from './test-support/raw-client.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await testBroker();
});
afterAll(async () => {
  await broker?.cleanup();
});

test('ApiVersions advertises exactly the implemented ranges', async () => {
  const c = await RawClient.connect(broker.port);
  c.send(18, 2, 7);
  const r = await c.next();
  expect(r.int32()).toBe(7);
  expect(r.int16()).toBe(0);
  const n = r.int32();
  const ranges = new Map<number, [number, number]>();
  for (let i = 0; i < n; i++) ranges.set(r.int16(), [r.int16(), r.int16()]);
  expect(ranges.get(0)).toEqual([3, 7]); // Produce
  expect(ranges.get(1)).toEqual([4, 11]); // Fetch
  expect(ranges.get(3)).toEqual([0, 6]); // Metadata
  expect(ranges.get(18)).toEqual([0, 3]); // ApiVersions
  expect(ranges.get(11)).toEqual([0, 5]); // JoinGroup
  expect(ranges.has(17)).toBe(false); // no SASL
  c.close();
});

test('ApiVersions v3 (flexible) is answered with a v0 header and compact arrays', async () => {
  const c = await RawClient.connect(broker.port);
  c.send(18, 3, 9, (w) => w.taggedFields().compactString('raw').compactString('1.0').taggedFields());
  const r = await c.next();
  expect(r.int32()).toBe(9);
  expect(r.int16()).toBe(0);
  const n = r.uvarint() - 1;
  expect(n).toBeGreaterThan(20);
  c.close();
});

test('unsupported versions get UNSUPPORTED_VERSION and the connection stays usable', async () => {
  const c = await RawClient.connect(broker.port);
  c.send(18, 99, 1);
  const r = await c.next();
  expect(r.int32()).toBe(1);
  expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
  expect(r.int32()).toBeGreaterThan(20); // the v0 api list, so the client can pick a version
  c.send(0, 2, 2); // Produce v2: below our range
  const r2 = await c.next();
  expect(r2.int32()).toBe(2);
  expect(r2.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
  c.send(9999, 0, 3); // unknown API key
  const r3 = await c.next();
  expect(r3.int32()).toBe(3);
  expect(r3.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
  c.send(18, 0, 4);
  expect((await c.next()).int32()).toBe(4);
  c.close();
});

test('responses come back in request order even when a fetch long-polls', async () => {
  const c = await RawClient.connect(broker.port);
  // Metadata v1 auto-creates the topic.
  c.send(3, 1, 1, (w) => w.int32(1).string('order'));
  await c.next();
  // Fetch v4 with maxWait 300 ms at the end of the log, then an ApiVersions that is ready at once.
  c.send(1, 4, 2, (w) =>
    w
      .int32(-1)
      .int32(300)
      .int32(1)
      .int32(1 << 20)
      .int8(0)
      .int32(1)
      .string('order')
      .int32(1)
      .int32(0)
      .int64(0)
      .int32(1 << 20),
  );
  c.send(18, 0, 3);
  const first = await c.next();
  const second = await c.next();
  expect(first.int32()).toBe(2);
  expect(second.int32()).toBe(3);
  c.close();
});

test('acks=0 produce gets no response; the next request is answered', async () => {
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'acks0', acks: 0, messages: [{ value: 'fire-and-forget' }] });
  await producer.send({ topic: 'acks0', acks: 1, messages: [{ value: 'acked' }] });
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  expect((await admin.fetchTopicOffsets('acks0'))[0]!.high).toBe('2');
  await admin.disconnect();
});

test('garbage bytes never crash the broker', async () => {
  for (let i = 0; i < 30; i++) {
    const c = await RawClient.connect(broker.port);
    const junk = randomBytes(16 + ((i * 37) % 500));
    if (i % 3 === 0) junk.writeInt32BE(junk.length - 4, 0); // a plausible size prefix with a random body
    if (i % 5 === 0) junk.writeInt32BE(-5, 0);
    c.writeRaw(junk);
    await Promise.race([c.closed, new Promise((r) => setTimeout(r, 20))]);
    c.close();
  }
  // Well-formed headers with truncated or random bodies for every implemented API.
  for (const key of [
    0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 19, 20, 21, 22, 24, 25, 26, 28, 32, 37, 42,
  ]) {
    const c = await RawClient.connect(broker.port);
    c.send(key, 1, 1, (w) => w.raw(randomBytes(7)));
    await Promise.race([c.closed, c.next(300).catch(() => {})]);
    c.close();
  }
  // Still serving.
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const [r] = await producer.send({ topic: 'after-garbage', messages: [{ value: 'alive' }] });
  expect(r!.errorCode).toBe(0);
  await producer.disconnect();
});

test('a batch with a bad CRC is rejected with CORRUPT_MESSAGE and not stored', async () => {
  const c = await RawClient.connect(broker.port);
  c.send(3, 1, 1, (w) => w.int32(1).string('crc'));
  await c.next();
  const good = minimalBatch();
  c.send(0, 3, 2, (w) =>
    w.nullableString(null).int16(1).int32(1000).int32(1).string('crc').int32(1).int32(0).bytes(good),
  );
  const ok = await c.next();
  ok.int32();
  ok.int32();
  ok.string();
  ok.int32();
  expect(ok.int32()).toBe(0);
  expect(ok.int16()).toBe(0); // our hand-made batch and its CRC-32C are accepted
  expect(ok.int64()).toBe(0);
  const batch = minimalBatch();
  batch[batch.length - 1] = batch[batch.length - 1]! ^ 0x01;
  c.send(0, 3, 3, (w) =>
    w.nullableString(null).int16(1).int32(1000).int32(1).string('crc').int32(1).int32(0).bytes(batch),
  );
  const r = await c.next();
  expect(r.int32()).toBe(3);
  r.int32(); // topics
  r.string();
  r.int32(); // partitions
  expect(r.int32()).toBe(0);
  expect(r.int16()).toBe(ErrorCode.CORRUPT_MESSAGE);
  c.close();
});

/** One record batch v2 with one record, valid CRC. */
function minimalBatch(): Buffer {
  // length 9 (zigzag 0x12): attr, tsDelta, offDelta, key null, value length 3, 'abc', 0 headers. (It said 8 until
  // the broker started decoding records on append, as Kafka does, and refused the batch.)
  const record = Buffer.from([0x12, 0, 0, 0, 1, 0x06, 0x61, 0x62, 0x63, 0]);
  const b = Buffer.alloc(61 + record.length);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt8(2, 16);
  b.writeBigInt64BE(BigInt(Date.now()), 27);
  b.writeBigInt64BE(BigInt(Date.now()), 35);
  b.writeBigInt64BE(-1n, 43);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeInt32BE(1, 57);
  record.copy(b, 61);
  b.writeUInt32BE(crc32c(b, 21, b.length), 17);
  return b;
}

test('a long-polling fetch is woken by a produce well before maxWait', async () => {
  const c = await RawClient.connect(broker.port);
  c.send(3, 1, 1, (w) => w.int32(1).string('wake'));
  await c.next();
  const started = Date.now();
  // Fetch v4, maxWait 10 s, minBytes 1, at offset 0 of an empty partition.
  c.send(1, 4, 2, (w) =>
    w
      .int32(-1)
      .int32(10_000)
      .int32(1)
      .int32(1 << 20)
      .int8(0)
      .int32(1)
      .string('wake')
      .int32(1)
      .int32(0)
      .int64(0)
      .int32(1 << 20),
  );
  setTimeout(async () => {
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const p = kafka.producer();
    await p.connect();
    await p.send({ topic: 'wake', messages: [{ value: 'wake-up' }] });
    await p.disconnect();
  }, 200);
  const r = await c.next(15_000);
  expect(r.int32()).toBe(2);
  expect(Date.now() - started).toBeLessThan(8_000);
  r.int32(); // throttle
  r.int32(); // topics
  r.string();
  r.int32(); // partitions
  expect(r.int32()).toBe(0);
  expect(r.int16()).toBe(0);
  expect(r.int64()).toBe(1); // high watermark
  r.int64(); // last stable offset
  r.int32(); // aborted transactions (null = -1)
  expect(r.int32()).toBeGreaterThan(61); // one record batch
  c.close();
});

/** Deterministic PRNG (mulberry32) so the fuzz cases are the same on every run. */
test('mutated real client requests (seeded fuzz over every captured fixture) never crash the broker', async () => {
  const requestsDir = fileURLToPath(new URL('./protocol/requests', import.meta.url));
  const rnd = prng(20261122);
  const connections: Promise<void>[] = [];
  let sent = 0;
  for (const spec of allApis) {
    const dir = path.join(
      requestsDir,
      spec.name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase(),
      'fixtures',
    );
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('_request.bin'))) {
      const version = Number(file.slice(1, file.indexOf('_')));
      const original = fs.readFileSync(path.join(dir, file));
      const c = await RawClient.connect(broker.port);
      for (let m = 0; m < 12; m++) {
        const body = Buffer.from(original);
        const kind = m % 3;
        if (kind === 0)
          for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++)
            body[Math.floor(rnd() * body.length)] = Math.floor(rnd() * 256);
        const mutated =
          kind === 1
            ? body.subarray(0, Math.floor(rnd() * body.length))
            : kind === 2
              ? Buffer.concat([body, randomBytesSeeded(rnd, 1 + Math.floor(rnd() * 16))])
              : body;
        c.send(spec.key, version, 1000 + m, (w) => w.raw(mutated));
        sent++;
      }
      connections.push(
        Promise.race([c.closed, new Promise((r) => setTimeout(r, 500))]).then(() => c.close()),
      );
    }
  }
  await Promise.all(connections);
  expect(sent).toBeGreaterThan(400);
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const [r] = await producer.send({ topic: 'after-fuzz', messages: [{ value: 'alive' }] });
  expect(r!.errorCode).toBe(0);
  await producer.disconnect();
}, 60_000);

function randomBytesSeeded(rnd: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
}
