import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamingQueryError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import { MemoryStateStoreProvider } from './memory-state-store-provider.js';
import { StateFiles } from './state-files.js';
import type { StateStoreId } from './state-store.js';

let dir: string;
let id: StateStoreId;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-state-'));
  id = { stateDir: dir, operatorId: 0, partitionId: 0, storeName: 'default' };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const conf = { minDeltasForSnapshot: 3, minBatchesToRetain: 4 };

describe('MemoryStateStoreProvider', () => {
  it('commits versions as delta files and restores any version in a new provider', async () => {
    const p = new MemoryStateStoreProvider(id, conf);
    let s = p.getStore(0);
    s.put(['a'], [1]);
    s.put(['b'], [2]);
    expect(s.commit()).toBe(1);
    s = p.getStore(1);
    expect(s.get(['a'])).toEqual([1]);
    s.put(['a'], [10]);
    s.remove(['b']);
    s.put([null, 1.5], [new Uint8Array([1, 2]), new Map([['k', 1]])]);
    const m = s.metrics();
    expect(m.numUpdated).toBe(2);
    expect(m.numRemoved).toBe(1);
    expect(m.numKeys).toBe(2);
    expect(m.memoryUsedBytes).toBeGreaterThan(0);
    expect(s.commit()).toBe(2);
    expect(fs.readdirSync(path.join(dir, '0', '0')).sort()).toEqual(['1.delta', '2.delta']);

    const q = new MemoryStateStoreProvider(id, conf);
    const v1 = q.getStore(1);
    expect([...v1.iterator()].sort()).toEqual([
      [['a'], [1]],
      [['b'], [2]],
    ]);
    v1.abort();
    const v2 = q.getStore(2);
    expect(v2.get(['a'])).toEqual([10]);
    expect(v2.get(['b'])).toBeUndefined();
    expect(v2.get([null, 1.5])).toEqual([new Uint8Array([1, 2]), new Map([['k', 1]])]);
  });

  it('writes each key a version touched once, with its final value', async () => {
    const p = new MemoryStateStoreProvider(id, conf);
    let s = p.getStore(0);
    s.put(['gone'], [0]);
    s.commit();
    s = p.getStore(1);
    for (let n = 1; n <= 5; n++) s.put(['count'], [n]);
    s.put(['brief'], [1]);
    s.remove(['brief']);
    s.remove(['gone']);
    expect(s.metrics().numUpdated).toBe(6);
    s.commit();
    const delta = new StateFiles(id).readDelta(2);
    expect(delta).toEqual([
      [1, ['count'], [5]],
      [0, ['gone']],
    ]);
    const v2 = new MemoryStateStoreProvider(id, conf).getStore(2);
    expect([...v2.iterator()]).toEqual([[['count'], [5]]]);
  });

  it('keeps Decimal and Interval keys and values through the files', async () => {
    const p = new MemoryStateStoreProvider(id, conf);
    const s = p.getStore(0);
    const key = [new Decimal(12345n, 2), 'x'];
    s.put(key, [new Interval(1, 2, 3)]);
    s.commit();
    const q = new MemoryStateStoreProvider(id, conf).getStore(1);
    const entries = [...q.iterator()];
    expect(entries.length).toBe(1);
    const [k, v] = entries[0]!;
    expect(k![0]).toBeInstanceOf(Decimal);
    expect((k![0] as Decimal).toString()).toBe('123.45');
    expect(v![0]).toEqual(new Interval(1, 2, 3));
    expect(q.get([new Decimal(12345n, 2), 'x'])).toEqual([new Interval(1, 2, 3)]);
  });

  it('abort restores the loaded version', async () => {
    const p = new MemoryStateStoreProvider(id, conf);
    const s = p.getStore(0);
    s.put(['x'], [1]);
    s.commit();
    const t = p.getStore(1);
    t.put(['x'], [2]);
    t.put(['y'], [3]);
    t.remove(['x']);
    t.abort();
    const u = p.getStore(1);
    expect(u.get(['x'])).toEqual([1]);
    expect(u.get(['y'])).toBeUndefined();
    expect(() => t.put(['z'], [1])).toThrow(StreamingQueryError);
  });

  it('writes snapshots, deletes files past the retention and still loads retained versions', async () => {
    const p = new MemoryStateStoreProvider(id, conf);
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
    const q = new MemoryStateStoreProvider(id, conf);
    for (const v of [9, 10, 11, 12]) {
      const s = q.getStore(v);
      expect([...s.iterator()]).toEqual([[[`k${v - 1}`], [v - 1]]]);
      s.abort();
    }
  });

  it('names the file when a delta is missing or corrupt', async () => {
    const p = new MemoryStateStoreProvider(id, conf);
    const s = p.getStore(0);
    s.put(['a'], [1]);
    s.commit();
    expect(() => new MemoryStateStoreProvider(id, conf).getStore(2)).toThrow(/2\.delta does not exist/);
    fs.writeFileSync(path.join(dir, '0', '0', '1.delta'), 'not msgpack at all');
    expect(() => new MemoryStateStoreProvider(id, conf).getStore(1)).toThrow(
      path.join(dir, '0', '0', '1.delta'),
    );
  });

  it('keeps named stores (join state) in their own folders', async () => {
    const p = new MemoryStateStoreProvider({ ...id, operatorId: 3, storeName: 'left-keyToNumValues' }, conf);
    const s = p.getStore(0);
    s.put([1], [2]);
    s.commit();
    expect(fs.existsSync(path.join(dir, '3', '0', 'left-keyToNumValues', '1.delta'))).toBe(true);
  });
});
