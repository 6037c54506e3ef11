/**
 * Topic metadata on disk under hostile conditions: a corrupt or missing `topic.json` never makes a
 * topic and its records vanish silently, a creation that fails half-way leaves nothing behind, the
 * partition cap answers a clear error, and a thousand partitions hold no more open files than the
 * pool's cap (three descriptors per partition used to exhaust them and brick the next start).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, expect, test } from 'vitest';
import { type RunningBroker, startBroker } from './broker.js';
import { segmentFiles } from './storage/file-pool.js';
import { tempDir } from './test-support/harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function broker(dataDir: string, extra: { maxPartitions?: number } = {}) {
  const lines: string[] = [];
  const b = await startBroker({ port: 0, dataDir, log: (l) => lines.push(l), ...extra });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await b.stop();
    stopped = true;
  };
  cleanups.push(stop);
  return { b, lines, stop };
}

async function dir(): Promise<string> {
  const d = await tempDir();
  cleanups.push(() => fs.promises.rm(d, { recursive: true, force: true }));
  return d;
}

const client = (b: RunningBroker) => new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });

async function produce(b: RunningBroker, topic: string, partition: number, values: string[]) {
  const p = client(b).producer();
  await p.connect();
  await p.send({ topic, messages: values.map((value) => ({ value, partition })) });
  await p.disconnect();
}

async function offsets(b: RunningBroker, topic: string) {
  const admin = client(b).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).map((o) => Number(o.high)).sort();
  } finally {
    await admin.disconnect();
  }
}

async function createTopic(b: RunningBroker, topic: string, numPartitions: number) {
  const admin = client(b).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }] });
  } catch (e) {
    // kafkajs drops the server's errorMessage; the error type is what it keeps.
    const types = ((e as { errors?: { type?: string }[] }).errors ?? []).map((x) => x.type);
    throw new Error(`CreateTopics failed: ${types.join(', ')}`);
  } finally {
    await admin.disconnect();
  }
}

test('a corrupt topic.json is recovered from the segments, loudly, and keeps every record', async () => {
  const data = await dir();
  const first = await broker(data);
  await createTopic(first.b, 'keep', 3);
  await produce(first.b, 'keep', 2, ['a', 'b', 'c']);
  await first.stop();
  const meta = path.join(data, 'topics', 'keep', 'topic.json');
  fs.writeFileSync(meta, '{"name": "keep", "partit');
  const second = await broker(data);
  expect(await offsets(second.b, 'keep')).toEqual([0, 0, 3]);
  expect(second.lines.join('\n')).toMatch(/topic keep: topic\.json was unreadable.*recovered 3 partition/);
  expect(fs.readdirSync(path.dirname(meta)).some((f) => f.startsWith('topic.json.corrupt-'))).toBe(true);
});

test('topic.json listing fewer partitions than are on disk is widened, never truncating data', async () => {
  const data = await dir();
  const first = await broker(data);
  await createTopic(first.b, 'wide', 2);
  await produce(first.b, 'wide', 1, ['x']);
  await first.stop();
  const meta = path.join(data, 'topics', 'wide', 'topic.json');
  const parsed = JSON.parse(fs.readFileSync(meta, 'utf8'));
  fs.writeFileSync(meta, JSON.stringify({ ...parsed, partitions: 1 }));
  const second = await broker(data);
  expect(await offsets(second.b, 'wide')).toEqual([0, 1]);
  expect(second.lines.join('\n')).toMatch(/topic wide: topic\.json listed 1 partition\(s\), 2 are on disk/);
});

test('a topic directory without topic.json: removed when empty (an unfinished creation), recovered when it has records', async () => {
  const data = await dir();
  const first = await broker(data);
  await createTopic(first.b, 'empty', 2);
  await createTopic(first.b, 'full', 1);
  await produce(first.b, 'full', 0, ['r']);
  await first.stop();
  fs.rmSync(path.join(data, 'topics', 'empty', 'topic.json'));
  fs.rmSync(path.join(data, 'topics', 'full', 'topic.json'));
  const second = await broker(data);
  expect(fs.existsSync(path.join(data, 'topics', 'empty'))).toBe(false);
  expect(await offsets(second.b, 'full')).toEqual([1]);
  expect(second.lines.join('\n')).toMatch(/removing .*empty: a topic creation that never finished/);
});

test('a creation that fails half-way leaves no topic behind, and the broker restarts', async () => {
  const data = await dir();
  const first = await broker(data);
  // A plain file where partition 3's directory must go makes the 4th partition fail to open.
  fs.mkdirSync(path.join(data, 'topics', 'half'), { recursive: true });
  fs.writeFileSync(path.join(data, 'topics', 'half', '3'), 'in the way');
  await expect(createTopic(first.b, 'half', 6)).rejects.toThrow('CreateTopics failed: UNKNOWN');
  expect(first.lines.join('\n')).not.toMatch(/created topic half/);
  expect(fs.existsSync(path.join(data, 'topics', 'half'))).toBe(false);
  await createTopic(first.b, 'half', 6);
  expect(await offsets(first.b, 'half')).toEqual([0, 0, 0, 0, 0, 0]);
  await first.stop();
  const second = await broker(data);
  expect(await offsets(second.b, 'half')).toHaveLength(6);
});

test('a thousand partitions with data keep open files under the pool cap, and the broker restarts on them', async () => {
  const data = await dir();
  const first = await broker(data);
  const fds = () => fs.readdirSync('/proc/self/fd').length;
  const before = fds();
  await createTopic(first.b, 'wide-topic', 1000);
  const p = client(first.b).producer();
  await p.connect();
  await p.send({
    topic: 'wide-topic',
    messages: Array.from({ length: 1000 }, (_, i) => ({ value: `m${i}`, partition: i })),
  });
  await p.disconnect();
  expect(fds() - before).toBeLessThanOrEqual(segmentFiles.capacity + 50);
  await first.stop();
  const second = await broker(data);
  const highs = await offsets(second.b, 'wide-topic');
  expect(highs).toHaveLength(1000);
  expect(highs.every((h) => h === 1)).toBe(true);
});

test('the partition cap answers INVALID_PARTITIONS, for CreateTopics and CreatePartitions', async () => {
  const data = await dir();
  const { b } = await broker(data, { maxPartitions: 10 });
  await createTopic(b, 'seven', 7);
  await expect(createTopic(b, 'five', 5)).rejects.toThrow('CreateTopics failed: INVALID_PARTITIONS');
  const admin = client(b).admin();
  await admin.connect();
  try {
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic: 'seven', count: 12 }] }),
    ).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
    await admin.createPartitions({ topicPartitions: [{ topic: 'seven', count: 9 }] });
  } finally {
    await admin.disconnect();
  }
  expect(await offsets(b, 'seven')).toHaveLength(9);
  expect(fs.existsSync(path.join(data, 'topics', 'five'))).toBe(false);
});
