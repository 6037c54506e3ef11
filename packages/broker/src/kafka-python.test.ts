/** kafka-python 2.0.2 (Debian python3-kafka, /usr/bin/python3): producer and group consumer. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureDebianPackages, hasPythonModule } from './test-support/debian.js';
import { type TestBroker, testBroker } from './test-support/harness.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./test-support/kafka_python_client.py', import.meta.url));
let broker: TestBroker;

beforeAll(async () => {
  ensureDebianPackages(() => hasPythonModule('kafka'), ['python3-kafka']);
  broker = await testBroker({ defaultPartitions: 2 });
}, 300_000);
afterAll(async () => {
  await broker?.cleanup();
});

test('kafka-python produces with acks=all and consumes in a group with commits', async () => {
  const { stdout } = await run(
    '/usr/bin/python3',
    [script, broker.bootstrap, 'py-topic', 'py-group', '200'],
    {
      timeout: 60_000,
    },
  );
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as {
    acked: number;
    values: string[];
    committed: number;
  };
  expect(out.acked).toBe(200);
  expect(out.values.slice().sort()).toEqual(Array.from({ length: 200 }, (_, i) => `py-${i}`).sort());
  expect(out.committed).toBe(200);
}, 90_000);
