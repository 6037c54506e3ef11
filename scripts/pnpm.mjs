#!/usr/bin/env node
// Runs pnpm on a machine that has only Node and npm: corepack cannot fetch pnpm here,
// `npx -y pnpm@<version>` can. Usable as a module (runPnpm) or as a CLI (`node scripts/pnpm.mjs install`).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PNPM_VERSION = '10.34.9';

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ['pnpm', []];
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}

/** Runs pnpm with args; resolves with the exit code. Signals are forwarded so Ctrl-C leaves no orphans. */
export function runPnpm(args, options = {}) {
  const [cmd, prefix] = pnpmCommand();
  return new Promise((resolve) => {
    const env = { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...process.env, ...options.env };
    const child = spawn(cmd, [...prefix, ...args], { stdio: 'inherit', ...options, env });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + 1 : 1));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(await runPnpm(process.argv.slice(2)));
}
