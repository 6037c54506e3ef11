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

/**
 * The streaming goldens again on the on-disk (LMDB) state store provider: the same expected
 * output straight through and after kill -9 of a child process and a restart, which rebuilds
 * the working copy from the checkpoint's files (docs/decisions/0004).
 */
const PROVIDER = 'lmdb';
const here = path.dirname(fileURLToPath(import.meta.url));
const engineDir = path.resolve(here, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function workDir(spec: GoldenSpec, variant: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-golden-lmdb-${spec.name}-${variant}-`));
  dirs.push(d);
  prepareInputs(spec, d);
  return d;
}

/** Runs the golden child until it prints `batch <stopAt>` (it then blocks in the sink), and kills it. */
function runChildAndKill(spec: GoldenSpec, work: string, stopAt: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
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
        env: { ...process.env, SLUICE_GOLDEN_STATE_PROVIDER: PROVIDER },
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
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

const names = listGoldenQueries().filter((n) => !n.startsWith('fail_'));

describe.each(names)('golden %s on the lmdb state store', (name) => {
  it('matches the golden file straight through and after kill -9 and a restart', async () => {
    const spec = await loadGoldenSpec(name);
    if (spec.fail) return;
    const expected = fs.readFileSync(goldenPath(name), 'utf8');
    const work = workDir(spec, 'straight');
    const q = await startQuery(spec, work, { stateProvider: PROVIDER });
    await q.awaitTermination();
    expect(collectOutput(work)).toBe(expected);
    const stateful = fs.existsSync(path.join(work, 'checkpoint', 'state'));
    if (!stateful) return;
    expect(fs.readFileSync(path.join(work, 'checkpoint', 'offsets', '0'), 'utf8')).toContain(
      `"spark.sql.streaming.stateStore.providerClass":"${PROVIDER}"`,
    );
    expect(q.lastProgress?.stateOperators[0]?.customMetrics).toHaveProperty('lmdbDataBytes');

    const killWork = workDir(spec, 'kill');
    const stopAt = Math.floor(batchCount(spec) / 2);
    expect(await runChildAndKill(spec, killWork, stopAt)).toBe('killed');
    expect(fs.existsSync(path.join(killWork, 'checkpoint', 'commits', String(stopAt)))).toBe(false);
    const again = await startQuery(spec, killWork);
    await again.awaitTermination();
    expect(collectOutput(killWork)).toBe(expected);
  });
});
