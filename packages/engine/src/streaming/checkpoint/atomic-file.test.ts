import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  writeFileAtomic,
  writeFileAtomicAsync,
  writeFileAtomicIfAbsent,
  writeFileAtomicIfAbsentAsync,
} from './atomic-file.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const entries = (d: string) => fs.readdirSync(d).sort();

describe('atomic writes', () => {
  it('replace a file, create one only if absent, and leave no temp file (sync and on the writer thread)', async () => {
    const file = path.join(dir, 'logs', 'commits', '0');
    await writeFileAtomicAsync(file, 'v1\n{}');
    expect(fs.readFileSync(file, 'utf8')).toBe('v1\n{}');
    await writeFileAtomicAsync(file, new TextEncoder().encode('v1\n{"a":1}'));
    expect(fs.readFileSync(file, 'utf8')).toBe('v1\n{"a":1}');
    expect(await writeFileAtomicIfAbsentAsync(file, 'other')).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('v1\n{"a":1}');
    expect(await writeFileAtomicIfAbsentAsync(path.join(dir, 'logs', 'commits', '1'), 'one')).toBe(true);
    expect(writeFileAtomicIfAbsent(path.join(dir, 'logs', 'commits', '1'), 'again')).toBe(false);
    writeFileAtomic(path.join(dir, 'logs', 'commits', '2'), 'two');
    expect(entries(path.join(dir, 'logs', 'commits'))).toEqual(['0', '1', '2']);
    expect(fs.readFileSync(path.join(dir, 'logs', 'commits', '1'), 'utf8')).toBe('one');
  });

  it('keep the order and contents of many concurrent writes on the writer thread', async () => {
    const files = Array.from({ length: 50 }, (_, i) => path.join(dir, `f${i}`));
    const written = await Promise.all(files.map((f, i) => writeFileAtomicIfAbsentAsync(f, `entry ${i}`)));
    expect(written.every((w) => w)).toBe(true);
    expect(files.map((f) => fs.readFileSync(f, 'utf8'))).toEqual(files.map((_, i) => `entry ${i}`));
    expect(entries(dir)).toHaveLength(50);
  });

  it('fail with the file system error and its code', async () => {
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, 'x');
    // the writer thread asked directly (past the caller's mkdir): the error comes from the thread
    const { writeOnLogThread } = await import('./log-writer-thread.js');
    await expect(writeOnLogThread(path.join(plain, 'entry'), 'data', false, true)).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
    await expect(writeFileAtomicAsync(path.join(plain, 'sub', 'entry'), 'data')).rejects.toThrow(/ENOTDIR/);
    // the thread still serves later writes
    await writeFileAtomicAsync(path.join(dir, 'after'), 'ok');
    expect(fs.readFileSync(path.join(dir, 'after'), 'utf8')).toBe('ok');
  });
});
