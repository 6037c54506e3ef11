/**
 * Benchmark (not a test): the Nexmark suite Kafka → Sluice → Kafka, with the baselines measured in
 * the same run on the same events and the same client settings.
 *
 *   npm run bench -- nexmark            quick mode (about ten minutes)
 *   npm run bench -- nexmark --full     the long one
 *   (after a build: node packages/bench/dist/nexmark/run.js [--full]; NEXMARK_EVENTS, NEXMARK_RUNS,
 *    NEXMARK_QUERIES=q0,q1, NEXMARK_SYSTEMS=sluice, NEXMARK_LATENCY=0, NEXMARK_LATENCY_RUNS,
 *    NEXMARK_LATENCY_RATE, NEXMARK_LATENCY_SECONDS, NEXMARK_VERBOSE=1, NEXMARK_PROFILE=dir,
 *    NEXMARK_PROFILE_ALLOCATIONS=1, NEXMARK_RESULTS=file instead of results/latest.json and
 *    KAFKA_BROKERS=host:port to use an existing cluster)
 *
 * Systems, per query:
 *  - sluice: the query's SQL over a Kafka source, `to_json(struct(*))` into a Kafka sink;
 *  - kafkajs: a hand-written consumer → JSON.parse → the same projection/filter (q5: windowed counts
 *    by hand) → producer program;
 *  - limit: the platform's limit, the same bytes read, `JSON.parse` and `JSON.stringify`, nothing else.
 * Sluice's and kafkajs's outputs are read back and compared (record count and an order-independent
 * checksum of the normalised records) before a ratio is printed. Each system runs NEXMARK_RUNS times,
 * its runs alternating with the other systems' of the query; the median is reported with min and
 * max. "vs kafkajs" is the median of the alternating pairs' ratios; the queries whose target is a
 * ratio to Sluice's own q0 (q3, q5, q7, q8) alternate their runs with q0 runs, and "vs own q0" is
 * likewise the median of those pairs'. The broker runs in its own process, so process CPU is the
 * system's own. Latency (q0, q1): after a warm-up (200 events, until a first output comes back), a
 * separate producer process writes at half the measured peak rate with each event's `dateTime` set
 * to the time it is produced, for 2 s (5 s in full mode) before the measured 5 s (20 s): the first
 * second at a new rate pays for compiling and heap growth in every process. p50/p99 of the output
 * record's timestamp − dateTime, read by a process of its own (latency-reader.ts) so that reading
 * the output does not run on the measured system's event loop. Sluice is measured with the default
 * trigger, with the default trigger and `asyncProgressTrackingEnabled`, and with the continuous
 * trigger; for q0 also the harness's floor (no system: the reader takes the input as it arrives).
 * Each latency is measured NEXMARK_LATENCY_RUNS (3) times in rounds; the median is reported, with the
 * p99's min and max.
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  constants,
  monitorEventLoopDelay,
  type PerformanceEntry as PerfEntry,
  PerformanceObserver,
} from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session, type StreamingQuery, type StreamingQueryListener } from '@sluice/engine';
import { type Admin, type Batch, Kafka, logLevel, type Producer } from 'kafkajs';
import { startBrokerProcess } from '../broker/child-broker.js';
import { EVENT_SCHEMA_DDL, type NexmarkEvent } from './generator.js';
import type { ReaderMessage, ReaderReport } from './latency-reader.js';
import { produceEvents } from './producer.js';
import { type HandProgram, NEXMARK_QUERIES, type NexmarkQuery, WATERMARK_DELAY_MS } from './queries.js';

const FULL = process.argv.includes('--full');
const EVENTS = Number(process.env.NEXMARK_EVENTS ?? (FULL ? 2_000_000 : 200_000));
const RUNS = Number(process.env.NEXMARK_RUNS ?? (FULL ? 5 : 3));
const PARTITIONS = 4;
/** Seconds of measured events per latency run (NEXMARK_LATENCY_SECONDS; the tests use 1). */
const LATENCY_SECONDS = Number(process.env.NEXMARK_LATENCY_SECONDS ?? (FULL ? 20 : 5));
/** Each latency measurement is repeated this many times (the median is reported, p99's min and max beside). */
const LATENCY_RUNS = Number(process.env.NEXMARK_LATENCY_RUNS ?? 3);
/**
 * Seconds at the measured rate before the latencies count: the first second at a new rate paid for
 * compiling the code paths and growing the heap of every process in it (system, broker, producer).
 */
const LATENCY_WARM_UP_SECONDS = FULL ? 5 : 2;
const ONLY = process.env.NEXMARK_QUERIES?.split(',');
/** For profiling one side: NEXMARK_SYSTEMS=sluice (the checks against kafkajs then do not run). */
const SYSTEMS = process.env.NEXMARK_SYSTEMS?.split(',') ?? ['sluice', 'kafkajs', 'limit'];
const LATENCY = process.env.NEXMARK_LATENCY !== '0';
/**
 * NEXMARK_LATENCY_RATE=events/s: measure the latencies of both systems at this one rate instead of
 * at half of each system's own peak (compares them under the same load).
 */
const LATENCY_RATE = process.env.NEXMARK_LATENCY_RATE ? Number(process.env.NEXMARK_LATENCY_RATE) : undefined;
/**
 * NEXMARK_PROFILE=dir: a CPU profile of each measured run (not of loading the input) and of each
 * latency run of a system in this process, into dir.
 */
const PROFILE_DIR = process.env.NEXMARK_PROFILE;
/**
 * NEXMARK_PROFILE_ALLOCATIONS=1: allocation profiles (`.heapprofile`, every sampled allocation
 * including the collected ones) instead of CPU profiles.
 */
const ALLOCATIONS = process.env.NEXMARK_PROFILE_ALLOCATIONS === '1';
/** Fetch settings both sides use (kafkajs names; Sluice gets them as kafka.* options). */
const FETCH = {
  maxBytesPerPartition: 8 * 1024 * 1024,
  maxBytes: 52_428_800,
  maxWaitTimeInMs: 100,
  minBytes: 1,
};

type System = 'sluice' | 'kafkajs' | 'limit';

interface Output {
  count: number;
  checksum: string;
}

interface Measured {
  ms: number;
  cpuMs: number;
  heapPeakMb: number;
  outTopic?: string;
  stateRows?: number;
  output?: Output;
}

interface Row {
  query: string;
  system: System;
  events: number;
  eventsPerSec: number;
  eventsPerSecMin: number;
  eventsPerSecMax: number;
  eventsPerCpuSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  heapPeakMb: number;
  stateRows: number | null;
  outputRecords: number | null;
  checksum: string | null;
  /**
   * For the queries whose target is a ratio to Sluice's q0: the median over their runs of the run's
   * rate / the rate of a q0 run taken right after it (alternating, so a phase of the machine falls
   * on both sides), with its min and max.
   */
  vsOwnQ0?: number;
  vsOwnQ0Min?: number;
  vsOwnQ0Max?: number;
  /** The query's target for `vsOwnQ0` (the ratio must be at least this). */
  targetVsQ0?: number;
  /**
   * For the queries with a hand-written program: the median over the runs of Sluice's rate / the
   * rate of the kafkajs run right after it (the runs alternate), with its min and max.
   */
  vsKafkajs?: number;
  vsKafkajsMin?: number;
  vsKafkajsMax?: number;
  /** The p99's smallest and largest value over the latency runs (p99Ms is their median). */
  p99MinMs?: number;
  p99MaxMs?: number;
  /** q0/q1 with the default trigger and asyncProgressTrackingEnabled: end-to-end latency. */
  asyncProgressP50Ms?: number;
  asyncProgressP99Ms?: number;
  /** q0/q1 with the continuous trigger: end-to-end latency at half the peak rate. */
  continuousP50Ms?: number;
  continuousP99Ms?: number;
  error?: string;
}

interface LatencyFloor {
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p99MinMs: number;
  p99MaxMs: number;
}

let topicSeq = 0;
/** The run's temp dir (the broker's data, the queries' checkpoints), removed at the end. */
let workDir = os.tmpdir();
/** When the current latency run's measured events started (epoch ms; verbose runs print times after it). */
let measureFromMs = Number.POSITIVE_INFINITY;
/** The broker's process (verbose latency runs report its CPU share). */
let brokerPid: number | undefined;

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-nexmark-'));
  workDir = work;
  const external = process.env.KAFKA_BROKERS;
  const broker = external ? undefined : await startBrokerProcess(path.join(work, 'broker'));
  const bootstrap = external ?? broker!.bootstrap;
  brokerPid = broker?.pid;
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'nexmark', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const rows: Row[] = [];
  let latencyFloor: LatencyFloor | undefined;
  let failed = false;
  try {
    const input = `nexmark-events-${Date.now()}`;
    await createTopic(admin, input);
    const producer = kafka.producer();
    await producer.connect();
    const produceMs = await produceEvents({
      producer,
      topic: input,
      partitions: PARTITIONS,
      events: EVENTS,
      rate: 0,
      wallClockTime: false,
    });
    await producer.disconnect();
    const rawConsume = await measureRawConsume(kafka, input);
    console.log(
      `input: ${EVENTS} events in ${PARTITIONS} partitions; broker (own process): produce ${fmt(rate(EVENTS, produceMs))} ev/s, ` +
        `consume (no parsing) ${fmt(rate(EVENTS, rawConsume))} ev/s`,
    );

    if (SYSTEMS.includes('limit'))
      rows.push(
        summarize(
          'all',
          'limit',
          (await repeat([{ label: 'limit', run: () => runLimit(kafka, input) }]))[0]!,
        ),
      );
    const settle = (m: Measured) => withOutput(kafka, admin, m);
    const q0 = NEXMARK_QUERIES.find((x) => x.name === 'q0')!;
    for (const q of NEXMARK_QUERIES.filter((x) => !ONLY || ONLY.includes(x.name))) {
      const systems: Runner[] = [
        {
          label: `${q.name}-sluice`,
          run: () => runSluice(q, bootstrap, admin, input),
          output: settle,
        },
      ];
      const withHand = q.hand !== undefined && SYSTEMS.includes('kafkajs');
      if (withHand)
        systems.push({
          label: `${q.name}-kafkajs`,
          run: () => runKafkajs(q, kafka, admin, input),
          output: settle,
        });
      // A target relative to Sluice's own q0: q0 runs alternate with the query's.
      const pairedWithQ0 = q.targetVsQ0 !== undefined;
      if (pairedWithQ0)
        systems.push({
          label: `${q.name}-paired-q0`,
          run: () => runSluice(q0, bootstrap, admin, input),
          output: async (m) => {
            if (m.outTopic) await deleteTopics(admin, [m.outTopic]);
            return m;
          },
        });
      let runs: Measured[][];
      try {
        runs = await repeat(systems);
      } catch (e) {
        const msg = (e as Error).message.split('\n')[0]!;
        console.log(`${q.name}: not run — ${msg}`);
        rows.push({ ...emptyRow(q.name, 'sluice'), error: msg });
        continue;
      }
      const sRow = summarize(q.name, 'sluice', runs[0]!);
      const sOut = outputOfRuns(runs[0]!);
      sRow.outputRecords = sOut.count;
      sRow.checksum = sOut.checksum;
      rows.push(sRow);
      if (pairedWithQ0) {
        const ratio = pairedRatio(runs[0]!, runs.at(-1)!);
        Object.assign(sRow, {
          vsOwnQ0: ratio.median,
          vsOwnQ0Min: ratio.min,
          vsOwnQ0Max: ratio.max,
          targetVsQ0: q.targetVsQ0,
        });
      }
      if (withHand) {
        const hand = runs[1]!;
        const ratio = pairedRatio(runs[0]!, hand);
        Object.assign(sRow, { vsKafkajs: ratio.median, vsKafkajsMin: ratio.min, vsKafkajsMax: ratio.max });
        const hRow = summarize(q.name, 'kafkajs', hand);
        const hOut = outputOfRuns(hand);
        hRow.outputRecords = hOut.count;
        hRow.checksum = hOut.checksum;
        rows.push(hRow);
        if (hOut.count !== sOut.count || hOut.checksum !== sOut.checksum) {
          failed = true;
          sRow.error = `output differs from kafkajs: ${sOut.count} records ${sOut.checksum} vs ${hOut.count} records ${hOut.checksum}`;
        } else if (!sOut.sameInEveryRun || !hOut.sameInEveryRun) {
          failed = true;
          sRow.error = 'the runs of a system wrote different outputs';
        }
      } else if (!sOut.sameInEveryRun) {
        console.log(`${q.name}: Sluice's runs wrote different outputs (first run reported)`);
      }
      if (LATENCY && (q.name === 'q0' || q.name === 'q1')) {
        const floor = await latencies(q, rows, bootstrap, kafka, admin);
        if (floor) latencyFloor = floor;
      }
    }
  } finally {
    await admin.disconnect();
    await broker?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  printTable(rows);
  const out = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    date: new Date().toISOString(),
    mode: FULL ? 'full' : 'quick',
    events: EVENTS,
    runs: RUNS,
    ...(latencyFloor ? { latencyFloor } : {}),
    results: rows,
  };
  const resultsFile =
    process.env.NEXMARK_RESULTS ??
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'results', 'latest.json');
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, `${JSON.stringify(out, null, 2)}\n`);
  if (failed) {
    console.error(
      'Nexmark: a system produced a different output than the hand-written program (see the table).',
    );
    process.exit(1);
  }
}

async function createTopic(admin: Admin, topic: string): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
}

/**
 * A full collection, so that every measured run starts from the same heap: without it a run paid
 * for the garbage of the runs (and queries) before it, and later queries measured slower.
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Runs a system RUNS times, each from a collected heap (`label` names its profiles). */
/** One system's measured run of a query. */
interface Runner {
  readonly label: string;
  readonly run: () => Promise<Measured>;
  /** Reads what the run wrote, after the timed part. */
  readonly output?: (m: Measured) => Promise<Measured>;
}

/**
 * RUNS measured runs of each system, alternating (sluice-0, kafkajs-0, sluice-1, …) so that a drift
 * of the machine during a query's runs falls on both sides of its ratio; each starts after a full GC,
 * and what it wrote is read (and its topic deleted) before the next starts. The runs per system, in
 * the order of `systems`.
 */
async function repeat(systems: readonly Runner[]): Promise<Measured[][]> {
  const runs = systems.map((): Measured[] => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [j, { label, run, output }] of systems.entries()) {
      collectGarbage();
      if (process.env.NEXMARK_VERBOSE)
        console.log(
          `${label}-${i}: heap before the run ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`,
        );
      const measured = await profiled(run, `${label}-${i}`);
      runs[j]!.push(output ? await output(measured) : measured);
    }
  }
  return runs;
}

/**
 * The rate of each of `runs` over that of the `baseline` run taken right after it (`repeat`
 * alternates them): the median ratio and its range. A phase of the machine falls on both sides of
 * a pair, where a ratio of the two medians could take one side's fast phase against the other's slow.
 */
function pairedRatio(
  runs: readonly { ms: number }[],
  baseline: readonly { ms: number }[],
): { median: number; min: number; max: number } {
  const ratios = runs.map((r, i) => baseline[i]!.ms / r.ms).sort((a, b) => a - b);
  return { median: median(ratios), min: ratios[0]!, max: ratios.at(-1)! };
}

/** Deletes topics a run is done with: the broker's working set stays that of one run. */
async function deleteTopics(admin: Admin, topics: string[]): Promise<void> {
  if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
}

/** `run`, under the CPU profiler when NEXMARK_PROFILE names a directory. */
async function profiled<T>(run: () => Promise<T>, label: string): Promise<T> {
  if (!PROFILE_DIR) return run();
  const inspector = new InspectorSession();
  inspector.connect();
  if (ALLOCATIONS) {
    // Every allocation sampled, also of objects the collector freed since: where the garbage comes from.
    await inspector.post('HeapProfiler.enable');
    await inspector.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as object);
  } else {
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  try {
    return await run();
  } finally {
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    if (ALLOCATIONS) {
      const { profile } = await inspector.post('HeapProfiler.stopSampling');
      fs.writeFileSync(path.join(PROFILE_DIR, `${label}.heapprofile`), JSON.stringify(profile));
    } else {
      const { profile } = await inspector.post('Profiler.stop');
      fs.writeFileSync(path.join(PROFILE_DIR, `${label}.cpuprofile`), JSON.stringify(profile));
    }
    inspector.disconnect();
  }
}

/** Samples the heap while a run is in flight. */
function heapSampler(): { stop(): number } {
  let peak = process.memoryUsage().heapUsed;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage().heapUsed) / 2 ** 20;
    },
  };
}

function sluiceSource(session: Session, bootstrap: string, topic: string, startingOffsets: string) {
  return session.readStream
    .format('kafka')
    .option('kafka.bootstrap.servers', bootstrap)
    .option('subscribe', topic)
    .option('startingOffsets', startingOffsets)
    .option('kafka.max.partition.fetch.bytes', FETCH.maxBytesPerPartition)
    .option('kafka.fetch.max.bytes', FETCH.maxBytes)
    .option('kafka.fetch.max.wait.ms', FETCH.maxWaitTimeInMs)
    .load();
}

/** Registers `person`, `auction` and `bid` over the events topic and returns the query's DataFrame. */
function nexmarkViews(session: Session, bootstrap: string, topic: string, startingOffsets: string) {
  sluiceSource(session, bootstrap, topic, startingOffsets)
    .selectExpr(`from_json(CAST(value AS STRING), '${EVENT_SCHEMA_DDL}') AS e`)
    .createOrReplaceTempView('events');
  const kinds = [
    ['person', 0],
    ['auction', 1],
    ['bid', 2],
  ] as const;
  for (const [name, type] of kinds) {
    session
      .sql(
        `SELECT e.${name}.*, timestamp_millis(e.${name}.dateTime) AS ts FROM events WHERE e.event_type = ${type}`,
      )
      .withWatermark('ts', `${WATERMARK_DELAY_MS / 1000} seconds`)
      .createOrReplaceTempView(name);
  }
}

/** How Sluice runs in a latency measurement. */
type LatencyVariant = 'default' | 'asyncProgress' | 'continuous';
const LATENCY_VARIANTS: Record<LatencyVariant, string> = {
  default: 'default trigger',
  asyncProgress: 'default trigger with asyncProgressTrackingEnabled',
  continuous: 'continuous trigger',
};

function startSluice(
  q: NexmarkQuery,
  session: Session,
  bootstrap: string,
  input: string,
  outTopic: string,
  variant: LatencyVariant = 'default',
): StreamingQuery {
  nexmarkViews(session, bootstrap, input, 'earliest');
  const writer = session
    .sql(q.sql)
    .selectExpr('to_json(struct(*)) AS value')
    .writeStream.format('kafka')
    .option('kafka.bootstrap.servers', bootstrap)
    .option('topic', outTopic)
    .option('checkpointLocation', fs.mkdtempSync(path.join(workDir, 'checkpoint-')))
    .outputMode(q.outputMode);
  if (variant === 'continuous') writer.trigger({ continuous: '1 second' });
  if (variant === 'asyncProgress') writer.option('asyncProgressTrackingEnabled', 'true');
  return writer.start();
}

async function runSluice(q: NexmarkQuery, bootstrap: string, admin: Admin, input: string): Promise<Measured> {
  const outTopic = `nexmark-${q.name}-sluice-${++topicSeq}`;
  await createTopic(admin, outTopic);
  const session = Session.builder().appName(`nexmark-${q.name}`).create();
  let processed = 0;
  let stateRows = 0;
  let batches = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  let query: StreamingQuery | undefined;
  const listener: StreamingQueryListener = {
    onQueryProgress: (e) => {
      if (e.progress.id !== query?.id) return;
      processed += e.progress.numInputRows;
      stateRows = e.progress.stateOperators.reduce((n, s) => n + s.numRowsTotal, 0);
      if (e.progress.numInputRows > 0) batches++;
      if (process.env.NEXMARK_VERBOSE && e.progress.numInputRows > 0)
        console.log(
          `${q.name} batch ${e.progress.batchId}: ${e.progress.numInputRows} rows ${JSON.stringify(e.progress.durationMs)}`,
        );
      if (processed >= EVENTS) done();
    },
  };
  session.streams.addListener(listener);
  const heap = heapSampler();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  query = startSluice(q, session, bootstrap, input, outTopic);
  const failedQuery = query.awaitTermination().then(() => {
    throw query!.exception ?? new Error('query stopped');
  });
  await Promise.race([finished, failedQuery]);
  // Windowed queries in append mode emit what the last batch's watermark closed in a no-data batch.
  await Promise.race([query.processAllAvailable(), failedQuery]);
  const ms = performance.now() - start;
  const cpuMs = cpuTime(process.cpuUsage(cpu0));
  const heapPeakMb = heap.stop();
  failedQuery.catch(() => {});
  await query.stop();
  session.streams.removeListener(listener);
  if (process.env.NEXMARK_VERBOSE) console.log(`${q.name}: ${batches} micro-batches with input`);
  return { ms, cpuMs, heapPeakMb, outTopic, stateRows };
}

async function runKafkajs(q: NexmarkQuery, kafka: Kafka, admin: Admin, input: string): Promise<Measured> {
  const outTopic = `nexmark-${q.name}-kafkajs-${++topicSeq}`;
  await createTopic(admin, outTopic);
  const program = q.hand!(PARTITIONS);
  const heap = heapSampler();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `nexmark-hand-${topicSeq}`, ...FETCH });
  await consumer.connect();
  await consumer.subscribe({ topics: [input], fromBeginning: true });
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const handle = handBatches(program, producer, outTopic);
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      await handle(batch, seen >= EVENTS);
      if (seen >= EVENTS) done();
    },
  });
  await finished;
  const ms = performance.now() - start;
  const cpuMs = cpuTime(process.cpuUsage(cpu0));
  const heapPeakMb = heap.stop();
  await consumer.disconnect();
  await producer.disconnect();
  return { ms, cpuMs, heapPeakMb, outTopic };
}

/** The hand-written program's step per fetched batch: parse, run the query, produce what is final. */
function handBatches(
  program: HandProgram,
  producer: Producer,
  outTopic: string,
): (batch: Batch, endOfInput: boolean) => Promise<void> {
  return async (batch, endOfInput) => {
    const out: string[] = [];
    for (const m of batch.messages)
      program.add(JSON.parse((m.value as Buffer).toString()) as NexmarkEvent, batch.partition, out);
    program.flush(out, endOfInput);
    if (out.length > 0)
      await producer.send({ topic: outTopic, messages: out.map((value) => ({ value })), acks: -1 });
  };
}

async function runLimit(kafka: Kafka, input: string): Promise<Measured> {
  const heap = heapSampler();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const consumer = kafka.consumer({ groupId: `nexmark-limit-${++topicSeq}`, ...FETCH });
  await consumer.connect();
  await consumer.subscribe({ topics: [input], fromBeginning: true });
  let seen = 0;
  let bytes = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages)
        bytes += JSON.stringify(JSON.parse((m.value as Buffer).toString())).length;
      seen += batch.messages.length;
      if (seen >= EVENTS) done();
    },
  });
  await finished;
  const ms = performance.now() - start;
  const cpuMs = cpuTime(process.cpuUsage(cpu0));
  const heapPeakMb = heap.stop();
  await consumer.disconnect();
  if (bytes === 0) throw new Error('limit baseline read nothing');
  return { ms, cpuMs, heapPeakMb };
}

async function measureRawConsume(kafka: Kafka, input: string): Promise<number> {
  const start = performance.now();
  const consumer = kafka.consumer({ groupId: `nexmark-raw-${++topicSeq}`, ...FETCH });
  await consumer.connect();
  await consumer.subscribe({ topics: [input], fromBeginning: true });
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= EVENTS) done();
    },
  });
  await finished;
  const ms = performance.now() - start;
  await consumer.disconnect();
  return ms;
}

/** The run's output (count and checksum), read after the timed part; its topic is deleted then. */
async function withOutput(kafka: Kafka, admin: Admin, m: Measured): Promise<Measured> {
  if (!m.outTopic) return m;
  const output = await readOutput(kafka, admin, m.outTopic);
  await deleteTopics(admin, [m.outTopic]);
  return { ...m, output };
}

/**
 * The output of a system's first run, and whether every run wrote the same. The stateless queries
 * must; an event-time query may differ where batch boundaries decide which late events are dropped.
 */
function outputOfRuns(runs: readonly Measured[]): Output & { sameInEveryRun: boolean } {
  const first = runs[0]!.output!;
  const sameInEveryRun = runs.every(
    (r) => r.output!.count === first.count && r.output!.checksum === first.checksum,
  );
  return { ...first, sameInEveryRun };
}

/** Reads a whole output topic: record count and an order-independent checksum of normalised records. */
async function readOutput(kafka: Kafka, admin: Admin, topic: string): Promise<Output> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const total = offsets.reduce((n, o) => n + Number(o.high), 0);
  let count = 0;
  let sum = 0n;
  if (total > 0) {
    const consumer = kafka.consumer({ groupId: `nexmark-check-${++topicSeq}`, ...FETCH });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => {
      done = r;
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          sum =
            (sum + BigInt(fnv1a(canonical(JSON.parse((m.value as Buffer).toString()))))) & 0xffffffffffffn;
          count++;
        }
        if (count >= total) done();
      },
    });
    await finished;
    await consumer.disconnect();
  }
  return { count, checksum: sum.toString(16).padStart(12, '0') };
}

/** Sorted keys, numbers to 3 decimals: `908.000` and `908` are the same value. */
function canonical(v: unknown): string {
  if (typeof v === 'number') return (Math.round(v * 1000) / 1000).toString();
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The latency measurements of a query: which system and trigger, in the order each round runs them. */
type LatencyPlan = {
  system: 'floor' | 'sluice' | 'kafkajs';
  variant: LatencyVariant;
  row?: Row;
  rate: number;
};

/**
 * q0's and q1's latencies, each measurement repeated LATENCY_RUNS times in rounds (every system and
 * trigger once per round, so a drift of the machine falls on all of them), medians into the rows
 * with the p99s' min and max; for q0 also the harness's floor, returned.
 */
async function latencies(
  q: NexmarkQuery,
  rows: Row[],
  bootstrap: string,
  kafka: Kafka,
  admin: Admin,
): Promise<LatencyFloor | undefined> {
  const rowOf = (system: System) => rows.find((r) => r.query === q.name && r.system === system);
  const rateOf = (row: Row | undefined) => LATENCY_RATE ?? (row?.eventsPerSec ?? 0) / 2;
  const sluice = rowOf('sluice');
  const hand = rowOf('kafkajs');
  const plans: LatencyPlan[] = [];
  // What no system can beat on this machine: producer → broker → a consumer, at q0's rate.
  if (q.name === 'q0' && sluice) plans.push({ system: 'floor', variant: 'default', rate: rateOf(sluice) });
  if (sluice)
    for (const variant of ['default', 'asyncProgress', 'continuous'] as const)
      plans.push({ system: 'sluice', variant, row: sluice, rate: rateOf(sluice) });
  if (hand) plans.push({ system: 'kafkajs', variant: 'default', row: hand, rate: rateOf(hand) });
  const measured = plans.map(() => ({ p50: [] as number[], p99: [] as number[] }));
  for (let round = 0; round < LATENCY_RUNS; round++) {
    for (const [i, plan] of plans.entries()) {
      if (plan.rate <= 0) continue;
      try {
        const measure = () =>
          measureLatency(q, plan.system, bootstrap, kafka, admin, plan.rate, plan.variant);
        // Profiled (NEXMARK_PROFILE) when the system runs in this process.
        const m =
          plan.system === 'sluice' || plan.system === 'kafkajs'
            ? await profiled(measure, `${q.name}-latency-${plan.system}-${plan.variant}-${round}`)
            : await measure();
        measured[i]!.p50.push(m.p50);
        measured[i]!.p99.push(m.p99);
      } catch (e) {
        console.log(`${q.name}: ${labelOf(plan)} not run — ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  let floor: LatencyFloor | undefined;
  for (const [i, plan] of plans.entries()) {
    const { p50, p99 } = measured[i]!;
    if (p99.length === 0) continue;
    const sorted = [...p99].sort((a, b) => a - b);
    const m = { p50: median([...p50].sort((a, b) => a - b)), p99: median(sorted) };
    const spread = { p99MinMs: sorted[0]!, p99MaxMs: sorted.at(-1)! };
    console.log(
      `${q.name}: ${labelOf(plan)} at ${Math.round(plan.rate)} events/s: p50 ${m.p50} ms, p99 ${m.p99} ms (median of ${p99.length}; p99 ${spread.p99MinMs}–${spread.p99MaxMs} ms)`,
    );
    if (plan.system === 'floor')
      floor = { eventsPerSec: Math.round(plan.rate), p50Ms: m.p50, p99Ms: m.p99, ...spread };
    else if (plan.variant === 'default') Object.assign(plan.row!, { p50Ms: m.p50, p99Ms: m.p99, ...spread });
    else if (plan.variant === 'asyncProgress')
      Object.assign(plan.row!, { asyncProgressP50Ms: m.p50, asyncProgressP99Ms: m.p99 });
    else Object.assign(plan.row!, { continuousP50Ms: m.p50, continuousP99Ms: m.p99 });
  }
  return floor;
}

function labelOf(plan: LatencyPlan): string {
  if (plan.system === 'floor') return 'harness floor (the input read as it arrives, no system)';
  if (plan.system === 'kafkajs') return 'kafkajs program';
  return `Sluice, ${LATENCY_VARIANTS[plan.variant]}`;
}

/** The process's garbage-collection pauses and event-loop delay while a latency run lasts (verbose runs). */
function watchPauses(): { stop(measureFrom: number): string } {
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
  };
  const gc = new Map<string, number[]>();
  const long: { at: number; kind: string; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const detail = (e as PerfEntry & { detail?: { kind?: number } }).detail;
      const kind = kinds[detail?.kind ?? -1] ?? 'other';
      gc.set(kind, [...(gc.get(kind) ?? []), e.duration]);
      if (e.duration >= 5) long.push({ at: performance.timeOrigin + e.startTime, kind, ms: e.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  return {
    stop(measureFrom: number) {
      observer.disconnect();
      loop.disable();
      const longOnes = long
        .filter((p) => p.at >= measureFrom)
        .map((p) => `+${Math.round(p.at - measureFrom)} ${p.kind} ${Math.round(p.ms)}`)
        .join(', ');
      const ms = (ns: number) => Math.round(ns / 1e6);
      const perKind = [...gc]
        .map(
          ([kind, d]) =>
            `${d.length} ${kind} (${Math.round(d.reduce((a, b) => a + b, 0))} ms, max ${Math.round(Math.max(...d))} ms)`,
        )
        .join(', ');
      return `GC ${perKind || 'none'} (pauses ≥5 ms since the measured events, ms after their start: ${longOnes || 'none'}); event-loop delay p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms`;
    },
  };
}

/** A process's /proc stat file, when it has a pid. */
const procStat = (pid: number | undefined): string | undefined =>
  pid === undefined ? undefined : `/proc/${pid}/stat`;

/**
 * Milliseconds this process's main thread (its event loop) has spent runnable but waiting for a core
 * (Linux: the second field of /proc/<pid>/task/<tid>/schedstat, in ns); undefined where the kernel
 * does not keep it.
 */
function eventLoopRunQueueWaitMs(): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ');
    return Number(fields[1]) / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * The CPU share of each named process (or thread) from now until `stop()` (Linux: utime + stime of
 * its /proc/<pid>/stat, or /proc/<pid>/task/<tid>/stat), to see whether the machine's cores are
 * saturated during a latency run; and how long this process's event loop waited for a core.
 */
function watchCpu(statFiles: Record<string, string | undefined>): { stop(): string } {
  // /proc's times are in clock ticks: USER_HZ, 100 a second on Linux (getconf CLK_TCK).
  const USER_HZ = 100;
  const ticks = (file: string | undefined): number | undefined => {
    if (file === undefined) return undefined;
    try {
      const stat = fs.readFileSync(file, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      return undefined;
    }
  };
  const start = performance.now();
  const waitedBefore = eventLoopRunQueueWaitMs();
  const before = Object.fromEntries(Object.entries(statFiles).map(([k, f]) => [k, ticks(f)]));
  // The producer exits when done: its last reading is taken while it runs.
  const last: Record<string, number | undefined> = { ...before };
  const poll = setInterval(() => {
    for (const [k, f] of Object.entries(statFiles)) last[k] = ticks(f) ?? last[k];
  }, 100);
  return {
    stop() {
      clearInterval(poll);
      const seconds = (performance.now() - start) / 1000;
      const waitedAfter = eventLoopRunQueueWaitMs();
      const shares = Object.keys(statFiles).map((k) => {
        const a = before[k];
        const b = last[k];
        return a === undefined || b === undefined
          ? `${k} ?`
          : `${k} ${Math.round(((b - a) / USER_HZ / seconds) * 100)}%`;
      });
      // Runnable but not running: the share of the time this process's work queued behind others.
      if (waitedBefore !== undefined && waitedAfter !== undefined)
        shares.push(
          `this process's event loop waited for a core ${Math.round(((waitedAfter - waitedBefore) / 1000 / seconds) * 100)}% of the time`,
        );
      return shares.join(', ');
    },
  };
}

/**
 * End-to-end latency at `eventsPerSec` (a producer in its own process; dateTime = send time). The
 * `floor` is the harness's own: no system, the reader takes the input events as they arrive.
 */
async function measureLatency(
  q: NexmarkQuery,
  system: 'sluice' | 'kafkajs' | 'floor',
  bootstrap: string,
  kafka: Kafka,
  admin: Admin,
  eventsPerSec: number,
  variant: LatencyVariant = 'default',
): Promise<{ p50: number; p99: number }> {
  collectGarbage();
  const input = `nexmark-latency-in-${++topicSeq}`;
  const outTopic = `nexmark-latency-out-${topicSeq}`;
  await createTopic(admin, input);
  await createTopic(admin, outTopic);
  const events = Math.max(1000, Math.round(eventsPerSec * LATENCY_SECONDS));
  const warmUpEvents = Math.round(eventsPerSec * LATENCY_WARM_UP_SECONDS);
  // The output is read and measured in a process of its own (latency-reader.ts), not on the event
  // loop of the system under test.
  const reader: ChildProcess = fork(
    fileURLToPath(new URL('./latency-reader.js', import.meta.url)),
    system === 'floor'
      ? [bootstrap, input, String(PARTITIONS), 'receipt']
      : [bootstrap, outTopic, String(PARTITIONS)],
  );
  const readerCounts = { warmedUp: 0, measured: 0 };
  const readerDone = new Promise<number[]>((resolve, reject) => {
    reader.on('message', (m: ReaderReport) => {
      if ('latencies' in m) {
        if (m.slowest) console.log(`${q.name} ${system} ${variant}: slowest 1% sent at ${m.slowest}`);
        resolve(m.latencies);
      } else Object.assign(readerCounts, m);
    });
    reader.once('exit', (code) => reject(new Error(`latency reader exited with ${code}`)));
  });
  readerDone.catch(() => undefined);
  const stopReader = async (): Promise<number[]> => {
    reader.send({ stop: true } satisfies ReaderMessage);
    return readerDone;
  };
  let stop: () => Promise<void>;
  if (system === 'floor') {
    stop = async () => {};
  } else if (system === 'sluice') {
    const session = Session.builder().appName(`nexmark-latency-${q.name}`).create();
    nexmarkViews(session, bootstrap, input, 'earliest');
    let query: StreamingQuery;
    try {
      query = startSluice(q, session, bootstrap, input, outTopic, variant);
    } catch (e) {
      await stopReader().catch(() => undefined);
      throw e;
    }
    const batches: { startedMs: number; line: string }[] = [];
    const listener: StreamingQueryListener = {
      onQueryProgress: (e) => {
        if (e.progress.numInputRows > 0)
          batches.push({
            startedMs: Date.parse(e.progress.timestamp),
            line: `${e.progress.numInputRows}:${JSON.stringify(e.progress.durationMs)}`,
          });
      },
    };
    const pauses = process.env.NEXMARK_VERBOSE ? watchPauses() : undefined;
    if (process.env.NEXMARK_VERBOSE) session.streams.addListener(listener);
    stop = async () => {
      await query.stop();
      if (process.env.NEXMARK_VERBOSE) {
        // Times as ms after the measured start (negative: the warm-up's batches).
        const lines = batches.map((b) => `${b.startedMs - measureFromMs} ${b.line}`);
        console.log(`${q.name} latency batches:\n${lines.join('\n')}`);
        console.log(`${q.name} ${variant}: ${pauses!.stop(measureFromMs)}`);
      }
    };
  } else {
    const producer = kafka.producer();
    await producer.connect();
    const consumer = kafka.consumer({
      groupId: `nexmark-lat-hand-${topicSeq}`,
      ...FETCH, // the fetch settings Sluice's source gets
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [input], fromBeginning: true });
    const handle = handBatches(q.hand!(PARTITIONS), producer, outTopic);
    await consumer.run({ autoCommit: false, eachBatch: ({ batch }) => handle(batch, false) });
    stop = async () => {
      await consumer.disconnect();
      await producer.disconnect();
    };
  }
  // Warm-up, the same for both systems: the measured events start once a first output came back
  // (the system has joined its consumer group, fetched and written), so start-up is not counted.
  const warmUp = kafka.producer();
  await warmUp.connect();
  await produceEvents({
    producer: warmUp,
    topic: input,
    partitions: PARTITIONS,
    events: 200,
    rate: 0,
    wallClockTime: true,
  });
  await warmUp.disconnect();
  const warmDeadline = Date.now() + 30_000;
  while (readerCounts.warmedUp === 0 && Date.now() < warmDeadline)
    await new Promise((r) => setTimeout(r, 20));
  if (readerCounts.warmedUp === 0) {
    await stop();
    await stopReader().catch(() => undefined);
    throw new Error(`${system} wrote no output for the latency warm-up within 30 s`);
  }
  const expectedOut = system === 'floor' ? events : Math.floor(events * 0.92 * 0.95);
  const child: ChildProcess = fork(fileURLToPath(new URL('./producer.js', import.meta.url)), [
    bootstrap,
    input,
    String(PARTITIONS),
    String(warmUpEvents + events),
    String(Math.round(eventsPerSec)),
    String(warmUpEvents),
  ]);
  let cpu: ReturnType<typeof watchCpu> | undefined;
  measureFromMs = Number.POSITIVE_INFINITY;
  // The events stamped from the end of the warm-up at the measured rate are the measured ones.
  child.on('message', (m: { measureFrom: number }) => {
    reader.send(m satisfies ReaderMessage);
    measureFromMs = m.measureFrom;
    if (process.env.NEXMARK_VERBOSE)
      cpu = watchCpu({
        broker: procStat(brokerPid),
        producer: procStat(child.pid),
        reader: procStat(reader.pid),
        system: procStat(process.pid),
        // The rest of the system's share is the collector's helper threads and the log writer.
        'its event loop': `/proc/${process.pid}/task/${process.pid}/stat`,
      });
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`producer exited with ${code}`)),
    );
  });
  if (cpu)
    console.log(`${q.name} ${system} ${variant}: CPU while the measured events were produced: ${cpu.stop()}`);
  const deadline = Date.now() + 30_000;
  while (readerCounts.measured < expectedOut && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await stop();
  const latencies = await stopReader();
  await deleteTopics(admin, [input, outTopic]);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
  return { p50: pct(0.5), p99: pct(0.99) };
}

function summarize(query: string, system: System, runs: Measured[]): Row {
  const rates = runs.map((r) => rate(EVENTS, r.ms)).sort((a, b) => a - b);
  const cpuRates = runs.map((r) => rate(EVENTS, r.cpuMs)).sort((a, b) => a - b);
  return {
    query,
    system,
    events: EVENTS,
    eventsPerSec: median(rates),
    eventsPerSecMin: rates[0]!,
    eventsPerSecMax: rates.at(-1)!,
    eventsPerCpuSec: median(cpuRates),
    p50Ms: null,
    p99Ms: null,
    heapPeakMb: Math.max(...runs.map((r) => r.heapPeakMb)),
    stateRows: runs[0]?.stateRows ?? null,
    outputRecords: null,
    checksum: null,
  };
}

function emptyRow(query: string, system: System): Row {
  return {
    query,
    system,
    events: EVENTS,
    eventsPerSec: 0,
    eventsPerSecMin: 0,
    eventsPerSecMax: 0,
    eventsPerCpuSec: 0,
    p50Ms: null,
    p99Ms: null,
    heapPeakMb: 0,
    stateRows: null,
    outputRecords: null,
    checksum: null,
  };
}

function printTable(rows: Row[]): void {
  const limit = rows.find((r) => r.system === 'limit');
  const q0 = rows.find((r) => r.query === 'q0' && r.system === 'sluice');
  console.log(
    '\n| query | system | events/s (median, min–max) | events/CPU-s | vs kafkajs | vs limit | vs own q0 | p50 ms | p99 ms | heap MB | state rows | output records | checksum |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    if (r.error && r.eventsPerSec === 0) {
      console.log(
        `| ${r.query} | ${r.system} | not run: ${r.error.replace(/\|/g, '/')} | | | | | | | | | | |`,
      );
      continue;
    }
    const vsHand =
      r.vsKafkajs !== undefined && !r.error
        ? `${r.vsKafkajs.toFixed(2)}× (${r.vsKafkajsMin!.toFixed(2)}–${r.vsKafkajsMax!.toFixed(2)}, alternating)`
        : '';
    const vsLimit =
      r.system !== 'limit' && limit ? `${(r.eventsPerSec / limit.eventsPerSec).toFixed(2)}×` : '';
    const vsQ0 =
      r.vsOwnQ0 !== undefined
        ? `${r.vsOwnQ0.toFixed(2)}× (${r.vsOwnQ0Min!.toFixed(2)}–${r.vsOwnQ0Max!.toFixed(2)}, alternating; target ≥ ${r.targetVsQ0})`
        : r.system === 'sluice' && q0 && r !== q0
          ? `${(r.eventsPerSec / q0.eventsPerSec).toFixed(2)}×`
          : '';
    console.log(
      `| ${r.query} | ${r.system} | ${fmt(r.eventsPerSec)} (${fmt(r.eventsPerSecMin)}–${fmt(r.eventsPerSecMax)}) | ${fmt(r.eventsPerCpuSec)} | ${vsHand} | ${vsLimit} | ${vsQ0} | ${num(r.p50Ms)} | ${num(r.p99Ms)} | ${r.heapPeakMb.toFixed(0)} | ${r.stateRows ?? ''} | ${r.outputRecords ?? ''} | ${r.checksum ?? ''}${r.error ? ` ⚠ ${r.error}` : ''} |`,
    );
  }
}

const rate = (events: number, ms: number) => (events / ms) * 1000;
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const num = (x: number | null) => (x === null || Number.isNaN(x) ? '' : x.toFixed(0));
const cpuTime = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

await main();
process.exit(0);
