/** Throughput with kcat (librdkafka): produce from a file of lines, consume to /dev/null. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Throughput } from './stats.js';

export function writeLines(dir: string, messageBytes: number, count: number): string {
  const file = path.join(dir, `lines-${messageBytes}-${count}.txt`);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const line = Buffer.alloc(messageBytes + 1);
  const fd = fs.openSync(file, 'w');
  const block: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < messageBytes; j++) line[j] = alphabet.charCodeAt((i * 31 + j * 7) % alphabet.length);
    line[messageBytes] = 10;
    block.push(Buffer.from(line));
    if (block.length === 1000) fs.writeSync(fd, Buffer.concat(block.splice(0)));
  }
  if (block.length) fs.writeSync(fd, Buffer.concat(block));
  fs.closeSync(fd);
  return file;
}

function timed(args: string[], stdinFile?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const stdin = stdinFile ? fs.openSync(stdinFile, 'r') : 'ignore';
    const start = process.hrtime.bigint();
    const p = spawn('kcat', args, { stdio: [stdin, 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('close', (code) => {
      if (typeof stdin === 'number') fs.closeSync(stdin);
      if (code !== 0) reject(new Error(`kcat ${args.join(' ')} exited ${code}`));
      else resolve(Number(process.hrtime.bigint() - start) / 1e9);
    });
  });
}

export async function kcatProduce(
  bootstrap: string,
  topic: string,
  file: string,
  messageBytes: number,
  count: number,
): Promise<Throughput> {
  const seconds = await timed(
    [
      '-b',
      bootstrap,
      '-P',
      '-t',
      topic,
      '-p',
      '0',
      '-X',
      'acks=all',
      '-X',
      'linger.ms=5',
      '-X',
      'batch.num.messages=10000',
      '-X',
      'queue.buffering.max.messages=1000000',
    ],
    file,
  );
  return { client: 'kcat', phase: 'produce', messageBytes, messages: count, seconds };
}

export async function kcatConsume(
  bootstrap: string,
  topic: string,
  messageBytes: number,
  count: number,
): Promise<Throughput> {
  // -e needs one empty fetch at the end of the log to see EOF; with the default
  // fetch.wait.max.ms (500) that long-poll alone would dominate the measurement.
  const args = ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\\n'];
  const seconds = await timed([...args, '-X', 'fetch.wait.max.ms=10']);
  return { client: 'kcat', phase: 'consume', messageBytes, messages: count, seconds };
}
