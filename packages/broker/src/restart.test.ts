/** What survives a clean restart: topics and configs, records, committed offsets, transactions. */
import fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, expect, test } from 'vitest';
import { tempDir, testBroker } from './test-support/harness.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.promises.rm(d, { recursive: true, force: true });
});

test('topics, records, configs and committed offsets survive a restart; -1 partitions means the default', async () => {
  const dataDir = await tempDir();
  dirs.push(dataDir);
  let b = await testBroker({ dataDir, defaultPartitions: 3 });
  let kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
  let admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: 'keep', configEntries: [{ name: 'retention.ms', value: '123456' }] }],
  });
  const meta = await admin.fetchTopicMetadata({ topics: ['keep'] });
  expect(meta.topics[0]!.partitions).toHaveLength(3); // numPartitions -1 → broker default
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: 'keep',
    messages: Array.from({ length: 30 }, (_, i) => ({ value: `v${i}`, partition: i % 3 })),
  });
  await producer.disconnect();
  await admin.setOffsets({ groupId: 'keep-g', topic: 'keep', partitions: [{ partition: 1, offset: '7' }] });
  await admin.disconnect();
  await b.stop();

  b = await testBroker({ dataDir, defaultPartitions: 3 });
  kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  expect(await admin.listTopics()).toContain('keep');
  const offsets = await admin.fetchTopicOffsets('keep');
  expect(offsets.map((o) => o.high)).toEqual(['10', '10', '10']);
  const committed = await admin.fetchOffsets({ groupId: 'keep-g', topics: ['keep'] });
  expect(committed[0]!.partitions.find((p) => p.partition === 1)!.offset).toBe('7');
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: 'keep', configNames: ['retention.ms'] }],
  });
  expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('123456');
  await admin.disconnect();

  // A consumer in the group resumes from the committed offset.
  const consumer = kafka.consumer({ groupId: 'keep-g', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'keep', fromBeginning: true });
  const firstOffsets = new Map<number, string>();
  await new Promise<void>((resolve) => {
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (!firstOffsets.has(partition)) firstOffsets.set(partition, message.offset);
        if (firstOffsets.size === 3) resolve();
      },
    });
  });
  await consumer.disconnect();
  expect(firstOffsets.get(1)).toBe('7');
  expect(firstOffsets.get(0)).toBe('0');
  await b.stop();
});

test('a transaction left open by a crash is aborted on restart; read_committed never sees it', async () => {
  const dataDir = await tempDir();
  dirs.push(dataDir);
  let b = await testBroker({ dataDir });
  let kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId: 'left-open', idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const tx = await producer.transaction();
  await tx.send({ topic: 'open-tx', messages: [{ value: 'never-committed' }] });
  // Simulate the crash: the broker goes away with the transaction open.
  await b.stop();
  fs.rmSync(`${dataDir}/.clean-shutdown`);
  await producer.disconnect().catch(() => {});

  b = await testBroker({ dataDir });
  kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
  const p2 = kafka.producer();
  await p2.connect();
  await p2.send({ topic: 'open-tx', messages: [{ value: 'plain-after' }] });
  await p2.disconnect();
  const consumer = kafka.consumer({ groupId: 'rc-open', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'open-tx', fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString());
        if (message.value!.toString() === 'plain-after') resolve();
      },
    });
  });
  await consumer.disconnect();
  expect(values).toEqual(['plain-after']);
  await b.stop();
});

test('one broker per data directory; the lock is released on stop', async () => {
  const dataDir = await tempDir();
  dirs.push(dataDir);
  const first = await testBroker({ dataDir });
  await expect(testBroker({ dataDir })).rejects.toThrow(/already used by a broker/);
  await first.stop();
  const second = await testBroker({ dataDir });
  await second.stop();
  // A lock left by a process that no longer exists (kill -9) is taken over.
  fs.writeFileSync(`${dataDir}/.lock`, '999999999');
  const third = await testBroker({ dataDir });
  await third.stop();
});

test('kafkajs producer and consumer group carry on across a broker restart on the same port', async () => {
  const dataDir = await tempDir();
  dirs.push(dataDir);
  let b = await testBroker({ dataDir, defaultPartitions: 2 });
  const port = b.port;
  const kafka = new Kafka({
    brokers: [b.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 20 },
  });
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({
    groupId: 'across-restart',
    maxWaitTimeInMs: 100,
    heartbeatInterval: 300,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: 'survive', fromBeginning: true });
  const seen = new Set<string>();
  await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
  await producer.send({
    topic: 'survive',
    messages: Array.from({ length: 50 }, (_, i) => ({ value: `before-${i}` })),
  });
  const deadline = Date.now() + 20_000;
  while (seen.size < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(seen.size).toBe(50);

  await b.stop();
  b = await testBroker({ dataDir, defaultPartitions: 2, port });
  await producer.send({
    topic: 'survive',
    messages: Array.from({ length: 50 }, (_, i) => ({ value: `after-${i}` })),
  });
  const deadline2 = Date.now() + 30_000;
  while (seen.size < 100 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 50));
  expect(seen.size).toBe(100);
  await consumer.disconnect();
  await producer.disconnect();
  await b.stop();
}, 60_000);
