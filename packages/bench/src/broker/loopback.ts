/**
 * Baseline measured in the same run: raw TCP loopback throughput from this process to a child
 * process that discards the bytes. No protocol, no storage: the transport ceiling.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';

const SINK = `
const net = require('node:net');
const s = net.createServer((c) => { let n = 0; c.on('data', (d) => { n += d.length; }); c.on('end', () => c.end(String(n))); });
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

export async function loopbackMBps(totalBytes: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const chunk = Buffer.alloc(64 * 1024, 7);
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      let sent = 0;
      const pump = () => {
        while (sent < totalBytes) {
          sent += chunk.length;
          if (!sock.write(chunk)) return sock.once('drain', pump);
        }
        sock.end();
      };
      pump();
    });
    sock.on('data', () => {});
    sock.on('end', () => resolve());
    sock.on('error', reject);
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  child.kill();
  return totalBytes / seconds / 1e6;
}
