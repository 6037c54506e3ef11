/**
 * The benchmark runs Sluice under the collector flags `npm start` gives the server (both read
 * scripts/node-flags.mjs's list; the benchmark's is written out in its package.json script), so a
 * figure of the benchmark is a figure of the product.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script shared with `npm start`, no type declarations.
import { streamingNodeFlags } from '../../../../scripts/node-flags.mjs';

const flags = streamingNodeFlags as string[];

describe('the streaming processes’ node flags', () => {
  it('bench:nexmark passes every flag npm start passes', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const words = pkg.scripts['bench:nexmark']!.split(/\s+/);
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) expect(words, flag).toContain(flag);
  });

  it('node accepts them', () => {
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ok');
  });
});
