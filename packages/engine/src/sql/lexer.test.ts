import { describe, expect, it } from 'vitest';
import { tokenize, unescapeSqlString } from './lexer.js';

const kinds = (text: string) => tokenize(text).map((t) => [t.kind, t.value]);

describe('tokenize', () => {
  it('words, quoted identifiers, operators with positions', async () => {
    const toks = tokenize('SELECT a,\n  `b``c` <=> 1');
    expect(toks.map((t) => [t.kind, t.value, t.line, t.column])).toEqual([
      ['word', 'SELECT', 1, 1],
      ['word', 'a', 1, 8],
      ['op', ',', 1, 9],
      ['quoted', 'b`c', 2, 3],
      ['op', '<=>', 2, 10],
      ['number', '1', 2, 14],
      ['eof', '', 2, 15],
    ]);
    expect(toks[0]!.upper).toBe('SELECT');
    expect(tokenize('select')[0]!.upper).toBe('SELECT');
  });

  it('operators longest first; >> stays two tokens for nested types', async () => {
    expect(
      kinds('<= >= <> != !< !> == => -> :: || << < > = ! ~ ^ & | % / * + - ( ) [ ] , . ; : ?').map(
        (k) => k[1],
      ),
    ).toEqual([
      '<=',
      '>=',
      '<>',
      '!=',
      '!<',
      '!>',
      '==',
      '=>',
      '->',
      '::',
      '||',
      '<<',
      '<',
      '>',
      '=',
      '!',
      '~',
      '^',
      '&',
      '|',
      '%',
      '/',
      '*',
      '+',
      '-',
      '(',
      ')',
      '[',
      ']',
      ',',
      '.',
      ';',
      ':',
      '?',
      '',
    ]);
    expect(kinds('a>>b').map((k) => k[1])).toEqual(['a', '>', '>', 'b', '']);
  });

  it('numbers with suffixes and exponents; identifiers starting with digits', async () => {
    const nums = tokenize('1 1L 2s 3Y 1.5 .5 1. 1e3 1.5E-3 2D 2.5f 1.5BD 1e5bd').filter(
      (t) => t.kind === 'number',
    );
    expect(nums.map((t) => [t.value, t.numberKind])).toEqual([
      ['1', 'int'],
      ['1', 'bigint'],
      ['2', 'smallint'],
      ['3', 'tinyint'],
      ['1.5', 'decimal'],
      ['.5', 'decimal'],
      ['1.', 'decimal'],
      ['1e3', 'exponent'],
      ['1.5E-3', 'exponent'],
      ['2', 'double'],
      ['2.5', 'float'],
      ['1.5', 'bigdecimal'],
      ['1e5', 'bigdecimal'],
    ]);
    expect(kinds('1a 12abc 1Lx 1e')).toEqual([
      ['word', '1a'],
      ['word', '12abc'],
      ['word', '1Lx'],
      ['word', '1e'],
      ['eof', ''],
    ]);
    expect(kinds('a.5')).toEqual([
      ['word', 'a'],
      ['op', '.'],
      ['number', '5'],
      ['eof', ''],
    ]);
    expect(kinds('1.5x')[0]).toEqual(['error', '1.5x']);
  });

  it('unicode letters are identifier characters', async () => {
    expect(kinds('größe 名前')).toEqual([
      ['word', 'größe'],
      ['word', '名前'],
      ['eof', ''],
    ]);
  });

  it('comments: line, nested block, and hints only right after SELECT', async () => {
    expect(kinds('a -- x\nb /* c /* d */ e */ f')).toEqual([
      ['word', 'a'],
      ['word', 'b'],
      ['word', 'f'],
      ['eof', ''],
    ]);
    expect(kinds('SELECT /*+ B(t) */ x').map((k) => k[0])).toEqual([
      'word',
      'hintStart',
      'word',
      'op',
      'word',
      'op',
      'hintEnd',
      'word',
      'eof',
    ]);
    expect(kinds('x /*+ not a hint */ y')).toEqual([
      ['word', 'x'],
      ['word', 'y'],
      ['eof', ''],
    ]);
  });

  it('lexical errors become error tokens with Spark error classes', async () => {
    const unclosed = tokenize('a /* b');
    expect(unclosed[1]).toMatchObject({ kind: 'error', errorClass: 'UNCLOSED_BRACKETED_COMMENT', column: 3 });
    expect(tokenize("a 'b")[1]).toMatchObject({ kind: 'error', errorClass: 'PARSE_SYNTAX_ERROR', column: 3 });
    expect(tokenize('a `b')[1]).toMatchObject({ kind: 'error', column: 3 });
    expect(tokenize('a # b')[1]).toMatchObject({ kind: 'error', value: '#' });
    expect(tokenize('a 😀')[1]).toMatchObject({ kind: 'error', value: '😀' });
  });

  it('line and column after multi-line strings and comments', async () => {
    const toks = tokenize("'a\nb' /* x\ny */ c");
    expect(toks[1]).toMatchObject({ value: 'c', line: 3, column: 6 });
  });

  it('is linear on long input', async () => {
    const big = 'SELECT '.concat(
      Array.from({ length: 20000 }, (_, i) => `c${i} + 1.5`).join(', '),
      ' FROM t',
    );
    const toks = tokenize(big);
    expect(toks.length).toBe(1 + 20000 * 3 + 19999 + 2 + 1);
  });
});

describe('unescapeSqlString', () => {
  it("follows Spark's rules", async () => {
    expect(unescapeSqlString('a\\nb')).toBe('a\nb');
    expect(unescapeSqlString('\\t\\r\\b\\0\\Z')).toBe('\t\r\b\u0000\u001A');
    expect(unescapeSqlString('\\\'\\"\\\\')).toBe('\'"\\');
    expect(unescapeSqlString('\\u00e9\\U0001F600')).toBe('é😀');
    expect(unescapeSqlString('\\101\\060')).toBe('A0');
    expect(unescapeSqlString('\\%\\_')).toBe('\\%\\_');
    expect(unescapeSqlString('\\q')).toBe('q');
    expect(unescapeSqlString('end\\')).toBe('end\\');
  });
});

describe('line endings', () => {
  it('CRLF text: lines counted on LF, CR is whitespace', async () => {
    const toks = tokenize('SELECT a\r\nFROM t\r\nWHERE');
    expect(toks.map((t) => [t.value, t.line, t.column])).toEqual([
      ['SELECT', 1, 1],
      ['a', 1, 8],
      ['FROM', 2, 1],
      ['t', 2, 6],
      ['WHERE', 3, 1],
      ['', 3, 6],
    ]);
  });
});
