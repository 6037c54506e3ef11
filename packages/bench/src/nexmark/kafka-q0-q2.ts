/**
 * Benchmark (not a test): Nexmark q0–q2 over bids in Kafka (JSON values, embedded broker over TCP)
 * with Sluice's Kafka source against a hand-written kafkajs loop (`consumer.run({eachBatch})`)
 * doing the same work: parse each value, project/filter, collect the output rows in an array.
 *
 *   npm run bench -- nexmark     (or, after a build: node packages/bench/dist/nexmark/kafka-q0-q2.js [events] [partitions] [rounds])
 *
 * q0: SELECT auction, bidder, price, dateTime FROM bid
 * q1: SELECT auction, bidder, price * 0.908 AS price, dateTime FROM bid
 * q2: SELECT auction, price FROM bid WHERE auction % 123 = 0
 * Time = from start() (or consumer.connect) to the last output row, group join and fetch included.
 * raw: SELECT value FROM bid (the source alone, no parsing on either side)
 * Ratio = hand-written time / Sluice time (≥ 1 means Sluice is faster), by wall clock and by the
 * process's CPU time (steadier on a shared machine; the embedded broker's CPU counts on both sides).
 * Optional 4th argument: maxOffsetsPerTrigger for the Sluice side.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBroker } from '@sluice/broker';
import { type DataFrame, getMemoryTable, Session, type StreamingQuery } from '@sluice/engine';
import { Kafka, logLevel } from 'kafkajs';

const EVENTS = Number(process.argv[2] ?? 300_000);
const PARTITIONS = Number(process.argv[3] ?? 4);
const ROUNDS = Number(process.argv[4] ?? 2);
/** Optional maxOffsetsPerTrigger for the Sluice side (smaller batches overlap fetching and processing). */
const MAX_OFFSETS = process.argv[5];

interface Bid {
  auction: number;
  bidder: number;
  price: number;
  dateTime: number;
}

const queries = {
  /** The source alone: the raw value column (no parsing on either side). */
  raw: {
    sql: ['value'],
    where: undefined as string | undefined,
    parse: false,
    hand: (b: Bid, out: unknown[][]) => {
      out.push([b]);
    },
  },
  q0: {
    sql: ['b.auction AS auction', 'b.bidder AS bidder', 'b.price AS price', 'b.dateTime AS dateTime'],
    where: undefined as string | undefined,
    parse: true,
    hand: (b: Bid, out: unknown[][]) => {
      out.push([b.auction, b.bidder, b.price, b.dateTime]);
    },
  },
  q1: {
    sql: ['b.auction AS auction', 'b.bidder AS bidder', 'b.price * 0.908 AS price', 'b.dateTime AS dateTime'],
    where: undefined as string | undefined,
    parse: true,
    hand: (b: Bid, out: unknown[][]) => {
      out.push([b.auction, b.bidder, b.price * 0.908, b.dateTime]);
    },
  },
  q2: {
    sql: ['b.auction AS auction', 'b.price AS price'],
    where: 'b.auction % 123 = 0' as string | undefined,
    parse: true,
    hand: (b: Bid, out: unknown[][]) => {
      if (b.auction % 123 === 0) out.push([b.auction, b.price]);
    },
  },
};
type Q = keyof typeof queries;

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-kafka-'));
  const broker = await startBroker({
    port: 0,
    dataDir: path.join(work, 'broker'),
    groupInitialRebalanceDelayMs: 0,
  });
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'bench', logLevel: logLevel.NOTHING });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bid', numPartitions: PARTITIONS }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.now();
    for (let i = 0; i < EVENTS; i += 10_000) {
      const messages = [];
      for (let j = i; j < Math.min(EVENTS, i + 10_000); j++) {
        const bid: Bid = {
          auction: 1000 + (j % 997),
          bidder: j % 5003,
          price: 100 + (j % 10_000),
          dateTime: 1_700_000_000_000 + j,
        };
        messages.push({ value: JSON.stringify(bid), partition: j % PARTITIONS });
      }
      await producer.send({ topic: 'bid', messages, acks: -1 });
    }
    await producer.disconnect();
    console.log(`produced ${EVENTS} bids in ${PARTITIONS} partitions in ${Date.now() - t0} ms`);

    const session = Session.builder().appName('bench-kafka').create();
    let run = 0;
    const handWritten = async (q: Q): Promise<{ ms: number; cpu: number; rows: number }> => {
      // The clock starts before connect, as Sluice's starts before start() (which connects too).
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      const consumer = kafka.consumer({ groupId: `hand-${++run}`, maxWaitTimeInMs: 500 });
      await consumer.connect();
      await consumer.subscribe({ topics: ['bid'], fromBeginning: true });
      const out: unknown[][] = [];
      let seen = 0;
      const f = queries[q].hand;
      let done!: () => void;
      const finished = new Promise<void>((r) => {
        done = r;
      });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (queries[q].parse) {
            for (const m of batch.messages) f(JSON.parse((m.value as Buffer).toString()) as Bid, out);
          } else {
            for (const m of batch.messages) f(m.value as unknown as Bid, out);
          }
          seen += batch.messages.length;
          if (seen >= EVENTS) done();
        },
      });
      await finished;
      const ms = performance.now() - start;
      const cpu = cpuMs(process.cpuUsage(cpu0));
      await consumer.disconnect();
      return { ms, cpu, rows: out.length };
    };
    const sluice = async (q: Q, expected: number): Promise<{ ms: number; cpu: number; rows: number }> => {
      const name = `bench_${q}_${++run}`;
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      let df: DataFrame = session.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', broker.bootstrap)
        .option('subscribe', 'bid')
        .option('startingOffsets', 'earliest')
        .options(MAX_OFFSETS ? { maxOffsetsPerTrigger: MAX_OFFSETS } : {})
        .load();
      if (queries[q].parse) {
        df = df.selectExpr(
          "from_json(CAST(value AS STRING), 'auction LONG, bidder LONG, price LONG, dateTime LONG') AS b",
        );
      }
      const where = queries[q].where;
      if (where) df = df.where(where);
      const query: StreamingQuery = df
        .selectExpr(...queries[q].sql)
        .writeStream.format('memory')
        .queryName(name)
        .start();
      while ((getMemoryTable(name)?.rows.length ?? 0) < expected) {
        if (query.exception) throw query.exception;
        await new Promise((r) => setTimeout(r, 2));
      }
      const ms = performance.now() - start;
      const cpu = cpuMs(process.cpuUsage(cpu0));
      const rows = getMemoryTable(name)?.rows.length ?? 0;
      if (process.env.BENCH_VERBOSE) {
        for (const p of query.recentProgress)
          console.log(q, p.batchId, p.numInputRows, JSON.stringify(p.durationMs));
      }
      await query.stop();
      getMemoryTable(name)?.clear();
      return { ms, cpu, rows };
    };
    const only = process.env.BENCH_ONLY;
    for (const q of (Object.keys(queries) as Q[]).filter((k) => !only || only.split(',').includes(k))) {
      let bestHand = Number.POSITIVE_INFINITY;
      let bestSluice = Number.POSITIVE_INFINITY;
      let cpuHand = Number.POSITIVE_INFINITY;
      let cpuSluice = Number.POSITIVE_INFINITY;
      let rows = 0;
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate the order so neither side always runs on a warmer (or more fragmented) heap.
        const order = r % 2 === 0 ? ['hand', 'sluice'] : ['sluice', 'hand'];
        for (const side of order.filter((x) => !process.env.BENCH_SIDE || x === process.env.BENCH_SIDE)) {
          if (side === 'hand') {
            const h = await handWritten(q);
            rows = h.rows;
            bestHand = Math.min(bestHand, h.ms);
            cpuHand = Math.min(cpuHand, h.cpu);
          } else {
            const expected = q === 'q2' ? expectedQ2() : EVENTS;
            const s = await sluice(q, expected);
            if (s.rows !== expected) throw new Error(`${q}: ${s.rows} rows, expected ${expected}`);
            bestSluice = Math.min(bestSluice, s.ms);
            cpuSluice = Math.min(cpuSluice, s.cpu);
          }
          if (global.gc) global.gc();
        }
      }
      console.log(
        `${q}: ${rows} rows  hand-written kafkajs ${bestHand.toFixed(0)} ms (${((EVENTS / bestHand) * 1000).toFixed(0)} ev/s)  ` +
          `sluice ${bestSluice.toFixed(0)} ms (${((EVENTS / bestSluice) * 1000).toFixed(0)} ev/s)  ratio ${(bestHand / bestSluice).toFixed(2)}x; ` +
          `process CPU (broker included) hand ${cpuHand.toFixed(0)} ms sluice ${cpuSluice.toFixed(0)} ms ratio ${(cpuHand / cpuSluice).toFixed(2)}x`,
      );
    }
  } finally {
    await broker.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function expectedQ2(): number {
  let n = 0;
  for (let j = 0; j < EVENTS; j++) if ((1000 + (j % 997)) % 123 === 0) n++;
  return n;
}

await main();
