/**
 * Child process of the LMDB provider's kill -9 test: commits versions 1..25 of one store under
 * `argv[2]` (version v puts `counter` = v and `k<v>` = v and removes `k<v-3>`; maintenance after
 * each commit), then updates version 26 without committing, prints `ready` and waits for SIGKILL.
 */
import { LmdbStateStoreProvider } from '../lmdb-state-store-provider.js';

const stateDir = process.argv[2]!;
const p = new LmdbStateStoreProvider(
  { stateDir, operatorId: 0, partitionId: 0, storeName: 'default' },
  { minDeltasForSnapshot: 10, minBatchesToRetain: 5 },
);
for (let v = 1; v <= 25; v++) {
  const s = p.getStore(v - 1);
  s.put(['counter'], [v]);
  s.put([`k${v}`], [v]);
  s.remove([`k${v - 3}`]);
  s.commit();
  p.doMaintenance();
}
process.stdout.write('committed 25\n');
const s = p.getStore(25);
s.put(['in-flight'], [1]);
s.put(['counter'], [1000]);
s.remove(['k25']);
process.stdout.write('ready\n');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
