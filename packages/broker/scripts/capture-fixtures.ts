/**
 * Regenerates the protocol fixtures from REAL clients: a recording proxy sits between kafkajs,
 * kcat (librdkafka) and kafka-python and the broker, and the first request/response of every
 * (API, version) seen is written to src/protocol/requests/<api>/fixtures/v<N>_{request,response}.bin
 * with the decoded objects in v<N>.json. Run: node --import tsx scripts/capture-fixtures.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../src/broker.js';
import { apisByKey } from '../src/protocol/apis.js';
import { isFlexible, readRequestHeader } from '../src/protocol/frame.js';
import { Reader } from '../src/protocol/reader.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const folderOf = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

interface Captured {
  client: string;
  request: Buffer;
  response?: Buffer;
}
const captured = new Map<string, Captured>();
let currentClient = 'kafkajs';

function frames(onFrame: (f: Buffer) => void): (d: Buffer) => void {
  let buf = Buffer.alloc(0);
  return (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
      const size = buf.readInt32BE(0);
      onFrame(Buffer.from(buf.subarray(4, 4 + size)));
      buf = buf.subarray(4 + size);
    }
  };
}

/** How many versions below the broker's maximum the proxy advertises (to make clients use them). */
let downgrade = 0;

/** Rewrites an ApiVersions v0–v2 response in place: every max version lowered by `by` (not below min). */
function capVersions(f: Buffer, by: number): void {
  const errorCode = f.readInt16BE(4);
  if (errorCode !== 0) return;
  const n = f.readInt32BE(6);
  for (let i = 0; i < n; i++) {
    const at = 10 + i * 6;
    const min = f.readInt16BE(at + 2);
    const max = f.readInt16BE(at + 4);
    f.writeInt16BE(Math.max(min, max - by), at + 4);
  }
}

function startProxy(target: () => number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(target(), '127.0.0.1');
    const inflight = new Map<number, string>();
    const apiVersionsRequests = new Set<number>();
    client.on(
      'data',
      frames((f) => {
        const r = new Reader(f);
        const h = readRequestHeader(r);
        const spec = apisByKey.get(h.apiKey);
        if (h.apiKey === 18 && h.apiVersion <= 2) apiVersionsRequests.add(h.correlationId);
        if (spec?.versions[h.apiVersion]) {
          if (isFlexible(spec, h.apiVersion)) r.taggedFields();
          const key = `${h.apiKey}:${h.apiVersion}`;
          if (!captured.has(key)) {
            captured.set(key, { client: currentClient, request: f.subarray(r.pos) });
            inflight.set(h.correlationId, key);
          }
        }
        const size = Buffer.alloc(4);
        size.writeInt32BE(f.length);
        upstream.write(Buffer.concat([size, f]));
      }),
    );
    upstream.on(
      'data',
      frames((f) => {
        const corr = f.readInt32BE(0);
        const key = inflight.get(corr);
        if (key) {
          inflight.delete(corr);
          const c = captured.get(key)!;
          const [apiKey, version] = key.split(':').map(Number) as [number, number];
          const spec = apisByKey.get(apiKey)!;
          const headerLen = 4 + (apiKey !== 18 && isFlexible(spec, version) ? 1 : 0);
          c.response = Buffer.from(f.subarray(headerLen));
        }
        if (apiVersionsRequests.delete(corr) && downgrade > 0) capVersions(f, downgrade);
        const size = Buffer.alloc(4);
        size.writeInt32BE(f.length);
        client.write(Buffer.concat([size, f]));
      }),
    );
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs a client asynchronously: the broker and proxy live in this process's event loop. */
function runCmd(cmd: string, args: string[], input = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'inherit'] });
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
    });
    p.stdin.end(input);
  });
}

function toJson(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return { $hex: v.toString('hex') };
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: timed out at step ${step}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
let step = '';

async function kafkajsScenario(bootstrap: string, sfx: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'fixtures',
    brokers: [bootstrap],
    logLevel: process.env.FIXTURES_LOG ? logLevel.ERROR : logLevel.NOTHING,
  });
  const admin = kafka.admin();
  step = 'admin.connect';
  await admin.connect();
  step = 'admin.createTopics';
  await admin.createTopics({ topics: [{ topic: `fx${sfx}`, numPartitions: 2 }] });
  step = 'admin.createPartitions';
  await admin.createPartitions({ topicPartitions: [{ topic: `fx${sfx}`, count: 3 }] });
  step = 'admin.describeConfigs';
  await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: `fx${sfx}` }] });
  const producer = kafka.producer({
    transactionalId: `fx-tx${sfx}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  step = 'producer.connect';
  await producer.connect();
  const tx = await producer.transaction();
  step = 'tx.send';
  await tx.send({ topic: `fx${sfx}`, messages: [{ key: 'k', value: 'v', headers: { h: '1' } }] });
  step = 'tx.sendOffsets';
  await tx.sendOffsets({
    consumerGroupId: `fx-g${sfx}`,
    topics: [{ topic: `fx${sfx}`, partitions: [{ partition: 0, offset: '1' }] }],
  });
  step = 'tx.commit';
  await tx.commit();
  step = 'producer.disconnect';
  await producer.disconnect();
  // kafkajs has no OffsetFetch v0, so its consumer cannot run once versions are capped that low.
  if (downgrade <= 4) {
    const consumer = kafka.consumer({ groupId: `fx-g${sfx}`, maxWaitTimeInMs: 100 });
    step = 'consumer';
    await consumer.connect();
    await consumer.subscribe({ topic: `fx${sfx}`, fromBeginning: true });
    let got = 0;
    await consumer.run({ eachMessage: async () => void got++ });
    while (got < 1) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    await consumer.disconnect();
  }
  step = 'admin.describeGroups';
  await admin.describeGroups([`fx-g${sfx}`]);
  step = 'admin.listGroups';
  await admin.listGroups();
  step = 'admin.fetchTopicOffsetsByTimestamp';
  await admin.fetchTopicOffsetsByTimestamp(`fx${sfx}`, Date.now());
  step = 'admin.fetchTopicMetadata';
  await admin.fetchTopicMetadata({ topics: [`fx${sfx}`] });
  step = 'admin.deleteTopicRecords';
  await admin.deleteTopicRecords({ topic: `fx${sfx}`, partitions: [{ partition: 0, offset: '0' }] });
  step = 'admin.deleteGroups';
  await admin.deleteGroups([`fx-g${sfx}`]);
  step = 'admin.createTopics';
  await admin.createTopics({ topics: [{ topic: `fx-del${sfx}` }] });
  step = 'admin.deleteTopics';
  await admin.deleteTopics({ topics: [`fx-del${sfx}`] });
  step = 'admin.disconnect';
  await admin.disconnect();
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fixtures-'));
  let brokerPort = 0;
  const proxy = await startProxy(() => brokerPort);
  const proxyPort = (proxy.address() as net.AddressInfo).port;
  const broker = await startBroker({ port: 0, dataDir, advertisedPort: proxyPort, defaultPartitions: 2 });
  brokerPort = broker.port;
  const bootstrap = `127.0.0.1:${proxyPort}`;

  currentClient = 'kafkajs';
  await kafkajsScenario(bootstrap, '');
  // kafkajs uses min(its max, the broker's max): a proxy advertising lower maxima makes it send
  // (and read) older versions of every API.
  // Beyond 5 kafkajs itself gives up (Metadata v0 has no controller id).
  for (downgrade = 1; downgrade <= 5; downgrade++) {
    currentClient = `kafkajs (versions capped at max-${downgrade})`;
    console.error(`… ${currentClient}`);
    await withTimeout(kafkajsScenario(bootstrap, `-d${downgrade}`), 60_000, currentClient);
  }
  downgrade = 0;

  if (spawnSync('sh', ['-c', 'command -v kcat']).status === 0) {
    currentClient = 'kcat';
    await runCmd('kcat', ['-b', bootstrap, '-L']);
    await runCmd('kcat', ['-b', bootstrap, '-P', '-t', 'fx-kcat', '-p', '0'], 'a\nb\n');
    await runCmd('kcat', ['-b', bootstrap, '-C', '-t', 'fx-kcat', '-o', 'beginning', '-e', '-q']);
    await runCmd('kcat', ['-b', bootstrap, '-G', 'fx-kcat-g', '-o', 'beginning', '-e', '-q', 'fx-kcat']);
  }
  if (spawnSync('/usr/bin/python3', ['-c', 'import kafka']).status === 0) {
    currentClient = 'kafka-python';
    const script = path.join(root, 'src/test-support/kafka_python_client.py');
    await runCmd('/usr/bin/python3', [script, bootstrap, 'fx-py', 'fx-py-g', '3']);
    // Pinned protocol generations make kafka-python use older versions of each API.
    for (const v of ['0.11.0', '1.0.0', '1.1.0', '2.0.0', '2.1.0']) {
      currentClient = `kafka-python (api_version ${v})`;
      await runCmd('/usr/bin/python3', [script, bootstrap, `fx-py-${v}`, `fx-py-g-${v}`, '3', v]);
    }
  }

  let written = 0;
  for (const [key, c] of [...captured].sort()) {
    if (!c.response) continue;
    const [apiKey, version] = key.split(':').map(Number) as [number, number];
    const spec = apisByKey.get(apiKey)!;
    const codecs = spec.versions[version]!;
    const dir = path.join(root, 'src/protocol/requests', folderOf(spec.name), 'fixtures');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `v${version}_request.bin`), c.request);
    fs.writeFileSync(path.join(dir, `v${version}_response.bin`), c.response);
    const request = codecs.request.read(new Reader(c.request));
    const response = codecs.response.read(new Reader(c.response));
    fs.writeFileSync(
      path.join(dir, `v${version}.json`),
      `${JSON.stringify({ client: c.client, request: toJson(request), response: toJson(response) }, null, 2)}\n`,
    );
    written++;
    console.log(`${spec.name} v${version} (${c.client})`);
  }
  console.log(`${written} fixtures written`);
  proxy.close();
  await broker.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
