/** Runs the broker CLI in a child process (so a test can SIGKILL it) and waits for its ready line. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildBroker {
  bootstrap: string;
  process: ChildProcess;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export function startChildBroker(dataDir: string, extraArgs: string[] = []): Promise<ChildBroker> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--data', dataDir, '--quiet', ...extraArgs],
    {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child broker not ready: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          bootstrap: m[1]!,
          process: child,
          async kill9() {
            child.kill('SIGKILL');
            await exited;
          },
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child broker exited with ${code}: ${out}`));
    });
  });
}
