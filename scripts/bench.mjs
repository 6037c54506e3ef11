#!/usr/bin/env node
// `npm run bench`: builds, then runs every benchmark script of @sluice/bench (`bench:*`), each printing
// its results as ratios against a baseline measured in the same run.
import { readFileSync } from 'node:fs';
import { runPnpm } from './pnpm.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const only = process.argv[2];
for (const args of [
  ['install', '--frozen-lockfile', '--prefer-offline'],
  ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'],
]) {
  const code = await runPnpm(args);
  if (code !== 0) process.exit(code);
}
const scripts = Object.keys(JSON.parse(readFileSync('packages/bench/package.json', 'utf8')).scripts ?? {})
  .filter((name) => name.startsWith('bench:'))
  .filter((name) => !only || name === `bench:${only}`);
if (scripts.length === 0) {
  console.error(only ? `no benchmark named bench:${only}` : 'no benchmarks defined in packages/bench');
  process.exit(1);
}
let failed = 0;
for (const script of scripts) {
  console.log(`\n▶ ${script}`);
  if ((await runPnpm(['--filter', '@sluice/bench', 'run', script])) !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
