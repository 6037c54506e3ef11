#!/usr/bin/env node
// The PostgreSQL server the tests use: our own cluster with `trust` auth on 127.0.0.1 and a free
// port, so that a fresh machine needs only Debian's `postgresql` package (installed here when it is
// missing) and no change to the system cluster (whose pg_hba asks for a password on 127.0.0.1).
// The cluster lives outside the repo (SLUICE_PG_TEST_DIR, default /var/tmp/sluice-pg-test) and is
// reused by the next run while it is up. Prints the admin connection URL; usable as a module.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.SLUICE_PG_TEST_DIR ?? '/var/tmp/sluice-pg-test';
const dataDir = join(root, 'data');
const isRoot = process.getuid?.() === 0;

function run(command, args, { quiet = false } = {}) {
  // postgres refuses to run as root: as root, run the server tools as the `postgres` user.
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(cmd, argv, {
    encoding: 'utf8',
    stdio: quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'],
  });
  return result.status ?? 1;
}

function binDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

function installPostgres() {
  console.error('▶ installing Debian package: postgresql');
  const sudo = isRoot ? [] : ['sudo'];
  const sh = (args) =>
    spawnSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit' }).status;
  if (sh(['apt-get', 'update', '-qq']) !== 0 || sh(['apt-get', 'install', '-y', '-qq', 'postgresql']) !== 0) {
    throw new Error('could not install postgresql; install it or set TEST_DATABASE_URL');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function runningPort(bin) {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return undefined;
  if (run(join(bin, 'pg_ctl'), ['-D', dataDir, 'status'], { quiet: true }) !== 0) return undefined;
  // postmaster.pid: line 4 is the port.
  const port = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Starts (or reuses) the test cluster; resolves with its admin URL. */
export async function ensureTestPostgres() {
  let bin = binDir();
  if (!bin) {
    installPostgres();
    bin = binDir();
    if (!bin) throw new Error('postgresql is installed but no pg_ctl was found under /usr/lib/postgresql');
  }
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  if (isRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(root, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  let port = runningPort(bin);
  if (port) return `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const code = run(
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'],
      {
        quiet: true,
      },
    );
    if (code !== 0) throw new Error(`initdb of the test cluster in ${dataDir} failed`);
  }
  port = await freePort();
  const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  const code = run(
    join(bin, 'pg_ctl'),
    ['-D', dataDir, '-o', options, '-l', join(root, 'server.log'), '-w', 'start'],
    {
      quiet: true,
    },
  );
  if (code !== 0) throw new Error(`the test cluster did not start; see ${join(root, 'server.log')}`);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await ensureTestPostgres());
}
