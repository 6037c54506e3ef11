/**
 * Streaming benchmark (not a test):
 *  1. rate-micro-batch source → filter → projection → memory sink: rows per second per trigger and
 *     overall, against a hand-written loop that generates the same rows and does the same
 *     filter/projection into an array (ratio = Sluice / hand-written throughput).
 *  2. The same source → tumbling 1-second window count per key (update mode, state store) against
 *     the stateless pipeline of 1. (the product bar: windowed queries ≥ 0.5× the stateless q0).
 *  4. Event-loop delay (perf_hooks.monitorEventLoopDelay p99/max) while a windowed count
 *     processes a 2-million-row backlog in one micro-batch, chunked (4096 rows, the default) and
 *     unchunked (setChunkRows(Infinity), the engine before chunked execution).
 *  3. The engine's per-batch overhead: empty micro-batches per second (each one writes the offsets
 *     WAL and the commit log, runs the plan over zero rows and reports progress), with fsync on (the
 *     default) and off (SLUICE_CHECKPOINT_FSYNC=false semantics).
 *
 *   npm run bench streaming            (builds, then runs this)
 *   node packages/bench/dist/streaming/rate-memory.js [rowsPerBatch] [batches] [emptySeconds]
 *
 * Query: SELECT value * 3 AS v3, timestamp FROM rate WHERE value % 2 = 0
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { col, count, type DataFrame, Session, window } from '@sluice/engine';
import {
  getMemoryTable,
  MemoryStream,
  memoryStreamDF,
  type StreamingQuery,
  type StreamingQueryProgress,
  setCheckpointFsync,
  setChunkRows,
} from '@sluice/engine/streaming';

const ROWS_PER_BATCH = Number(process.argv[2] ?? 200_000);
const BATCHES = Number(process.argv[3] ?? 20);
const EMPTY_SECONDS = Number(process.argv[4] ?? 3);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-streaming-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

/** The hand-written baseline: the rows rate-micro-batch makes, filtered and projected in one loop. */
function handWritten(batches: number, perBatch: number): number {
  let kept = 0;
  for (let b = 0; b < batches; b++) {
    const ts = b * 1000 * 1000;
    const src: unknown[][] = new Array(perBatch);
    for (let i = 0; i < perBatch; i++) src[i] = [ts, b * perBatch + i];
    const out: unknown[][] = [];
    for (let i = 0; i < perBatch; i++) {
      const r = src[i]!;
      const v = r[1] as number;
      if (v % 2 === 0) out.push([v * 3, r[0]]);
    }
    kept += out.length;
  }
  return kept;
}

async function runEngine(
  session: Session,
  batches: number,
): Promise<{ ms: number; progress: StreamingQueryProgress[]; rows: number }> {
  const name = `bench_rate_${batches}_${Date.now()}`;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  session.streams.addListener({
    onQueryProgress: (e: { progress: StreamingQueryProgress }) => {
      if (e.progress.name === name && e.progress.batchId === batches - 1) done();
    },
  });
  const df = (session.readStream as { format(f: string): { option(k: string, v: number): any } })
    .format('rate-micro-batch')
    .option('rowsPerBatch', ROWS_PER_BATCH)
    .load() as DataFrame;
  const t0 = performance.now();
  const query = df
    .where(col('value').mod(2).equalTo(0))
    .select(col('value').multiply(3).as('v3'), col('timestamp'))
    .writeStream.format('memory')
    .queryName(name)
    .option('checkpointLocation', path.join(work, name))
    .start() as StreamingQuery;
  await finished;
  const ms = performance.now() - t0;
  await query.stop();
  // The memory table holds at least BATCHES batches (a batch may start before stop() lands).
  const progress = query.recentProgress.slice(0, batches);
  const rows = progress.reduce((a, p) => a + p.sink.numOutputRows, 0);
  if ((getMemoryTable(name)?.rows.length ?? 0) < rows) throw new Error('memory table is missing rows');
  return { ms, progress, rows };
}

/** Rate → await groupBy(window(timestamp, '1 second'), value % 100).count(), update mode. */
async function runWindowed(session: Session, batches: number): Promise<{ ms: number; rows: number }> {
  const name = `bench_window_${batches}_${Date.now()}`;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  session.streams.addListener({
    onQueryProgress: (e: { progress: StreamingQueryProgress }) => {
      if (e.progress.name === name && e.progress.batchId === batches - 1) done();
    },
  });
  const df = (session.readStream as { format(f: string): { option(k: string, v: number): any } })
    .format('rate-micro-batch')
    .option('rowsPerBatch', ROWS_PER_BATCH)
    .option('advanceMillisPerBatch', 100)
    .load() as DataFrame;
  const t0 = performance.now();
  const query = df
    .groupBy(window(col('timestamp'), '1 second'), col('value').mod(100).as('k'))
    .agg(count('*').as('n'))
    .writeStream.format('memory')
    .queryName(name)
    .outputMode('update')
    .option('checkpointLocation', path.join(work, name))
    .start() as StreamingQuery;
  await finished;
  const ms = performance.now() - t0;
  await query.stop();
  const rows = query.recentProgress.slice(0, batches).reduce((a, p) => a + p.numInputRows, 0);
  return { ms, rows };
}

async function emptyBatchesPerSecond(session: Session, fsync: boolean): Promise<number> {
  setCheckpointFsync(fsync);
  const stream = new MemoryStream({
    kind: 'struct',
    fields: [{ name: 'x', dataType: { kind: 'long' }, nullable: true }],
  });
  const name = `bench_empty_${fsync ? 'fsync' : 'nofsync'}`;
  let batches = 0;
  let stopAt = Number.POSITIVE_INFINITY;
  const q = memoryStreamDF(session, stream)
    .writeStream.format('memory')
    .queryName(name)
    .option('checkpointLocation', path.join(work, name))
    .start() as StreamingQuery;
  // Each new (empty) offset makes one batch with zero rows; the next is added when it has run.
  const listener = {
    onQueryProgress: (e: { progress: StreamingQueryProgress }) => {
      if (e.progress.name !== name) return;
      batches++;
      if (performance.now() < stopAt) stream.addData([]);
    },
  };
  session.streams.addListener(listener);
  const t0 = performance.now();
  stopAt = t0 + EMPTY_SECONDS * 1000;
  stream.addData([]);
  while (performance.now() < stopAt) await new Promise((r) => setTimeout(r, 50));
  const elapsed = (performance.now() - t0) / 1000;
  const n = batches;
  await q.stop();
  session.streams.removeListener(listener);
  setCheckpointFsync(true);
  return n / elapsed;
}

/**
 * One micro-batch of a 2-million-row backlog through a windowed count (update mode), with the
 * event-loop delay sampled every 10 ms while it runs.
 */
async function eventLoopDelayDuringBacklog(
  session: Session,
  rows: number,
  chunk: number,
): Promise<{ p99: number; max: number; ms: number }> {
  setChunkRows(chunk);
  const name = `bench_backlog_${chunk}_${Date.now()}`;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const listener = {
    onQueryProgress: (e: { progress: StreamingQueryProgress }) => {
      if (e.progress.name === name && e.progress.batchId === 0) done();
    },
  };
  session.streams.addListener(listener);
  const df = (session.readStream as { format(f: string): { option(k: string, v: number): any } })
    .format('rate-micro-batch')
    .option('rowsPerBatch', rows)
    .option('advanceMillisPerBatch', 100_000)
    .load() as DataFrame;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  const query = df
    .groupBy(window(col('timestamp'), '1 second'), col('value').mod(100).as('k'))
    .agg(count('*').as('n'))
    .writeStream.format('memory')
    .queryName(name)
    .outputMode('update')
    .option('checkpointLocation', path.join(work, name))
    .start() as StreamingQuery;
  await finished;
  const ms = performance.now() - t0;
  // The histogram records a blocked loop only when its timer runs again: let it run before reading
  // it (a batch that never yields finishes inside the blocked turn, which read 0 here before).
  await new Promise((r) => setTimeout(r, 50));
  h.disable();
  await query.stop();
  session.streams.removeListener(listener);
  setChunkRows(4096);
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, ms };
}

const session = Session.builder().appName('bench-streaming').create();
// Warm-up (JIT) on a short run, then the measured one.
handWritten(3, ROWS_PER_BATCH);
const h0 = performance.now();
const handRows = handWritten(BATCHES, ROWS_PER_BATCH);
const handMs = performance.now() - h0;
await runEngine(session, 3); // warm-up (JIT), as the hand-written loop had
const engine = await runEngine(session, BATCHES);
if (engine.rows !== handRows) {
  console.error(`row counts differ: engine ${engine.rows}, hand-written ${handRows}`);
  process.exit(1);
}
const total = ROWS_PER_BATCH * BATCHES;
const perSec = (rows: number, ms: number) => `${(((rows / ms) * 1000) / 1e6).toFixed(2)}M rows/s`;
console.log(`rate-micro-batch → filter/project → memory sink: ${BATCHES} batches × ${ROWS_PER_BATCH} rows`);
console.log(`hand-written loop : ${handMs.toFixed(0)} ms  ${perSec(total, handMs)}`);
console.log(
  `sluice streaming  : ${engine.ms.toFixed(0)} ms  ${perSec(total, engine.ms)} (end to end, incl. checkpoint I/O)`,
);
console.log(`ratio (sluice / hand-written throughput): ${(handMs / engine.ms).toFixed(2)}`);
const perTrigger = engine.progress.map((p) => p.processedRowsPerSecond ?? 0);
const sorted = [...perTrigger].sort((a, b) => a - b);
console.log(
  `per trigger processedRowsPerSecond: min ${(sorted[0]! / 1e6).toFixed(2)}M, median ${(sorted[Math.floor(sorted.length / 2)]! / 1e6).toFixed(2)}M, max ${(sorted[sorted.length - 1]! / 1e6).toFixed(2)}M`,
);
const d = engine.progress[engine.progress.length - 1]!.durationMs ?? {};
console.log(`last batch durationMs: ${JSON.stringify(d)}`);
await runWindowed(session, 3); // warm-up
const windowed = await runWindowed(session, BATCHES);
console.log(
  `windowed count (update, state store): ${windowed.ms.toFixed(0)} ms  ${perSec(windowed.rows, windowed.ms)}; ratio to the stateless query: ${(engine.ms / windowed.ms).toFixed(2)}`,
);
const BACKLOG = 2_000_000;
const chunked = await eventLoopDelayDuringBacklog(session, BACKLOG, 4096);
const unchunked = await eventLoopDelayDuringBacklog(session, BACKLOG, Number.POSITIVE_INFINITY);
console.log(
  `event-loop delay during a ${BACKLOG}-row batch (windowed count): chunked p99 ${chunked.p99.toFixed(1)} ms, max ${chunked.max.toFixed(1)} ms (batch ${chunked.ms.toFixed(0)} ms); unchunked p99 ${unchunked.p99.toFixed(1)} ms, max ${unchunked.max.toFixed(1)} ms (batch ${unchunked.ms.toFixed(0)} ms)`,
);
const withFsync = await emptyBatchesPerSecond(session, true);
const withoutFsync = await emptyBatchesPerSecond(session, false);
console.log(
  `empty batches per second (per-batch overhead): fsync on ${withFsync.toFixed(0)} (${(1000 / withFsync).toFixed(2)} ms/batch), fsync off ${withoutFsync.toFixed(0)} (${(1000 / withoutFsync).toFixed(2)} ms/batch)`,
);
process.exit(0);
