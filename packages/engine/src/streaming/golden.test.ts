import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  batchCount,
  collectOutput,
  type GoldenSpec,
  goldenPath,
  listGoldenQueries,
  loadGoldenSpec,
  prepareInputs,
  startQuery,
} from './test-support/golden-runner.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const here = path.dirname(fileURLToPath(import.meta.url));
const engineDir = path.resolve(here, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function workDir(spec: GoldenSpec, variant: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-golden-${spec.name}-${variant}-`));
  dirs.push(d);
  prepareInputs(spec, d);
  return d;
}

function expectGolden(spec: GoldenSpec, actual: string): void {
  const file = goldenPath(spec.name);
  if (UPDATE) fs.writeFileSync(file, actual);
  expect(actual.length).toBeGreaterThan(0);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

let lastChildOutput = '';

/** Runs the child process until it prints `batch <stopAt>`, then kills it with SIGKILL. */
function runChildAndKill(spec: GoldenSpec, work: string, stopAt: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      // The child blocks inside batch stopAt's sink call, so the kill always lands mid-batch.
      [
        '--import',
        'tsx',
        path.join(here, 'test-support', 'golden-child.ts'),
        spec.name,
        work,
        String(stopAt),
      ],
      {
        cwd: engineDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!killed && new RegExp(`^batch ${stopAt}$`, 'm').test(out)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      lastChildOutput = out;
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

const names = listGoldenQueries();

describe.each(names)('golden %s', (name) => {
  it('runs straight through', async () => {
    const spec = await loadGoldenSpec(name);
    const work = workDir(spec, 'straight');
    if (spec.fail) {
      const run = async () => {
        const q = await startQuery(spec, work);
        await q.awaitTermination();
      };
      await expect(run()).rejects.toThrow(spec.fail);
      return;
    }
    const q = await startQuery(spec, work);
    await q.awaitTermination();
    // One batch per input file, plus the no-data batches a moving watermark asks for.
    expect(q.recentProgress.length).toBeGreaterThanOrEqual(batchCount(spec));
    expectGolden(spec, collectOutput(work));
  });

  it('matches the golden file after a stop and a restart from the checkpoint', async () => {
    const spec = await loadGoldenSpec(name);
    if (spec.fail) return;
    const work = workDir(spec, 'restart');
    const stopAt = Math.floor(batchCount(spec) / 2) - 1;
    let first: Awaited<ReturnType<typeof startQuery>> | undefined;
    first = await startQuery(spec, work, {
      trigger: { processingTime: '0 seconds' },
      onBatch: (id) => {
        if (id === stopAt) void first?.stop();
      },
    });
    await first.awaitTermination();
    const committed = fs.readdirSync(path.join(work, 'checkpoint', 'commits')).filter((f) => /^\d+$/.test(f));
    expect(committed.length).toBe(stopAt + 1);
    const second = await startQuery(spec, work);
    expect(second.id).toBe(first.id);
    expect(second.runId).not.toBe(first.runId);
    await second.awaitTermination();
    expect(collectOutput(work)).toBe(fs.readFileSync(goldenPath(name), 'utf8'));
  });

  it('matches the golden file after kill -9 of a child process and a restart', async () => {
    const spec = await loadGoldenSpec(name);
    if (spec.fail) return;
    const work = workDir(spec, 'kill');
    const stopAt = Math.floor(batchCount(spec) / 2);
    expect(await runChildAndKill(spec, work, stopAt)).toBe('killed');
    // Killed inside batch stopAt's sink call: it has an offsets entry and no commit, so the
    // restart re-runs it with the same offsets.
    expect(fs.existsSync(path.join(work, 'checkpoint', 'offsets', String(stopAt)))).toBe(true);
    const commits = fs.readdirSync(path.join(work, 'checkpoint', 'commits')).filter((f) => /^\d+$/.test(f));
    expect(
      commits.sort(),
      `commits after the kill at batch ${stopAt}; child printed ${JSON.stringify(lastChildOutput)}`,
    ).toEqual(Array.from({ length: stopAt }, (_, i) => String(i)).sort());
    const q = await startQuery(spec, work);
    await q.awaitTermination();
    expect(collectOutput(work)).toBe(fs.readFileSync(goldenPath(name), 'utf8'));
  });
});
