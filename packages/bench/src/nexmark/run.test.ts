/**
 * The Nexmark harness end to end on a small input (not a measurement: nothing here is timed): the
 * compiled harness (`npm test` builds first) runs q0, q1, q2 and q5 through Sluice and through the
 * hand-written kafkajs programs, over the embedded broker in its own process, and both sides'
 * outputs must be the same records — the check every ratio of `npm run bench -- nexmark` rests on.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const harness = fileURLToPath(new URL('../../dist/nexmark/run.js', import.meta.url));

interface ResultRow {
  query: string;
  system: string;
  outputRecords: number | null;
  checksum: string | null;
  error?: string;
}

describe('Nexmark harness', () => {
  it('q0, q1, q2 and q5: Sluice writes the same records as the hand-written kafkajs programs', async () => {
    expect(fs.existsSync(harness), `${harness} is missing: build the bench package first`).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-nexmark-test-'));
    const results = path.join(dir, 'results.json');
    try {
      const child = spawn(process.execPath, [harness], {
        env: {
          ...process.env,
          // 40,000 events span 20 s of event time: q5's 10 s windows sliding by 2 s close.
          NEXMARK_EVENTS: '40000',
          NEXMARK_RUNS: '1',
          NEXMARK_LATENCY: '0',
          NEXMARK_QUERIES: 'q0,q1,q2,q5',
          NEXMARK_RESULTS: results,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        output += d.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, output).toBe(0);
      const rows = (JSON.parse(fs.readFileSync(results, 'utf8')) as { results: ResultRow[] }).results;
      for (const query of ['q0', 'q1', 'q2', 'q5']) {
        const sluice = rows.find((r) => r.query === query && r.system === 'sluice');
        const hand = rows.find((r) => r.query === query && r.system === 'kafkajs');
        expect(sluice?.error, `${query}: ${output}`).toBeUndefined();
        expect(sluice?.outputRecords, query).toBeGreaterThan(0);
        expect(sluice?.outputRecords, query).toBe(hand?.outputRecords);
        expect(sluice?.checksum, query).toBe(hand?.checksum);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
