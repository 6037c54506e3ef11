import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { committedSinkFiles } from '../sinks/file-sink-log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const engineDir = path.resolve(here, '../..');
const childScript = path.join(here, 'test-support', 'file-sink-child.ts');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-filesink-kill-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const FILES = 200;
const ROWS_PER_FILE = 3;

/** Runs the child; kills it with SIGKILL `delayMs` after it reports `started` (unless it finishes first). */
function runChild(delayMs: number | undefined): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, work], {
      cwd: engineDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A killed process loses nothing the page cache holds: fsync only matters for power loss.
      env: { ...process.env, SLUICE_CHECKPOINT_FSYNC: 'false' },
    });
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      if (delayMs !== undefined && timer === undefined && d.toString().includes('started')) {
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

describe('file sink exactly-once', () => {
  it('has no duplicate and no missing row after 20 random kill -9 of the writing process', async () => {
    const inDir = path.join(work, 'in');
    fs.mkdirSync(inDir, { recursive: true });
    let id = 0;
    let fileNo = 0;
    const addFiles = (n: number) => {
      for (let k = 0; k < n; k++, fileNo++) {
        const lines: string[] = [];
        for (let r = 0; r < ROWS_PER_FILE; r++, id++) {
          lines.push(JSON.stringify({ id, grp: `g${id % 3}`, payload: `row-${id}` }));
        }
        const file = path.join(inDir, `part-${String(fileNo).padStart(5, '0')}.json`);
        fs.writeFileSync(file, `${lines.join('\n')}\n`);
        fs.utimesSync(file, 1_700_000_000 + fileNo, 1_700_000_000 + fileNo);
      }
    };
    addFiles(FILES);
    // Deterministic pseudo-random kill delays (the kill points still vary with timing).
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let kills = 0;
    while (kills < 20) {
      const outcome = await runChild(Math.floor(20 + next() * 130));
      if (outcome === 'killed') kills++;
      // The stream ran dry before the kill: more files arrive, as in any unbounded stream.
      else addFiles(40);
    }
    expect(await runChild(undefined)).toBe('finished');
    const committedBatches = fs
      .readdirSync(path.join(work, 'checkpoint', 'commits'))
      .filter((f) => /^\d+$/.test(f));
    expect(committedBatches.length).toBeGreaterThan(0);

    const files = committedSinkFiles(path.join(work, 'out'));
    const ids: number[] = [];
    for (const f of files) {
      const grp = /grp=(g\d)/.exec(f)?.[1];
      for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
        if (!line) continue;
        const row = JSON.parse(line) as { id: number; payload: string; twice: number };
        expect(row.payload).toBe(`row-${row.id}`);
        expect(row.twice).toBe(row.id * 2);
        expect(grp).toBe(`g${row.id % 3}`);
        ids.push(row.id);
      }
    }
    ids.sort((a, b) => a - b);
    expect(ids.length).toBe(id);
    expect(ids).toEqual(Array.from({ length: id }, (_, i) => i));
  }, 170_000);
});
