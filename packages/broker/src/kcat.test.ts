/** librdkafka through Debian's kcat: metadata, produce, consume, balanced consumer group. */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureDebianPackages, hasCommand } from './test-support/debian.js';
import { type TestBroker, testBroker } from './test-support/harness.js';

const run = promisify(execFile);
let broker: TestBroker;

beforeAll(async () => {
  ensureDebianPackages(() => hasCommand('kcat'), ['kcat']);
  broker = await testBroker({ defaultPartitions: 3 });
}, 300_000);
afterAll(async () => {
  await broker?.cleanup();
});

function kcatWithInput(args: string[], input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    p.stdin.end(input);
  });
}

test('kcat -P then -C and -L', async () => {
  const lines = Array.from({ length: 500 }, (_, i) => `key${i % 10}:value-${i}`);
  const produced = await kcatWithInput(
    ['-b', broker.bootstrap, '-P', '-t', 'kc', '-K', ':', '-X', 'acks=all'],
    `${lines.join('\n')}\n`,
  );
  expect(produced.stderr).toBe('');
  expect(produced.code).toBe(0);

  const { stdout: meta } = await run('kcat', ['-b', broker.bootstrap, '-L', '-t', 'kc']);
  expect(meta).toContain(`broker 1 at ${broker.bootstrap} (controller)`);
  expect(meta).toContain('topic "kc" with 3 partitions');

  const { stdout } = await run('kcat', [
    '-b',
    broker.bootstrap,
    '-C',
    '-t',
    'kc',
    '-o',
    'beginning',
    '-e',
    '-q',
    '-f',
    '%k=%s %p %o\\n',
  ]);
  const got = stdout.trim().split('\n');
  expect(got).toHaveLength(500);
  expect(got.map((l) => l.split(' ')[0]).sort()).toEqual(lines.map((l) => l.replace(':', '=')).sort());
  // One key, one partition; offsets per partition dense from 0.
  const perPartition = new Map<string, number[]>();
  const keyPart = new Map<string, string>();
  for (const l of got) {
    const [kv, p, o] = l.split(' ') as [string, string, string];
    perPartition.set(p, [...(perPartition.get(p) ?? []), Number(o)]);
    const k = kv.split('=')[0]!;
    expect(keyPart.get(k) ?? p).toBe(p);
    keyPart.set(k, p);
  }
  for (const offs of perPartition.values()) expect(offs).toEqual(offs.map((_, i) => i));
}, 60_000);

test('kcat -C with zstd-, lz4-, snappy- and gzip-compressed batches stored unopened', async () => {
  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    const topic = `kc-${codec}`;
    const input = `${Array.from({ length: 100 }, (_, i) => `${codec}-${i}`).join('\n')}\n`;
    const r = await kcatWithInput(['-b', broker.bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec], input);
    expect(r.code).toBe(0);
    const { stdout } = await run('kcat', [
      '-b',
      broker.bootstrap,
      '-C',
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
    ]);
    expect(stdout.trim().split('\n')).toEqual(input.trim().split('\n'));
  }
}, 60_000);

test('kcat -G balanced consumer group consumes everything and commits', async () => {
  const input = `${Array.from({ length: 90 }, (_, i) => `g${i}`).join('\n')}\n`;
  await kcatWithInput(['-b', broker.bootstrap, '-P', '-t', 'kg'], input);
  const { stdout } = await run(
    'kcat',
    [
      '-b',
      broker.bootstrap,
      '-G',
      'kcat-group',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-X',
      'enable.auto.commit=true',
      'kg',
    ],
    { timeout: 45_000 },
  );
  expect(stdout.trim().split('\n').sort()).toEqual(input.trim().split('\n').sort());
}, 60_000);
