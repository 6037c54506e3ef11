/**
 * Catastrophic regular expressions no longer hold the thread: the first case took over a minute
 * before V8's linear-time fallback was enabled (expr/regex-safety.ts). Counting, not timing: each
 * finishes at all within the test timeout, where the old behaviour would take hours at these sizes.
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { hasNestedQuantifier } from './conditional.js';

const session = Session.builder().appName('regex-safety').create();

describe('regex safety', () => {
  it.each([
    ["regexp_extract(repeat('a', 40) || '!', '(a+)+$', 0)", ''],
    ["CAST(repeat('a', 40) || '!' RLIKE '^(a|aa)*$' AS STRING)", 'false'],
    ["regexp_replace(repeat('ab', 30) || 'c', '(\\\\w*)*x', '-')", `${'ab'.repeat(30)}c`],
  ])(
    '%s finishes',
    async (expr, expected) => {
      const [row] = await session.sql(`SELECT ${expr} AS r`).collect();
      expect(String(row?.get('r'))).toBe(expected);
    },
    30_000,
  );

  it('recognises nested quantifiers and leaves ordinary patterns alone', async () => {
    for (const p of ['(a+)+$', '(a|aa)*', '(\\w*)*x', '((ab)*c)+', '(?:x+)*', '(a{1,3}){2,}']) {
      expect(hasNestedQuantifier(p), p).toBe(true);
    }
    for (const p of ['a+b*', '(ab)+', '[a+]+', '\\(a+\\)+', '(a)(b+)', '^\\d{3}-\\d{4}$', '(?i)abc']) {
      expect(hasNestedQuantifier(p), p).toBe(false);
    }
  });
});
