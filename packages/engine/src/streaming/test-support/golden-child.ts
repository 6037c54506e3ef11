/**
 * Child process of the golden kill -9 tests: runs one golden query (`argv[2]`) over the work
 * directory (`argv[3]`) with Trigger.AvailableNow, printing `batch <id>` after each batch's output
 * was written, and `done` at the end.
 */
import { loadGoldenSpec, startQuery } from './golden-runner.js';

const [name, work] = process.argv.slice(2);
const spec = await loadGoldenSpec(name!);
const q = await startQuery(spec, work!, {
  onBatch: (id) => {
    process.stdout.write(`batch ${id}\n`);
  },
});
await q.awaitTermination();
process.stdout.write('done\n');
