import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamingQueryError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import { LmdbStateStoreProvider, lmdbLocalRoot } from './lmdb-state-store-provider.js';
import { MemoryStateStoreProvider } from './memory-state-store-provider.js';
import { getStateStoreProviderFactory } from './registry.js';
import { STATE_FILE_FORMAT, statePackr } from './state-files.js';
import type { StateStoreId, StateStoreProvider } from './state-store.js';

let dir: string;
let id: StateStoreId;
const open: StateStoreProvider[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-lmdb-'));
  id = { stateDir: dir, operatorId: 0, partitionId: 0, storeName: 'default' };
});
afterEach(() => {
  for (const p of open.splice(0)) p.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const conf = { minDeltasForSnapshot: 3, minBatchesToRetain: 4 };

function provider(): LmdbStateStoreProvider {
  const p = new LmdbStateStoreProvider(id, conf);
  open.push(p);
  return p;
}

function sorted(entries: Iterable<[unknown[], unknown[]]>): [unknown[], unknown[]][] {
  return [...entries].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('LmdbStateStoreProvider', () => {
  it('is selected by lmdb, rocksdb and Spark RocksDB provider class name', async () => {
    for (const name of [
      'lmdb',
      'rocksdb',
      'org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider',
    ]) {
      const p = getStateStoreProviderFactory(name)(id, conf);
      open.push(p);
      expect(p).toBeInstanceOf(LmdbStateStoreProvider);
    }
    expect(getStateStoreProviderFactory('memory')(id, conf)).toBeInstanceOf(MemoryStateStoreProvider);
  });

  it('commits versions as delta files and restores any version in a new provider', async () => {
    const p = provider();
    let s = p.getStore(0);
    s.put(['a'], [1]);
    s.put(['b'], [2]);
    expect(s.size).toBe(2);
    expect(s.commit()).toBe(1);
    s = p.getStore(1);
    expect(s.get(['a'])).toEqual([1]);
    s.put(['a'], [10]);
    s.remove(['b']);
    s.remove(['never']);
    s.put([null, 1.5], [new Uint8Array([1, 2]), new Map([['k', 1]])]);
    const m = s.metrics();
    expect(m.numUpdated).toBe(2);
    expect(m.numRemoved).toBe(1);
    expect(m.numKeys).toBe(2);
    expect(m.memoryUsedBytes).toBeGreaterThan(0);
    expect(s.commit()).toBe(2);
    // The heap the batch held (its overlay), also after the commit.
    expect(s.metrics().memoryUsedBytes).toBe(m.memoryUsedBytes);
    expect(fs.readdirSync(path.join(dir, '0', '0')).sort()).toEqual(['1.delta', '2.delta']);
    expect(p.getStore(2).metrics().custom.lmdbDataBytes).toBeGreaterThan(0);

    const q = provider();
    const v1 = q.getStore(1);
    expect(sorted(v1.iterator())).toEqual([
      [['a'], [1]],
      [['b'], [2]],
    ]);
    v1.abort();
    const v2 = q.getStore(2);
    expect(v2.size).toBe(2);
    expect(v2.get(['a'])).toEqual([10]);
    expect(v2.get(['b'])).toBeUndefined();
    expect(v2.get([null, 1.5])).toEqual([new Uint8Array([1, 2]), new Map([['k', 1]])]);
  });

  it('writes the same files as the in-memory provider: either reads the other', async () => {
    const p = provider();
    for (let v = 0; v < 5; v++) {
      const s = p.getStore(v);
      s.put([`k${v}`], [v, new Decimal(BigInt(v * 100 + 1), 2)]);
      if (v === 3) s.remove(['k0']);
      s.commit();
      p.doMaintenance();
    }
    expect(fs.readdirSync(path.join(dir, '0', '0'))).toContain('3.snapshot');
    const m = new MemoryStateStoreProvider(id, conf).getStore(5);
    const expected = sorted([1, 2, 3, 4].map((v) => [[`k${v}`], [v, new Decimal(BigInt(v * 100 + 1), 2)]]));
    expect(sorted(m.iterator())).toEqual(expected);
    // And back: the in-memory provider's next versions load into LMDB.
    m.put(['k9'], [9, new Decimal(1n, 0)]);
    m.commit();
    const mp = new MemoryStateStoreProvider(id, conf);
    for (let v = 6; v < 9; v++) {
      const s = mp.getStore(v);
      s.put([`m${v}`], [v]);
      s.commit();
      mp.doMaintenance();
    }
    const l = provider().getStore(9);
    expect(l.size).toBe(8);
    expect(l.get(['k9'])).toEqual([9, new Decimal(1n, 0)]);
    expect(l.get(['m8'])).toEqual([8]);
  });

  it('reads snapshots written whole by earlier versions (any msgpack array header)', async () => {
    for (const n of [3, 40, 70_000]) {
      const entries = Array.from({ length: n }, (_, i) => [[`k${i}`], [i]]);
      fs.mkdirSync(path.join(dir, '0', '0'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, '0', '0', `${n}.snapshot`),
        statePackr.pack([STATE_FILE_FORMAT, entries]),
      );
      const s = provider().getStore(n);
      expect(s.size).toBe(n);
      expect(s.get([`k${n - 1}`])).toEqual([n - 1]);
      s.abort();
    }
  });

  it('abort discards the batch: files, LMDB and a new provider all stay at the loaded version', async () => {
    const p = provider();
    const s = p.getStore(0);
    s.put(['x'], [1]);
    s.commit();
    const t = p.getStore(1);
    t.put(['x'], [2]);
    t.put(['y'], [3]);
    t.remove(['x']);
    expect(t.size).toBe(1);
    t.abort();
    expect(() => t.put(['z'], [1])).toThrow(StreamingQueryError);
    expect(fs.readdirSync(path.join(dir, '0', '0'))).toEqual(['1.delta']);
    const u = p.getStore(1);
    expect(u.get(['x'])).toEqual([1]);
    expect(u.get(['y'])).toBeUndefined();
    expect(u.size).toBe(1);
    expect(p.getStore(1).metrics().custom.lmdbLoadedVersionReuseCount).toBeGreaterThan(0);
    expect(provider().getStore(1).get(['x'])).toEqual([1]);
  });

  it('reloads an older version after a newer one was committed (a retried batch)', async () => {
    const p = provider();
    for (let v = 0; v < 3; v++) {
      const s = p.getStore(v);
      s.put(['n'], [v]);
      s.put([`only${v}`], [v]);
      s.commit();
    }
    const old = p.getStore(1);
    expect(old.get(['n'])).toEqual([0]);
    expect(old.get(['only1'])).toBeUndefined();
    expect(old.size).toBe(2);
    old.put(['n'], [100]);
    expect(old.commit()).toBe(2);
    expect(provider().getStore(2).get(['n'])).toEqual([100]);
    expect(provider().getStore(2).get(['only2'])).toBeUndefined();
  });

  it('iterates the committed state with the batch applied, safe against removing the current key', async () => {
    const p = provider();
    const s = p.getStore(0);
    for (let i = 0; i < 50; i++) s.put([i], [i]);
    s.commit();
    const t = p.getStore(1);
    t.put([1], [100]);
    t.remove([2]);
    t.put([99], [99]);
    t.remove([99]);
    t.put([77], [77]);
    const seen = new Map<number, number>();
    for (const [k, v] of t.iterator()) {
      seen.set(k[0] as number, v[0] as number);
      if ((k[0] as number) % 2 === 0) t.remove(k);
    }
    expect(seen.size).toBe(50);
    expect(seen.get(1)).toBe(100);
    expect(seen.has(2)).toBe(false);
    expect(seen.get(77)).toBe(77);
    expect(t.size).toBe(26);
    t.commit();
    const rest = [...provider().getStore(2).iterator()].map(([k]) => k[0] as number).sort((a, b) => a - b);
    expect(rest).toEqual([...seen.keys()].filter((k) => k % 2 === 1).sort((a, b) => a - b));
  });

  it('keeps keys longer than LMDB allows, Decimal and Interval values', async () => {
    const p = provider();
    const s = p.getStore(0);
    const long = 'x'.repeat(5000);
    s.put([long, 1], [new Interval(1, 2, 3)]);
    s.put([long, 2], [2]);
    s.put([new Decimal(12345n, 2)], [new Decimal(1n, 1)]);
    s.commit();
    const t = provider().getStore(1);
    expect(t.get([long, 1])).toEqual([new Interval(1, 2, 3)]);
    expect(t.get([long, 2])).toEqual([2]);
    const d = t.get([new Decimal(12345n, 2)]);
    expect(d?.[0]).toBeInstanceOf(Decimal);
    expect(sorted(t.iterator()).map(([k]) => k.length)).toEqual([1, 2, 2]);
  });

  it('writes snapshots, deletes files past the retention and still loads retained versions', async () => {
    const p = provider();
    for (let v = 0; v < 12; v++) {
      const s = p.getStore(v);
      s.put([`k${v}`], [v]);
      if (v > 0) s.remove([`k${v - 1}`]);
      s.commit();
      p.doMaintenance();
    }
    const files = fs.readdirSync(path.join(dir, '0', '0'));
    expect(files).toContain('9.snapshot');
    expect(files).not.toContain('1.delta');
    expect(files).not.toContain('3.snapshot');
    const q = provider();
    for (const v of [9, 10, 11, 12]) {
      const s = q.getStore(v);
      expect([...s.iterator()]).toEqual([[[`k${v - 1}`], [v - 1]]]);
      s.abort();
    }
    // Versions before the retention are gone: the first delta it would need is missing.
    expect(() => provider().getStore(2)).toThrow(/1\.delta does not exist/);
  });

  it('names the file when a delta or snapshot is corrupt', async () => {
    const p = provider();
    for (let v = 0; v < 3; v++) {
      const s = p.getStore(v);
      s.put([v], [v]);
      s.commit();
      p.doMaintenance();
    }
    const snap = path.join(dir, '0', '0', '3.snapshot');
    expect(fs.existsSync(snap)).toBe(true);
    fs.truncateSync(snap, fs.statSync(snap).size - 2);
    expect(() => provider().getStore(3)).toThrow(`${snap} of state store [operatorId=0, partitionId=0`);
    fs.writeFileSync(path.join(dir, '0', '0', '1.delta'), 'not msgpack at all');
    expect(() => provider().getStore(1)).toThrow(path.join(dir, '0', '0', '1.delta'));
  });

  it('keeps its working copy outside the checkpoint and deletes it on close', async () => {
    const p = new LmdbStateStoreProvider(id, conf);
    const s = p.getStore(0);
    s.put(['a'], [1]);
    s.commit();
    const work = p.workingDir!;
    expect(work.startsWith(lmdbLocalRoot())).toBe(true);
    expect(work.startsWith(dir)).toBe(false);
    expect(fs.existsSync(work)).toBe(true);
    p.close();
    await expect.poll(() => fs.existsSync(work)).toBe(false);
  });
});

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs the crash child until it prints `ready`, then kills it with SIGKILL. */
function runChildAndKill(stateDir: string, localRoot: string): Promise<{ out: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'test-support', 'lmdb-crash-child.ts'), stateDir],
      {
        cwd: path.resolve(here, '../..'),
        env: { ...process.env, SLUICE_STATE_LOCAL_DIR: localRoot },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready$/m.test(out)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve({ out, pid: child.pid! });
      else reject(new Error(`child was not killed: ${err}${out}`));
    });
  });
}

describe('LmdbStateStoreProvider after kill -9', () => {
  it('restores the last committed version, discards the batch in flight and removes the dead working copy', async () => {
    const localRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-lmdb-local-'));
    const prevRoot = process.env.SLUICE_STATE_LOCAL_DIR;
    try {
      const { out, pid } = await runChildAndKill(dir, localRoot);
      // The child committed versions 1..25 (snapshots at 10 and 20, earlier files cleaned),
      // then put and removed keys of version 26 without committing, and was killed.
      expect(out).toContain('committed 25');
      const files = fs.readdirSync(path.join(dir, '0', '0')).sort();
      expect(files).toContain('20.snapshot');
      expect(files).not.toContain('26.delta');
      const dead = fs.readdirSync(localRoot).filter((n) => n.startsWith(`${pid}-`));
      expect(dead.length).toBe(1);

      process.env.SLUICE_STATE_LOCAL_DIR = localRoot;
      const p = new LmdbStateStoreProvider(id, { minDeltasForSnapshot: 10, minBatchesToRetain: 5 });
      open.push(p);
      const s = p.getStore(25);
      // Version v put key v and bumped the counter; it removed key v - 3.
      expect(s.get(['counter'])).toEqual([25]);
      expect(s.get(['k24'])).toEqual([24]);
      expect(s.get(['k21'])).toBeUndefined();
      expect(s.get(['in-flight'])).toBeUndefined();
      expect(s.size).toBe(1 + 3);
      expect(fs.readdirSync(localRoot).filter((n) => n.startsWith(`${pid}-`))).toEqual([]);
      // The restored provider goes on from there.
      s.put(['counter'], [26]);
      expect(s.commit()).toBe(26);
      expect(new MemoryStateStoreProvider(id, conf).getStore(26).get(['counter'])).toEqual([26]);
    } finally {
      if (prevRoot === undefined) delete process.env.SLUICE_STATE_LOCAL_DIR;
      else process.env.SLUICE_STATE_LOCAL_DIR = prevRoot;
      fs.rmSync(localRoot, { recursive: true, force: true });
    }
  });
});
