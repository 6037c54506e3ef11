/**
 * Child process of the golden kill -9 tests: runs one golden query (`argv[2]`) over the work
 * directory (`argv[3]`) with Trigger.AvailableNow, printing `batch <id>` after each batch's output
 * was written, and `done` at the end. With `argv[4]` = k it stops inside batch k's sink call (after
 * the output was written, before the commit log) until the parent kills it.
 * `SLUICE_GOLDEN_STATE_PROVIDER` selects the state store provider.
 */
import { loadGoldenSpec, startQuery } from './golden-runner.js';

const [name, work, hangAt] = process.argv.slice(2);
const spec = await loadGoldenSpec(name!);
const q = await startQuery(spec, work!, {
  stateProvider: process.env.SLUICE_GOLDEN_STATE_PROVIDER,
  onBatch: (id) => {
    process.stdout.write(`batch ${id}\n`);
    if (hangAt !== undefined && id === Number(hangAt)) {
      // Block (synchronously, like a stuck sink) until SIGKILL arrives.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
    }
  },
});
await q.awaitTermination();
process.stdout.write('done\n');
