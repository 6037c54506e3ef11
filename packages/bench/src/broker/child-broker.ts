/** Starts @sluice/broker's CLI in its own process, so clients and broker do not share an event loop. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchBroker {
  bootstrap: string;
  pid: number;
  stop(): Promise<void>;
}

export function brokerBin(): string {
  const entry = fileURLToPath(import.meta.resolve('@sluice/broker'));
  // .../packages/broker/{src|dist}/index.(ts|js) → .../packages/broker/bin/sluice-broker.mjs
  return path.join(path.dirname(path.dirname(entry)), 'bin', 'sluice-broker.mjs');
}

export function startBrokerProcess(dataDir: string, args: string[] = []): Promise<BenchBroker> {
  const child: ChildProcess = spawn(
    process.execPath,
    [brokerBin(), '--port', '0', '--data', dataDir, '--quiet', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready on (\S+)/.exec(out);
      if (m) {
        resolve({
          bootstrap: m[1]!,
          pid: child.pid!,
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}: ${out}`)));
  });
}
