/**
 * Benchmark (not a test): the price of dead-lettering. Kafka → parse JSON (the source's
 * `valueFormat`) → project → Kafka, over the same number of records, once with 1% malformed records
 * dead-lettered and once with none. Both runs are checked to do the same work (every good record in
 * the output topic, every bad one in the dead-letter topic) before the rates and their ratio print.
 *
 *   npm run bench -- deadletters      (SLUICE_BENCH_DLQ_RECORDS to change the size, default 200,000)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Session } from '@sluice/engine';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { startBrokerProcess } from '../broker/child-broker.js';

const RECORDS = Number(process.env.SLUICE_BENCH_DLQ_RECORDS ?? 200_000);
const RUNS = 3;
const PARTITIONS = 4;

function record(i: number, bad: boolean): string {
  if (bad) return `{"id": ${i}, "user": "u${i % 1000}", "amount": `;
  return JSON.stringify({ id: i, user: `u${i % 1000}`, amount: (i % 10_000) / 100, note: 'x'.repeat(40) });
}

async function topicSize(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, o) => n + Number(o.high), 0);
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-dlq-'));
  const broker = await startBrokerProcess(path.join(work, 'broker'));
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'bench-dlq', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const inputs = { clean: 'dlq-bench-clean', dirty: 'dlq-bench-dirty' };
    await admin.createTopics({
      topics: Object.values(inputs).map((topic) => ({ topic, numPartitions: PARTITIONS })),
      waitForLeaders: true,
    });
    const producer = kafka.producer();
    await producer.connect();
    for (const [kind, topic] of Object.entries(inputs)) {
      for (let i = 0; i < RECORDS; i += 5000) {
        const messages = [];
        for (let j = i; j < Math.min(RECORDS, i + 5000); j++)
          messages.push({ value: record(j, kind === 'dirty' && j % 100 === 7), partition: j % PARTITIONS });
        await producer.send({ topic, messages, acks: -1 });
      }
    }
    await producer.disconnect();
    const bad = Math.floor((RECORDS - 8) / 100) + 1;

    let seq = 0;
    const run = async (kind: 'clean' | 'dirty'): Promise<number> => {
      const name = `dlq_bench_${kind}_${++seq}`;
      const out = `${name}-out`;
      await admin.createTopics({ topics: [{ topic: out, numPartitions: PARTITIONS }], waitForLeaders: true });
      const session = Session.builder().appName(name).create();
      const start = performance.now();
      const q = session.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', broker.bootstrap)
        .option('subscribe', inputs[kind])
        .option('startingOffsets', 'earliest')
        .option('valueFormat', 'json')
        .option('schema', 'id BIGINT, user STRING, amount DOUBLE, note STRING')
        .load()
        .selectExpr("to_json(named_struct('id', id, 'user', user, 'amount', amount)) AS value")
        .writeStream.format('kafka')
        .queryName(name)
        .option('kafka.bootstrap.servers', broker.bootstrap)
        .option('topic', out)
        .option('checkpointLocation', fs.mkdtempSync(path.join(work, 'cp-')))
        .option('onError', 'deadletter')
        .start();
      await q.processAllAvailable();
      const ms = performance.now() - start;
      await q.stop();
      const good = await topicSize(admin, out);
      const letters = kind === 'dirty' ? await topicSize(admin, `${name}.dlq`) : 0;
      const expectGood = kind === 'dirty' ? RECORDS - bad : RECORDS;
      const expectBad = kind === 'dirty' ? bad : 0;
      if (good !== expectGood || letters !== expectBad) {
        throw new Error(
          `${kind}: ${good} output and ${letters} dead letters, expected ${expectGood} and ${expectBad}`,
        );
      }
      return (RECORDS / ms) * 1000;
    };
    const rates: Record<'clean' | 'dirty', number[]> = { clean: [], dirty: [] };
    for (let r = 0; r < RUNS; r++) {
      // Alternate the order so neither side always runs on the warmer heap.
      for (const kind of r % 2 === 0 ? (['clean', 'dirty'] as const) : (['dirty', 'clean'] as const)) {
        rates[kind].push(await run(kind));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const clean = median(rates.clean);
    const dirty = median(rates.dirty);
    console.log(
      `dead letters: ${RECORDS} records, Kafka → parse JSON → project → Kafka (median of ${RUNS})\n` +
        `  no bad records:            ${Math.round(clean).toLocaleString('en-US')} records/s\n` +
        `  1% dead-lettered (${bad}):  ${Math.round(dirty).toLocaleString('en-US')} records/s\n` +
        `  ratio: ${(dirty / clean).toFixed(2)}× (outputs and dead-letter topics checked)`,
    );
  } finally {
    await admin.disconnect();
    await broker.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
