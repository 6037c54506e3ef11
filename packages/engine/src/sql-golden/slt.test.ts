import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { parseSlt, runSlt } from './slt.js';

const DIR = fileURLToPath(new URL('../../test/sql/', import.meta.url));
const UPDATE = process.env.SLT_UPDATE === '1';
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.slt'))
  .sort();

describe('SQL golden files (test/sql/*.slt)', () => {
  let total = 0;
  for (const file of files) {
    it(file, async () => {
      const text = fs.readFileSync(path.join(DIR, file), 'utf8');
      const session = Session.builder().create();
      const { failures, updated, queries } = await runSlt(parseSlt(text), session);
      total += queries;
      if (UPDATE) {
        fs.writeFileSync(path.join(DIR, file), updated);
        return;
      }
      const report = failures.map((f) => `${file}:${f.line}: ${f.sql}\n  ${f.message}`).join('\n\n');
      expect(report).toBe('');
    });
  }
  it('covers at least 400 queries', async () => {
    expect(total).toBeGreaterThanOrEqual(400);
  });
});
