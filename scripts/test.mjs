#!/usr/bin/env node
// `npm test` on a fresh clone: install what is missing (pnpm deps, Debian's Chromium and Kafka
// clients, a running Postgres), then lint, build, typecheck and run every test in one vitest run.
// The last line is the plain summary `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPnpm } from './pnpm.mjs';
import { ensureTestPostgres } from './test-postgres.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

function log(message) {
  console.log(`\n▶ ${message}`);
}

function sh(command, args, options = {}) {
  return spawnSync(command, args, { stdio: 'inherit', ...options }).status ?? 1;
}

async function step(name, args) {
  log(name);
  const code = await runPnpm(args);
  if (code !== 0) {
    console.error(`\n✖ ${name} failed (exit ${code})`);
    process.exit(code);
  }
}

function ensureDebianPackages() {
  const wanted = [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/kcat', 'kcat'],
  ];
  const missing = wanted.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  const python = spawnSync('/usr/bin/python3', ['-c', 'import kafka, confluent_kafka'], { stdio: 'ignore' });
  if (python.status !== 0) missing.push('python3-kafka', 'python3-confluent-kafka');
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => (asRoot.length ? sh('sudo', args) : sh(args[0], args.slice(1)));
  if (run(['apt-get', 'update', '-qq']) !== 0 || run(['apt-get', 'install', '-y', '-qq', ...missing]) !== 0) {
    console.error(`✖ could not install ${missing.join(' ')}; install them and re-run npm test`);
    process.exit(1);
  }
}

async function ensurePostgres() {
  if (process.env.TEST_DATABASE_URL) return;
  log('PostgreSQL for the tests (own trust-auth cluster on a free port)');
  try {
    process.env.TEST_DATABASE_URL = await ensureTestPostgres();
    console.log(`  TEST_DATABASE_URL=${process.env.TEST_DATABASE_URL}`);
  } catch (error) {
    console.error(`✖ ${error.message}`);
    process.exit(1);
  }
}

await step('installing dependencies (frozen lockfile)', ['install', '--frozen-lockfile', '--prefer-offline']);
ensureDebianPackages();
await ensurePostgres();
await step('lint (biome)', ['exec', 'biome', 'check', '.']);
await step('build', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
await step('typecheck', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']);

log('tests (vitest: unit, integration against real Postgres and the broker over TCP, e2e in Chromium)');
const reportDir = join(tmpdir(), `sluice-test-${process.pid}`);
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'vitest.json');
const code = await runPnpm([
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
let summary = `0 passed, 1 failed`;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  summary = `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${skipped} skipped`;
  if (code !== 0 && result.numFailedTests === 0)
    summary = `${result.numPassedTests} passed, 1 failed, ${skipped} skipped`;
}
console.log(`\n${summary}`);
process.exit(code);
