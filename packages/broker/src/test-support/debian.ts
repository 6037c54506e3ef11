/** Installs the Debian packages a client test needs when they are missing (tests run as root). */
import { execFileSync, spawnSync } from 'node:child_process';

export function ensureDebianPackages(check: () => boolean, packages: string[]): void {
  if (check()) return;
  execFileSync('apt-get', ['update'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!check()) throw new Error(`could not install ${packages.join(', ')}`);
}

export const hasCommand = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
export const hasPythonModule = (mod: string) =>
  spawnSync('/usr/bin/python3', ['-c', `import ${mod}`]).status === 0;
