/** Crash safety: kill -9 mid-stream loses nothing acknowledged; torn tails are truncated on restart. */
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, expect, test } from 'vitest';
import { type ChildBroker, startChildBroker } from './test-support/child-broker.js';
import { tempDir, testBroker } from './test-support/harness.js';

const dirs: string[] = [];
let child: ChildBroker | undefined;
afterAll(async () => {
  await child?.kill9().catch(() => {});
  for (const d of dirs) await fs.promises.rm(d, { recursive: true, force: true });
});

async function consumeAll(bootstrap: string, topic: string): Promise<string[]> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  const consumer = kafka.consumer({ groupId: `verify-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve) => {
    if (total === 0) resolve();
    consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString());
        if (values.length === total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return values;
}

test('kill -9 while producing with acks=all, restart: every acknowledged message is there', async () => {
  const dataDir = await tempDir();
  dirs.push(dataDir);
  const acked = new Set<string>();
  for (let round = 0; round < 3; round++) {
    child = await startChildBroker(dataDir, ['--partitions', '2']);
    const kafka = new Kafka({
      brokers: [child.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    let stop = false;
    const senders = Array.from({ length: 4 }, async (_, s) => {
      for (let i = 0; !stop; i++) {
        const batch = Array.from({ length: 20 }, (_, j) => ({ value: `r${round}-s${s}-${i}-${j}` }));
        try {
          await producer.send({ topic: 'crash', acks: -1, messages: batch });
          for (const m of batch) acked.add(m.value);
        } catch {
          return; // the broker died mid-request: not acknowledged
        }
      }
    });
    await new Promise((r) => setTimeout(r, 400 + round * 150));
    await child.kill9();
    stop = true;
    await Promise.all(senders);
    await producer.disconnect().catch(() => {});
  }
  expect(acked.size).toBeGreaterThan(40);
  child = await startChildBroker(dataDir);
  const values = await consumeAll(child.bootstrap, 'crash');
  const stored = new Set(values);
  const missing = [...acked].filter((v) => !stored.has(v));
  expect(missing).toEqual([]);
  expect(values.length).toBe(stored.size); // no duplicates either
  await child.stop();
  child = undefined;
}, 120_000);

test('a torn or corrupt tail is truncated at the last valid batch; appends continue after it', async () => {
  const dataDir = await tempDir();
  dirs.push(dataDir);
  let b = await testBroker({ dataDir });
  let kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
  let producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < 10; i++) await producer.send({ topic: 'torn', messages: [{ value: `ok-${i}` }] });
  await producer.disconnect();
  await b.stop();

  const segment = path.join(dataDir, 'topics', 'torn', '0', `${'0'.repeat(20)}.log`);
  const good = fs.statSync(segment).size;
  const bytes = fs.readFileSync(segment);
  // Copy the last batch, flip one payload byte (CRC no longer matches) and append it, then half a batch.
  const lastStart = findBatchStart(bytes, 9);
  const corrupt = Buffer.from(bytes.subarray(lastStart));
  corrupt[corrupt.length - 3] = corrupt[corrupt.length - 3]! ^ 0xff;
  fs.appendFileSync(segment, Buffer.concat([corrupt, bytes.subarray(0, 30)]));
  fs.rmSync(path.join(dataDir, '.clean-shutdown')); // as after a crash

  b = await testBroker({ dataDir });
  expect(fs.statSync(segment).size).toBe(good);
  kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  const [r] = await producer.send({ topic: 'torn', messages: [{ value: 'after' }] });
  expect(r!.baseOffset).toBe('10');
  await producer.disconnect();
  expect(await consumeAll(b.bootstrap, 'torn')).toEqual([
    ...Array.from({ length: 10 }, (_, i) => `ok-${i}`),
    'after',
  ]);
  await b.stop();
}, 60_000);

/** Start position of the n-th batch (batches are length-prefixed: 8-byte offset + 4-byte length). */
function findBatchStart(buf: Buffer, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) at += 12 + buf.readInt32BE(at + 8);
  return at;
}
