import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../test-support/harness.js';
import { OffsetStore } from './offset-store.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.promises.rm(d, { recursive: true, force: true });
});
const c = (offset: number) => ({ offset, metadata: null, leaderEpoch: -1, commitTimestamp: 1 });

test('commits survive reopening, a torn last line is ignored, deleted groups stay deleted', async () => {
  const dir = await tempDir('offsets-');
  dirs.push(dir);
  let store = new OffsetStore(dir, false);
  store.commit('g1', [{ topic: 't', partition: 0, committed: c(5) }]);
  store.commit('g1', [{ topic: 't', partition: 0, committed: c(9) }]);
  store.commit('g2', [{ topic: 't', partition: 1, committed: c(3) }]);
  store.deleteGroup('g2');
  store.close();
  fs.appendFileSync(path.join(dir, 'consumer-offsets.log'), '{"g":"g1","t":"t","p":0,"o":77'); // torn write
  store = new OffsetStore(dir, false);
  expect(store.get('g1', 't', 0)?.offset).toBe(9);
  expect(store.has('g2')).toBe(false);
  store.close();
});

test('the log is compacted while running when it grows far beyond its live entries', async () => {
  const dir = await tempDir('offsets-');
  dirs.push(dir);
  const store = new OffsetStore(dir, false);
  for (let i = 0; i < 12_000; i++) store.commit('g', [{ topic: 't', partition: i % 3, committed: c(i) }]);
  const lines = fs.readFileSync(path.join(dir, 'consumer-offsets.log'), 'utf8').trim().split('\n');
  expect(lines.length).toBeLessThan(3_000); // 12,000 commits without compaction
  expect(store.get('g', 't', 2)?.offset).toBe(11_999);
  store.close();
  const again = new OffsetStore(dir, false);
  expect(again.get('g', 't', 0)?.offset).toBe(11_997);
  again.close();
});
