/**
 * State benchmark (not a test), `npm run bench -- state`:
 *  1. Windowed aggregation over N parsed rows (default 10 million JSON lines in 20 files, a json
 *     file source with maxFilesPerTrigger=1): `groupBy(window(ts, '1 minute'), user)` with count
 *     and sum, update mode, 1-minute watermark, on the in-memory and the on-disk (lmdb) state
 *     store, against the same query without state (the same files parsed, the same window
 *     column computed, every row delivered to the same foreachBatch sink). Ratio = stateless time /
 *     stateful time. Both sides are checked: every row read, the final counts sum to N.
 *  2. A state of K keys (default 5 million) on the lmdb provider, in a child process whose heap
 *     is capped at 1 GiB (`--max-old-space-size=await 1024`: going over kills it): rate-micro-batch,
 *     `groupBy(value).count()`, every row a new key. Prints the peak heap, the state size and the
 *     event-loop delay p99 during those large batches.
 *  3. Checkpoint and restore of M keys (default 1 million) on both providers: commit (the delta
 *     file), maintenance (the snapshot file), and a new provider loading the version from the
 *     delta and from the snapshot; the loaded state is checked against what was written.
 *
 * The event-loop delay while a windowed count processes a 2-million-row backlog (memory provider)
 * is printed by `npm run bench -- streaming`.
 *
 * SLUICE_BENCH_STATE_SCALE=0.1 runs every part at a tenth of its size (quick runs).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { col, count, type DataFrame, Session, sum, window } from '@sluice/engine';
import {
  LmdbStateStoreProvider,
  MemoryStateStoreProvider,
  type StateStoreProvider,
  type StreamingQuery,
  type StreamingQueryProgress,
} from '@sluice/engine/streaming';

const SCALE = Number(process.env.SLUICE_BENCH_STATE_SCALE ?? 1);
const PARSED_ROWS = Math.round(10_000_000 * SCALE);
const FILES = 20;
const STATE_KEYS = Math.round(5_000_000 * SCALE);
const KEYS_PER_BATCH = Math.round(500_000 * SCALE);
const CHECKPOINT_KEYS = Math.round(1_000_000 * SCALE);
const USERS = 100;
const HEAP_CAP_MB = 1024;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-state-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rate = (rows: number, ms: number): string => `${(((rows / ms) * 1000) / 1e6).toFixed(2)}M rows/s`;

// ---------------------------------------------------------------------------------------------
// 1. Windowed aggregation over parsed rows vs the same query without state.

const T0 = Date.UTC(2026, 0, 1);
/** Row i: 10 ms apart, user i*7919 mod USERS, amount i mod 100. */
function writeInputs(dir: string, rows: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const perFile = Math.ceil(rows / FILES);
  for (let f = 0; f < FILES; f++) {
    const fd = fs.openSync(path.join(dir, `part-${String(f).padStart(3, '0')}.json`), 'w');
    let buf = '';
    for (let i = f * perFile; i < Math.min(rows, (f + 1) * perFile); i++) {
      buf += `{"ts":"${new Date(T0 + i * 10).toISOString()}","user":"u${(i * 7919) % USERS}","amount":${i % 100}}\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
    fs.closeSync(fd);
  }
}

async function runParsed(
  session: Session,
  input: string,
  kind: 'stateless' | 'memory' | 'lmdb',
): Promise<{ ms: number; inputRows: number; check: number; stateRows: number }> {
  if (kind !== 'stateless') session.conf.set('spark.sql.streaming.stateStore.providerClass', kind);
  const events = session.readStream
    .format('json')
    .schema('ts TIMESTAMP, user STRING, amount INT')
    .option('maxFilesPerTrigger', 1)
    .load(input) as DataFrame;
  let check = 0;
  let df: DataFrame;
  let mode: 'append' | 'update';
  // Final count per group (update mode re-emits a group with its new count).
  const finalCounts = new Map<string, number>();
  if (kind === 'stateless') {
    df = events.select(window(col('ts'), '1 minute').as('window'), col('user'), col('amount'));
    mode = 'append';
  } else {
    df = events
      .withWatermark('ts', '1 minute')
      .groupBy(window(col('ts'), '1 minute'), col('user'))
      .agg(count('*').as('n'), sum('amount').as('total'));
    mode = 'update';
  }
  const t0 = performance.now();
  const query = df.writeStream
    .outputMode(mode)
    .trigger({ availableNow: true })
    .option('checkpointLocation', path.join(work, `ck-parsed-${kind}`))
    .foreachBatch(async (batch: DataFrame) => {
      const rows = await batch.collectValues();
      if (kind === 'stateless') {
        check += rows.length;
        return;
      }
      for (const r of rows) {
        const w = r[0] as unknown[];
        finalCounts.set(`${w[0]}|${r[1]}`, Number(r[2]));
      }
    })
    .start() as StreamingQuery;
  await query.awaitTermination();
  const ms = performance.now() - t0;
  if (kind !== 'stateless') for (const n of finalCounts.values()) check += n;
  const progress = query.recentProgress;
  const inputRows = progress.reduce((a, p) => a + p.numInputRows, 0);
  const stateRows = progress.at(-1)?.stateOperators[0]?.numRowsTotal ?? 0;
  return { ms, inputRows, check, stateRows };
}

async function parsedBenchmark(): Promise<void> {
  const input = path.join(work, 'events');
  const g0 = performance.now();
  writeInputs(input, PARSED_ROWS);
  const bytes = fs.readdirSync(input).reduce((a, f) => a + fs.statSync(path.join(input, f)).size, 0);
  console.log(
    `windowed aggregation over ${PARSED_ROWS} parsed JSON rows (${FILES} files, ${mb(bytes)}, written in ${((performance.now() - g0) / 1000).toFixed(1)} s), one file per micro-batch`,
  );
  const results: Record<string, Awaited<ReturnType<typeof runParsed>>> = {};
  for (const kind of ['stateless', 'memory', 'lmdb'] as const) {
    const r = await runParsed(Session.builder().appName(`bench-state-${kind}`).create(), input, kind);
    if (r.inputRows !== PARSED_ROWS || r.check !== PARSED_ROWS) {
      console.error(`${kind}: read ${r.inputRows} rows, checked ${r.check}, expected ${PARSED_ROWS}`);
      process.exit(1);
    }
    results[kind] = r;
    const label =
      kind === 'stateless'
        ? 'without state (window column, every row to the sink)'
        : `windowed count+sum, ${kind} state`;
    console.log(
      `  ${label.padEnd(55)}: ${r.ms.toFixed(0)} ms  ${rate(PARSED_ROWS, r.ms)}${kind === 'stateless' ? '' : `  (state rows at the end: ${r.stateRows})`}`,
    );
  }
  const base = results.stateless!.ms;
  console.log(
    `  ratio to the query without state (target ≥ 0.5): memory ${(base / results.memory!.ms).toFixed(2)}, lmdb ${(base / results.lmdb!.ms).toFixed(2)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. K keys on the lmdb provider under a 1 GiB heap (runs in a child process).

async function manyKeysChild(): Promise<void> {
  const session = Session.builder().appName('bench-state-keys').create();
  session.conf.set('spark.sql.streaming.stateStore.providerClass', 'lmdb');
  const batches = Math.ceil(STATE_KEYS / KEYS_PER_BATCH);
  const name = 'bench_state_keys';
  let peakHeap = 0;
  let peakRss = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const sampler = setInterval(sample, 20);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  session.streams.addListener({
    onQueryProgress: (e: { progress: StreamingQueryProgress }) => {
      if (e.progress.name === name && e.progress.batchId === batches - 1) done();
    },
  });
  let outputRows = 0;
  const df = (session.readStream as { format(f: string): { option(k: string, v: number): any } })
    .format('rate-micro-batch')
    .option('rowsPerBatch', KEYS_PER_BATCH)
    .load() as DataFrame;
  delay.enable();
  const t0 = performance.now();
  const query = df
    .groupBy(col('value'))
    .agg(count('*').as('n'))
    .writeStream.queryName(name)
    .outputMode('update')
    .option('checkpointLocation', path.join(work, 'ck-keys'))
    .foreachBatch(async (batch: DataFrame) => {
      outputRows += (await batch.collectValues()).length;
      sample();
    })
    .start() as StreamingQuery;
  await finished;
  const ms = performance.now() - t0;
  delay.disable();
  await query.stop();
  clearInterval(sampler);
  sample();
  const progress = query.recentProgress.slice(0, batches);
  const last = progress.at(-1)?.stateOperators[0];
  const keys = last?.numRowsTotal ?? 0;
  const commitMs = progress.map((p) => p.stateOperators[0]?.commitTimeMs ?? 0);
  console.log(
    JSON.stringify({
      keys,
      outputRows,
      batches,
      ms,
      peakHeap,
      peakRss,
      lmdbDataBytes: last?.customMetrics?.lmdbDataBytes ?? 0,
      maxCommitMs: Math.max(...commitMs),
      p99: delay.percentile(99) / 1e6,
      max: delay.max / 1e6,
    }),
  );
}

async function manyKeysBenchmark(): Promise<void> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_CAP_MB}`, fileURLToPath(import.meta.url), 'keys-child'],
      { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve(text)
        : reject(new Error(`the ${STATE_KEYS}-key child failed (${code ?? signal}): ${text}`)),
    );
  });
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
  if (r.keys !== STATE_KEYS || r.outputRows !== STATE_KEYS) {
    console.error(`expected ${STATE_KEYS} keys and output rows, got ${r.keys} keys, ${r.outputRows} rows`);
    process.exit(1);
  }
  console.log(
    `${STATE_KEYS} keys on the lmdb state store (rate-micro-batch, await groupBy(value).count(), ${r.batches} batches of ${KEYS_PER_BATCH} new keys, heap capped at ${HEAP_CAP_MB} MiB):`,
  );
  console.log(
    `  ${r.ms!.toFixed(0)} ms (${rate(STATE_KEYS, r.ms!)}), peak heap ${mb(r.peakHeap!)} (under 1 GiB: ${r.peakHeap! < 2 ** 30 ? 'yes' : 'NO'}), peak RSS ${mb(r.peakRss!)}, LMDB data ${mb(r.lmdbDataBytes!)}, slowest commit ${r.maxCommitMs} ms`,
  );
  console.log(
    `  event-loop delay during these batches: p99 ${r.p99!.toFixed(1)} ms, max ${r.max!.toFixed(1)} ms`,
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Checkpoint and restore of M keys, both providers.

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

function checkpointBenchmark(): void {
  console.log(
    `checkpoint and restore of ${CHECKPOINT_KEYS} keys in one store ([user, window start] → [count, sum]):`,
  );
  const key = (i: number) => [`user-${i}`, T0 + (i % 1440) * 60_000];
  const value = (i: number) => [i % 1000, i * 3];
  const factories: Record<
    string,
    (id: ConstructorParameters<typeof MemoryStateStoreProvider>[0]) => StateStoreProvider
  > = {
    memory: (id) => new MemoryStateStoreProvider(id, { minDeltasForSnapshot: 1, minBatchesToRetain: 100 }),
    lmdb: (id) => new LmdbStateStoreProvider(id, { minDeltasForSnapshot: 1, minBatchesToRetain: 100 }),
  };
  for (const [name, make] of Object.entries(factories)) {
    const stateDir = path.join(work, `ck-restore-${name}`);
    const id = { stateDir, operatorId: 0, partitionId: 0, storeName: 'default' };
    const p = make(id);
    const store = p.getStore(0);
    const [, putMs] = timed(() => {
      for (let i = 0; i < CHECKPOINT_KEYS; i++) store.put(key(i), value(i));
    });
    const [, commitMs] = timed(() => store.commit());
    // A new provider loads version 1 from the delta (no snapshot yet).
    const verify = (q: StateStoreProvider): void => {
      const s = q.getStore(1);
      const probe = CHECKPOINT_KEYS - 7;
      if (s.size !== CHECKPOINT_KEYS || JSON.stringify(s.get(key(probe))) !== JSON.stringify(value(probe))) {
        console.error(`${name}: restored ${s.size} keys, expected ${CHECKPOINT_KEYS}`);
        process.exit(1);
      }
      s.abort();
    };
    const fromDelta = make(id);
    const [, deltaRestoreMs] = timed(() => verify(fromDelta));
    fromDelta.close();
    const deltaBytes = fs.statSync(path.join(stateDir, '0', '0', '1.delta')).size;
    const [, snapshotMs] = timed(() => p.doMaintenance());
    const snapshotBytes = fs.statSync(path.join(stateDir, '0', '0', '1.snapshot')).size;
    fs.rmSync(path.join(stateDir, '0', '0', '1.delta'));
    const fromSnapshot = make(id);
    const [, snapshotRestoreMs] = timed(() => verify(fromSnapshot));
    fromSnapshot.close();
    p.close();
    console.log(
      `  ${name.padEnd(6)}: puts ${putMs.toFixed(0)} ms, commit (delta file ${mb(deltaBytes)}) ${commitMs.toFixed(0)} ms, snapshot (${mb(snapshotBytes)}) ${snapshotMs.toFixed(0)} ms; restore from the delta ${deltaRestoreMs.toFixed(0)} ms, from the snapshot ${snapshotRestoreMs.toFixed(0)} ms`,
    );
  }
}

if (process.argv[2] === 'keys-child') {
  await manyKeysChild();
  process.exit(0);
}
const only = process.argv[2];
if (!only || only === 'parsed') await parsedBenchmark();
if (!only || only === 'keys') await manyKeysBenchmark();
if (!only || only === 'checkpoint') checkpointBenchmark();
process.exit(0);
