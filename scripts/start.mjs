#!/usr/bin/env node
// `npm start`: install (frozen lockfile), build every package, then run the server in this process
// tree so that Ctrl-C stops it cleanly.
import { spawn } from 'node:child_process';
import { runPnpm } from './pnpm.mjs';

const steps = [
  ['install', '--frozen-lockfile', '--prefer-offline'],
  ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'],
];
for (const args of steps) {
  const code = await runPnpm(args);
  if (code !== 0) process.exit(code);
}
// A larger young generation and old space (docs/decisions/0014): streaming allocates fast and keeps
// records briefly; with V8's defaults they are promoted and full collections pause every batch.
// Keep in step with `bench:nexmark` in packages/bench/package.json.
const heapFlags = ['--max-semi-space-size=32', '--initial-old-space-size=256'];
const server = spawn(process.execPath, [...heapFlags, 'apps/server/dist/server.js'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
