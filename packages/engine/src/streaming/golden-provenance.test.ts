/**
 * Every streaming golden says where its expectation came from (golden/provenance.json): Apache Spark
 * (re-derived and checked by `npm run oracle`, which runs the query on Spark batch for batch) or
 * Sluice with the reason Spark cannot produce it. Checked here without starting Spark.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_ROOT } from './test-support/golden-runner.js';

interface Provenance {
  source: string;
  script?: string;
  reason?: string;
}

describe('streaming golden provenance', () => {
  const goldenDir = path.join(GOLDEN_ROOT, 'golden');
  const provenance = JSON.parse(fs.readFileSync(path.join(goldenDir, 'provenance.json'), 'utf8')) as Record<
    string,
    Provenance
  >;
  const goldens = fs
    .readdirSync(goldenDir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();

  it.each(goldens)('%s records its source', async (name) => {
    const p = provenance[name];
    expect(p, `add ${name} to golden/provenance.json`).toBeDefined();
    if (p!.source === 'sluice') expect(p!.reason ?? '').not.toBe('');
    else {
      expect(p!.source).toMatch(/^spark \d+\.\d+\.\d+$/);
      expect(p!.script).toBeTruthy();
    }
  });

  it('lists no golden that does not exist', async () => {
    expect(Object.keys(provenance).filter((n) => !goldens.includes(n))).toEqual([]);
  });
});
