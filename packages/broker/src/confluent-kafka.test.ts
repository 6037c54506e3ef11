/** librdkafka's transactional producer (Debian python3-confluent-kafka) and a read_committed consumer. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureDebianPackages, hasPythonModule } from './test-support/debian.js';
import { type TestBroker, testBroker } from './test-support/harness.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./test-support/confluent_txn_client.py', import.meta.url));
let broker: TestBroker;

beforeAll(async () => {
  ensureDebianPackages(() => hasPythonModule('confluent_kafka'), ['python3-confluent-kafka']);
  broker = await testBroker();
}, 300_000);
afterAll(async () => {
  await broker?.cleanup();
});

test('confluent-kafka transactions: commit, abort, send_offsets_to_transaction', async () => {
  const { stdout } = await run('/usr/bin/python3', [script, broker.bootstrap, 'ck-topic'], {
    timeout: 60_000,
  });
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as { read_committed: string[]; committed: number };
  expect(out.read_committed).toEqual(['commit-0', 'commit-1', 'commit-2', 'commit-3', 'commit-4']);
  expect(out.committed).toBe(3);
  // kafkajs read_committed sees both committed transactions and none of the aborted one.
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: 'ck-verify', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'ck-topic', fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString());
        if (values.length === 6) resolve();
      },
    });
  });
  await consumer.disconnect();
  expect(values).toEqual(['commit-0', 'commit-1', 'commit-2', 'commit-3', 'commit-4', 'commit-last']);
}, 90_000);
