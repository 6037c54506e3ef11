/**
 * The Nexmark harness end to end on a small input (not a measurement: nothing here is timed): the
 * compiled harness (`npm test` builds first) runs q0, q1, q2 and q5 through Sluice and through the
 * hand-written kafkajs programs, over the embedded broker in its own process, and both sides'
 * outputs must be the same records — the check every ratio of `npm run bench -- nexmark` rests on.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const harness = fileURLToPath(new URL('../../dist/nexmark/run.js', import.meta.url));

interface ResultRow {
  query: string;
  system: string;
  outputRecords: number | null;
  checksum: string | null;
  p50Ms: number | null;
  p99Ms: number | null;
  vsOwnQ0?: number;
  vsKafkajs?: number;
  asyncProgressP99Ms?: number;
  continuousP99Ms?: number;
  error?: string;
}

interface Results {
  results: ResultRow[];
  latencyFloor?: { p50Ms: number; p99Ms: number };
}

/** Runs the compiled harness with `env`; resolves to its results file and its output. */
async function runHarness(env: Record<string, string>): Promise<{ results: Results; output: string }> {
  expect(fs.existsSync(harness), `${harness} is missing: build the bench package first`).toBe(true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-nexmark-test-'));
  const file = path.join(dir, 'results.json');
  try {
    const child = spawn(process.execPath, [harness], {
      env: { ...process.env, ...env, NEXMARK_RESULTS: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    return { results: JSON.parse(fs.readFileSync(file, 'utf8')) as Results, output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rowOf = (results: Results, query: string, system: string) =>
  results.results.find((r) => r.query === query && r.system === system);

describe('Nexmark harness', () => {
  it('q0, q1, q2 and q5: Sluice writes the same records as the hand-written kafkajs programs', async () => {
    const { results, output } = await runHarness({
      // 40,000 events span 20 s of event time: q5's 10 s windows sliding by 2 s close.
      NEXMARK_EVENTS: '40000',
      NEXMARK_RUNS: '1',
      NEXMARK_LATENCY: '0',
      NEXMARK_QUERIES: 'q0,q1,q2,q5',
    });
    for (const query of ['q0', 'q1', 'q2', 'q5']) {
      const sluice = rowOf(results, query, 'sluice');
      const hand = rowOf(results, query, 'kafkajs');
      expect(sluice?.error, `${query}: ${output}`).toBeUndefined();
      expect(sluice?.outputRecords, query).toBeGreaterThan(0);
      expect(sluice?.outputRecords, query).toBe(hand?.outputRecords);
      expect(sluice?.checksum, query).toBe(hand?.checksum);
      // The ratio to the hand-written program, from runs that alternate with it.
      expect(sluice?.vsKafkajs, query).toBeGreaterThan(0);
    }
    // q5's target is a ratio to q0: measured against q0 runs alternating with its own.
    const q5 = rowOf(results, 'q5', 'sluice');
    expect(q5?.vsOwnQ0, output).toBeGreaterThan(0);
  }, 240_000);

  it('measures latency end to end: the producer and reader processes, every trigger, the floor', async () => {
    // Not a measurement (nothing is compared with a time): the latency path's processes run and
    // report, at a low rate, for each of Sluice's triggers and for the harness's floor.
    const { results, output } = await runHarness({
      NEXMARK_EVENTS: '2000',
      NEXMARK_RUNS: '1',
      NEXMARK_QUERIES: 'q0',
      NEXMARK_SYSTEMS: 'sluice',
      NEXMARK_LATENCY_RATE: '1000',
      NEXMARK_LATENCY_RUNS: '1',
      NEXMARK_LATENCY_SECONDS: '1',
      // The diagnostics docs/performance.md quotes: each process's CPU share, the event loop's own
      // share and its wait for a core, and every batch timed from the measured start.
      NEXMARK_VERBOSE: '1',
    });
    for (const variant of ['default', 'asyncProgress', 'continuous'])
      expect(output).toMatch(
        new RegExp(
          `q0 sluice ${variant}: CPU while the measured events were produced: broker \\d+%, producer \\d+%, reader \\d+%, system \\d+%, its event loop \\d+%, this process's event loop waited for a core \\d+% of the time\n`,
        ),
      );
    // Batches are printed as ms after the measured start, the warm-up's as negative ms (they were
    // once printed as -Infinity, computed before the start was known).
    expect(output).toMatch(/q0 latency batches:\n-?\d+ \d+:\{/);
    expect(output).not.toContain('Infinity');
    const q0 = rowOf(results, 'q0', 'sluice');
    for (const ms of [q0?.p50Ms, q0?.p99Ms, q0?.asyncProgressP99Ms, q0?.continuousP99Ms]) {
      expect(ms, output).toBeTypeOf('number');
      expect(ms!, output).toBeGreaterThanOrEqual(0);
    }
    expect(results.latencyFloor?.p99Ms, output).toBeTypeOf('number');
  }, 240_000);
});
