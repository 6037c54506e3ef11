/**
 * bench:broker — produce/consume throughput of the embedded broker with kcat (librdkafka) and
 * kafkajs for 100-byte and 1-KiB messages, and kafkajs produce latency, printed as tables. Each
 * throughput is also printed as a ratio of raw TCP loopback throughput measured in the same run.
 * The "wire" rows use pre-encoded requests: the broker's own ceiling, without client encoding cost.
 * Scale with BENCH_BROKER_SCALE (default 1 → 200k × 100 B and 50k × 1 KiB per client).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBrokerProcess } from './child-broker.js';
import { highWatermark, kafkajsConsume, kafkajsLatency, kafkajsProduce } from './kafkajs.js';
import { kcatConsume, kcatProduce, writeLines } from './kcat.js';
import { loopbackMBps } from './loopback.js';
import { mbPerSec, msgsPerSec, type Throughput, table } from './stats.js';
import { wireConsume, wireProduce } from './wire.js';

const scale = Number(process.env.BENCH_BROKER_SCALE ?? '1');
const REPEATS = Number(process.env.BENCH_BROKER_REPEATS ?? '3');
const sizes = [
  { bytes: 100, count: Math.round(200_000 * scale) },
  { bytes: 1024, count: Math.round(50_000 * scale) },
];

/** A run only counts when the broker holds every message the client said it produced. */
async function expectStored(bootstrap: string, topic: string, count: number): Promise<void> {
  const hw = await highWatermark(bootstrap, topic);
  if (hw !== count) throw new Error(`${topic}: broker holds ${hw} messages, expected ${count}`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-broker-'));
  const broker = await startBrokerProcess(path.join(dir, 'data'));
  console.log(
    `broker pid ${broker.pid} on ${broker.bootstrap}; node ${process.version}; ${os.cpus().length} cpu(s)`,
  );
  const results: Throughput[] = [];
  // The loopback baseline is taken before and after the runs (the machine is shared) and averaged.
  const baselineBefore = await loopbackMBps(256 * 1024 * 1024);
  try {
    const hasKcat = spawnSync('sh', ['-c', 'command -v kcat']).status === 0;
    // Each row is the median of REPEATS runs (fresh topic each), since the machine is shared.
    const median = async (run: (rep: number) => Promise<Throughput[]>) => {
      const reps: Throughput[][] = [];
      for (let rep = 0; rep < REPEATS; rep++) reps.push(await run(rep));
      return reps[0]!.map((_, i) => {
        const sorted = reps.map((r) => r[i]!).sort((a, b) => a.seconds - b.seconds);
        return sorted[Math.floor(sorted.length / 2)]!;
      });
    };
    for (const { bytes, count } of sizes) {
      if (hasKcat) {
        const file = writeLines(dir, bytes, count);
        results.push(
          ...(await median(async (rep) => {
            const topic = `kcat-${bytes}-${rep}`;
            const produced = await kcatProduce(broker.bootstrap, topic, file, bytes, count);
            await expectStored(broker.bootstrap, topic, count);
            return [produced, await kcatConsume(broker.bootstrap, topic, bytes, count)];
          })),
        );
        fs.rmSync(file);
      } else {
        console.log('kcat not installed: skipping the kcat rows (apt-get install kcat)');
      }
      results.push(
        ...(await median(async (rep) => {
          const topic = `wire-${bytes}-${rep}`;
          const produced = await wireProduce(broker.bootstrap, topic, bytes, count);
          await expectStored(broker.bootstrap, topic, count);
          return [produced, await wireConsume(broker.bootstrap, topic, bytes, count)];
        })),
      );
      results.push(
        ...(await median(async (rep) => {
          const topic = `kafkajs-${bytes}-${rep}`;
          const produced = await kafkajsProduce(broker.bootstrap, topic, bytes, count);
          await expectStored(broker.bootstrap, topic, count);
          return [produced, await kafkajsConsume(broker.bootstrap, topic, bytes, count)];
        })),
      );
    }
    const latency = await kafkajsLatency(
      broker.bootstrap,
      'latency',
      100,
      Math.round(2000 * Math.max(scale, 0.25)),
    );
    const baselineAfter = await loopbackMBps(256 * 1024 * 1024);
    const baseline = (baselineBefore + baselineAfter) / 2;

    console.log(
      `\nThroughput (one partition, acks=all, fsync=interval; median of ${REPEATS}; ratio = MB/s ÷ raw TCP loopback MB/s)`,
    );
    console.log(
      table(
        ['client', 'phase', 'msg size', 'messages', 'seconds', 'MB/s', 'msgs/s', 'vs loopback'],
        results.map((r) => [
          r.client,
          r.phase,
          r.messageBytes === 1024 ? '1 KiB' : `${r.messageBytes} B`,
          r.messages,
          r.seconds.toFixed(2),
          mbPerSec(r).toFixed(1),
          Math.round(msgsPerSec(r)).toLocaleString('en-US'),
          `${(mbPerSec(r) / baseline).toFixed(3)}×`,
        ]),
      ),
    );
    console.log(
      `raw TCP loopback baseline: ${baseline.toFixed(0)} MB/s (before ${baselineBefore.toFixed(0)}, after ${baselineAfter.toFixed(0)})`,
    );
    console.log('\nProduce latency (kafkajs, one 100 B message per request, acks=all, sequential)');
    console.log(
      table(
        ['p50 ms', 'p99 ms', 'max ms'],
        [[latency.p50.toFixed(2), latency.p99.toFixed(2), latency.max.toFixed(2)]],
      ),
    );
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
