#!/usr/bin/env node
// `npm run fuzz`: the fuzz tests (`*.fuzz.test.ts`) with many more iterations than `npm test` runs,
// for minutes. SLUICE_FUZZ_ITERATIONS and SLUICE_FUZZ_SEED override the count and the seed.
import { runPnpm } from './pnpm.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const code = await runPnpm(['exec', 'vitest', 'run', '.fuzz.test.ts', ...process.argv.slice(2)], {
  env: { SLUICE_FUZZ_ITERATIONS: process.env.SLUICE_FUZZ_ITERATIONS ?? '300000' },
});
process.exit(code);
