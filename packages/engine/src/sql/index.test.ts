import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import {
  parseAttributeName,
  parseExpression,
  parseQuery,
  parseSortExpression,
  parseTableIdentifier,
  sqlExcerpt,
} from './index.js';
import { stripSpans } from './test-support.js';

describe('parseAttributeName (Spark rules for column-name strings)', () => {
  it('splits at dots outside backquotes', async () => {
    expect(parseAttributeName('a')).toEqual(['a']);
    expect(parseAttributeName('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(parseAttributeName('`a.b`.c')).toEqual(['a.b', 'c']);
    expect(parseAttributeName('`a``b`')).toEqual(['a`b']);
    expect(parseAttributeName('my col')).toEqual(['my col']);
    expect(parseAttributeName('``')).toEqual(['']);
  });

  it('rejects malformed names with a ParseError', async () => {
    for (const bad of ['a.', '.a', 'a..b', '`a', 'a`b`', '`a`b']) {
      expect(() => parseAttributeName(bad), bad).toThrow(ParseError);
    }
  });
});

describe('other entry points', () => {
  it('parseTableIdentifier', async () => {
    expect(parseTableIdentifier('db.t')).toEqual(['db', 't']);
    expect(parseTableIdentifier('`my db`.`t.1`')).toEqual(['my db', 't.1']);
    expect(() => parseTableIdentifier('a b')).toThrow(ParseError);
    expect(() => parseTableIdentifier('my-table')).toThrow(/INVALID_IDENTIFIER/);
  });

  it('parseSortExpression', async () => {
    expect(stripSpans(parseSortExpression('a DESC NULLS FIRST'))).toEqual({
      kind: 'sortItem',
      expr: { type: 'column', nameParts: ['a'] },
      ascending: false,
      nullsFirst: true,
    });
    expect(parseSortExpression('b')).toMatchObject({ ascending: true, nullsFirst: true });
    expect(parseSortExpression('b DESC')).toMatchObject({ ascending: false, nullsFirst: false });
  });

  it('a non-string argument is a ParseError, not a TypeError', async () => {
    expect(() => parseQuery(undefined as unknown as string)).toThrow(ParseError);
    expect(() => parseExpression(42 as unknown as string)).toThrow(ParseError);
  });

  it('sqlExcerpt lines the caret up under the column, keeping tabs', async () => {
    expect(sqlExcerpt('SELECT\n\tFROM t', 2, 2, 4)).toBe('== SQL (line 2, position 2) ==\n\tFROM t\n\t^^^^');
    expect(sqlExcerpt('abc', 1, 4)).toBe('== SQL (line 1, position 4) ==\nabc\n   ^');
  });

  it('error messages follow Spark wording and end with the excerpt', async () => {
    try {
      parseQuery('SELECT a\nFROM t\nWHERE a = = 1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as Error).message).toBe(
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '='.\n== SQL (line 3, position 11) ==\nWHERE a = = 1\n          ^",
      );
      expect((e as ParseError).position).toEqual({ line: 3, column: 11 });
      expect((e as ParseError).errorClass).toBe('PARSE_SYNTAX_ERROR');
    }
  });
});
