import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { BROKEN_SQL, type BrokenCase } from './broken-sql.corpus.js';
import { parseQuery } from './index.js';

/** 1-based line/column of offset `at` in `text`. */
function lineColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

const WORDISH = /^[\w$]+$/;

/** Where the case says the error is: the nth whole-token occurrence of `near`, or the end of input. */
function expectedPosition(c: BrokenCase): { line: number; column: number } {
  if (c.near === null) return lineColumn(c.sql, c.sql.length);
  let from = 0;
  let seen = 0;
  for (;;) {
    const at = c.sql.indexOf(c.near, from);
    if (at < 0) throw new Error(`corpus error: '${c.near}' #${c.nth ?? 1} not in ${JSON.stringify(c.sql)}`);
    const before = c.sql[at - 1] ?? ' ';
    const after = c.sql[at + c.near.length] ?? ' ';
    const whole = !WORDISH.test(c.near[0]!) || (!/\w/.test(before) && !/\w/.test(after));
    if (whole && ++seen === (c.nth ?? 1)) return lineColumn(c.sql, at);
    from = at + 1;
  }
}

describe('broken SQL corpus', () => {
  it('has at least 120 statements', async () => {
    expect(BROKEN_SQL.length).toBeGreaterThanOrEqual(120);
  });

  for (const c of BROKEN_SQL) {
    it(`${JSON.stringify(c.sql)} fails at ${c.near === null ? 'end of input' : `'${c.near}'`}`, () => {
      let error: unknown;
      try {
        parseQuery(c.sql);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ParseError);
      const pe = error as ParseError;
      const cls = c.cls ?? 'PARSE_SYNTAX_ERROR';
      expect(pe.errorClass).toBe(cls);
      expect(pe.position).toEqual(expectedPosition(c));
      const { line, column } = expectedPosition(c);
      // The excerpt names the same position and puts a caret under it.
      expect(pe.message).toContain(`== SQL (line ${line}, position ${column}) ==`);
      const lines = pe.message.split('\n');
      const caretLine = lines[lines.length - 1]!;
      expect(caretLine.indexOf('^')).toBe(column - 1);
      expect(lines[lines.length - 2]).toBe(c.sql.split('\n')[line - 1] ?? '');
      if (cls === 'PARSE_SYNTAX_ERROR' && !pe.message.includes('unclosed')) {
        const near = c.near === null ? 'end of input' : `'${c.near}'`;
        expect(pe.message.split('\n')[0]).toMatch(
          new RegExp(
            `^\\[PARSE_SYNTAX_ERROR\\] Syntax error at or near ${near.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          ),
        );
      }
    });
  }
});
