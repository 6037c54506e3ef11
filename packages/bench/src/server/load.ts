/**
 * Server load benchmark (not a test): the built server (`apps/server/dist/server.js`, as `npm start`
 * runs it, on PGlite and the embedded broker) hosting busy queries while socket.io clients watch them
 * and a REST client polls. Printed:
 *  - delivery latency p50/p99/max: from the end of a trigger (progress `timestamp` +
 *    `durationMs.triggerExecution`) to the moment a socket.io client receives that progress event;
 *  - REST p50/p99 of `GET /api/queries` and `GET /api/queries/:id`, on the idle server first (the
 *    baseline, same run) and under load, and their ratio;
 *  - server CPU (process, all threads: queries run in worker threads) and event-loop delay p99 (from
 *    prom-client's `sluice_nodejs_eventloop_lag_p99_seconds` on `/metrics`);
 *  - progress events expected vs received, so a dropped event shows.
 *
 *   npm run bench -- load
 *   LOAD_QUERIES=20 LOAD_CLIENTS=200 LOAD_SECONDS=60 node packages/bench/dist/server/load.js
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';

const QUERIES = Number(process.env.LOAD_QUERIES ?? 20);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const ROWS_PER_SECOND = Number(process.env.LOAD_ROWS_PER_SECOND ?? 5000);
const TRIGGER = process.env.LOAD_TRIGGER ?? '250 milliseconds';
const REST_CONCURRENCY = 4;

const serverEntry = fileURLToPath(new URL('../../../../apps/server/dist/server.js', import.meta.url));

interface Progress {
  id: string;
  batchId: number;
  timestamp: string;
  durationMs: { triggerExecution?: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(values: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    n: sorted.length,
  };
}

const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');

async function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [serverEntry], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SLUICE_DATA_DIR: dataDir,
      SLUICE_BROKER_PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      KAFKA_BROKERS: '',
      SLUICE_API_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /open (http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { url, child };
}

async function api<T>(url: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Polls REST with a few concurrent loops until `until`; returns each request's latency in ms. */
async function restLoad(base: string, ids: string[], until: number): Promise<number[]> {
  const latencies: number[] = [];
  let i = 0;
  const loop = async () => {
    while (Date.now() < until) {
      const path = i++ % 2 === 0 || ids.length === 0 ? '/api/queries' : `/api/queries/${ids[i % ids.length]}`;
      const t0 = performance.now();
      await api(`${base}${path}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: REST_CONCURRENCY }, loop));
  return latencies;
}

function cpuSeconds(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function eventLoopP99Ms(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /^sluice_nodejs_eventloop_lag_p99_seconds\s+([0-9.e+-]+)/m.exec(text);
  return m ? Number(m[1]) * 1000 : Number.NaN;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-bench-load-'));
  const { url, child } = await startServer(dataDir);
  const sockets: Socket[] = [];
  try {
    console.log(
      `server ${url}: ${QUERIES} queries (rate ${ROWS_PER_SECOND} rows/s, trigger ${TRIGGER}), ${CLIENTS} socket.io clients, ${SECONDS} s`,
    );
    // Baseline: REST on the idle server, same run, same requests.
    const idle = summary(await restLoad(url, [], Date.now() + 5_000));

    const ids: string[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const created = await api<{ id: string }>(`${url}/api/queries?start=true`, 'POST', {
        name: `load_${q}`,
        sources: { events: { format: 'rate', options: { rowsPerSecond: String(ROWS_PER_SECOND) } } },
        sql: 'SELECT value % 100 AS bucket, count(*) AS events, max(timestamp) AS latest FROM events GROUP BY value % 100',
        sink: { format: 'memory' },
        outputMode: 'complete',
        trigger: { processingTime: TRIGGER },
      });
      ids.push(created.id);
    }

    const delivery: number[] = [];
    const received = new Map<string, Set<number>>();
    let connected = 0;
    for (let c = 0; c < CLIENTS; c++) {
      const id = ids[c % ids.length]!;
      const socket = io(url, { path: '/socket.io', transports: ['websocket'], forceNew: true });
      sockets.push(socket);
      socket.on('connect', () => {
        connected++;
        socket.emit('subscribe', `query:${id}`);
        socket.emit('subscribe', 'queries');
      });
      socket.on('progress', (event: { queryId: string; progress: Progress }) => {
        const now = Date.now();
        const p = event.progress;
        const end = Date.parse(p.timestamp) + (p.durationMs.triggerExecution ?? 0);
        delivery.push(now - end);
        if (c < ids.length) {
          const seen = received.get(event.queryId) ?? new Set<number>();
          seen.add(p.batchId);
          received.set(event.queryId, seen);
        }
      });
    }
    const deadline = Date.now() + 30_000;
    while (connected < CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    // Measure from a steady state: queries started, clients connected.
    const cpu0 = cpuSeconds(child.pid!);
    const t0 = Date.now();
    delivery.length = 0;
    const loopDelays: number[] = [];
    const sampler = setInterval(() => {
      void eventLoopP99Ms(url).then((ms) => loopDelays.push(ms));
    }, 5_000);
    const loaded = summary(await restLoad(url, ids, t0 + SECONDS * 1000));
    clearInterval(sampler);
    const elapsed = (Date.now() - t0) / 1000;
    const cpu = (cpuSeconds(child.pid!) - cpu0) / elapsed;

    // Every query's progress history (Postgres) vs what its first subscriber received.
    let expected = 0;
    let missing = 0;
    for (const id of ids) {
      const view = await api<{ lastProgress: { batchId: number } | null }>(`${url}/api/queries/${id}`);
      const seen = received.get(id) ?? new Set<number>();
      const last = view.lastProgress?.batchId ?? -1;
      const first = Math.min(...seen);
      for (let b = Number.isFinite(first) ? first : 0; b <= last; b++) {
        expected++;
        if (!seen.has(b)) missing++;
      }
    }

    const d = summary(delivery);
    const loop = summary(loopDelays.filter(Number.isFinite));
    console.log('\n| measure | p50 | p99 | max | samples |');
    console.log('|---|---|---|---|---|');
    console.log(`| progress → socket.io client | ${fmt(d.p50)} | ${fmt(d.p99)} | ${fmt(d.max)} | ${d.n} |`);
    console.log(
      `| REST, idle server (baseline) | ${fmt(idle.p50)} | ${fmt(idle.p99)} | ${fmt(idle.max)} | ${idle.n} |`,
    );
    console.log(
      `| REST, ${QUERIES} busy queries | ${fmt(loaded.p50)} | ${fmt(loaded.p99)} | ${fmt(loaded.max)} | ${loaded.n} |`,
    );
    console.log(
      `| event-loop delay p99 (5 s samples) | ${fmt(loop.p50)} | ${fmt(loop.p99)} | ${fmt(loop.max)} | ${loop.n} |`,
    );
    console.log(
      `\nREST p99 under load / idle: ${(loaded.p99 / idle.p99).toFixed(2)}×; server CPU ${(cpu * 100).toFixed(0)}% of one core; ` +
        `progress events ${expected - missing}/${expected} delivered to the first subscriber of each query; ${connected}/${CLIENTS} clients connected`,
    );
    if (missing > 0 || connected < CLIENTS) process.exitCode = 1;
  } finally {
    for (const s of sockets) s.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
