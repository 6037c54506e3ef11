#!/usr/bin/env node
// `npm run oracle`: builds, then runs packages/oracle — Sluice's golden expectations re-derived by
// Apache Spark itself (pyspark in a virtualenv outside the repo, installed on first use; Java 17).
// Extra arguments select golden files by name (`npm run oracle -- 05_string`).
import { runPnpm } from './pnpm.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
for (const args of [
  ['install', '--frozen-lockfile', '--prefer-offline'],
  ['exec', 'turbo', 'run', 'build', '--filter=@sluice/oracle', '--output-logs=errors-only'],
]) {
  const code = await runPnpm(args);
  if (code !== 0) process.exit(code);
}
process.exit(await runPnpm(['--filter', '@sluice/oracle', 'run', 'oracle', ...process.argv.slice(2)]));
