/** Runs one of the oracle's Python scripts on Spark and collects its JSON-line output. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sparkPython } from './spark-env.js';

export async function runSparkScript<T>(script: string, args: readonly string[]): Promise<T[]> {
  const path = fileURLToPath(new URL(`../src/${script}`, import.meta.url));
  const child = spawn(sparkPython(), [path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const out: T[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('{')) out.push(JSON.parse(line) as T);
  }
  const code: number = await new Promise((r) => child.once('close', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stderr.slice(-4000)}`);
  return out;
}
