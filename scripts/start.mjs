#!/usr/bin/env node
// `npm start`: install (frozen lockfile), build every package, then run the server in this process
// tree so that Ctrl-C stops it cleanly.
import { spawn } from 'node:child_process';
import { streamingNodeFlags } from './node-flags.mjs';
import { runPnpm } from './pnpm.mjs';

const steps = [
  ['install', '--frozen-lockfile', '--prefer-offline'],
  ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'],
];
for (const args of steps) {
  const code = await runPnpm(args);
  if (code !== 0) process.exit(code);
}
// The collector's flags for streaming (docs/decisions/0014, 0015).
const server = spawn(process.execPath, [...streamingNodeFlags, 'apps/server/dist/server.js'], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
