/** Test helpers: a broker in a temp dir, and waiting for conditions without busy loops. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrokerOptions, type RunningBroker, startBroker } from '../broker.js';

export async function tempDir(prefix = 'sluice-broker-'): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
}

export interface TestBroker extends RunningBroker {
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function testBroker(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const dataDir = options.dataDir ?? (await tempDir());
  const b = await startBroker({ port: 0, ...options, dataDir });
  return {
    ...b,
    dataDir,
    async cleanup() {
      await b.stop();
      await fs.promises.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A seeded pseudo-random generator (mulberry32) for reproducible fuzz tests: numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
