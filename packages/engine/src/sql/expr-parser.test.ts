import { describe, expect, it } from 'vitest';
import { NotImplementedError, ParseError } from '../errors.js';
import type { Expr } from '../expr/expression.js';
import type { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import { parseExpression } from './index.js';
import { stripSpans } from './test-support.js';
import { exprToSql } from './to-sql.js';

/** Parses and prints back fully parenthesized: the printed form shows the tree. */
function sql(text: string): string {
  return exprToSql(parseExpression(text));
}

function lit(text: string): { value: unknown; kind: string; precision?: number; scale?: number } {
  const e = parseExpression(text);
  if (e.type !== 'literal') throw new Error(`not a literal: ${e.type}`);
  const t = e.dataType;
  return t.kind === 'decimal'
    ? { value: e.value, kind: t.kind, precision: t.precision, scale: t.scale }
    : { value: e.value, kind: t.kind };
}

describe('operator precedence (Spark SqlBaseParser order)', () => {
  const cases: [string, string][] = [
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b % c DIV d', '(((a / b) % c) DIV d)'],
    ['a || b + c', '((a || b) + c)'],
    ['a + b || c', '((a + b) || c)'],
    ['a & b | c ^ d', '((a & b) | (c ^ d))'],
    ['a | b & c', '(a | (b & c))'],
    ['a ^ b & c', '(a ^ (b & c))'],
    ['a = b + 1', '(a = (b + 1))'],
    ['a = b | c', '(a = (b | c))'],
    ['a < b = c', '((a < b) = c)'],
    ['NOT a = b', '(NOT (a = b))'],
    ['NOT a AND b', '((NOT a) AND b)'],
    ['a OR b AND c', '(a OR (b AND c))'],
    ['a AND b OR c AND d', '((a AND b) OR (c AND d))'],
    ['NOT NOT a', '(NOT (NOT a))'],
    ['!a', '(NOT a)'],
    ['-a * b', '((- a) * b)'],
    ['- a.b', '(- a.b)'],
    ['~a & b', '((~ a) & b)'],
    ['-(a + b)', '(- (a + b))'],
    ['a + -b', '(a + (- b))'],
    ['a - -1', '(a - -1)'],
    ['a << 2 + 1', 'shiftleft(a, (2 + 1))'],
    ['a >> 1', 'shiftright(a, 1)'],
    ['a >>> 1', 'shiftrightunsigned(a, 1)'],
    ['a > 1 AND b >= 2', '((a > 1) AND (b >= 2))'],
    ['a <=> b', '(a <=> b)'],
    ['a == b', '(a == b)'],
    ['a != b OR a <> c', '((a != b) OR (a <> c))'],
    ['a !< b', '(a >= b)'],
    ['a !> b', '(a <= b)'],
    ['a IS NULL AND b IS NOT NULL', '((a IS NULL) AND (b IS NOT NULL))'],
    ['a + 1 IS NULL', '((a + 1) IS NULL)'],
    ['a = 1 IS TRUE', '((a = 1) IS TRUE)'],
    ['a IS NOT FALSE', '(a IS NOT FALSE)'],
    ['a IS UNKNOWN', '(a IS UNKNOWN)'],
    ['a IS DISTINCT FROM b', '(NOT (a <=> b))'],
    ['a IS NOT DISTINCT FROM b + 1', '(a <=> (b + 1))'],
    ['a BETWEEN 1 AND 2 AND b', '((a BETWEEN 1 AND 2) AND b)'],
    ['a NOT BETWEEN b + 1 AND c * 2', '(a NOT BETWEEN (b + 1) AND (c * 2))'],
    ['a IN (1, 2, 3)', '(a IN (1, 2, 3))'],
    ['a + 1 NOT IN (b, c)', '((a + 1) NOT IN (b, c))'],
    ["a LIKE 'x%' OR a ILIKE 'Y%'", "((a LIKE 'x%') OR (a ILIKE 'Y%'))"],
    ["a NOT LIKE 'x!%' ESCAPE '!'", "(a NOT LIKE 'x!%' ESCAPE '!')"],
    ["a RLIKE '^x' AND a REGEXP 'y'", "((a RLIKE '^x') AND (a RLIKE 'y'))"],
    ["a NOT RLIKE 'x'", "(a NOT RLIKE 'x')"],
    ["a LIKE ANY ('a%', 'b%')", "((a LIKE 'a%') OR (a LIKE 'b%'))"],
    ["a LIKE ALL ('a%', '%b')", "((a LIKE 'a%') AND (a LIKE '%b'))"],
    ["a NOT ILIKE SOME ('a%')", "(a NOT ILIKE 'a%')"],
    ['a::int + 1', '(CAST(a AS INT) + 1)'],
    ['-a::int', '(- CAST(a AS INT))'],
    ['-1::string', 'CAST(-1 AS STRING)'],
    ['a[0].b', 'a[0].b'],
    ['a.b.c', 'a.b.c'],
    ['a.b[1 + 1]', 'a.b[(1 + 1)]'],
    ["m['k'].x[0]", "m['k'].x[0]"],
    ["named_struct('a', 1).a", "named_struct('a', 1).a"],
    ['(a + b).c', '(a + b).c'],
    ['(a)', 'a'],
    ['((a))', 'a'],
    ['(a, b)', 'struct(a, b)'],
    ['(a AS x, b AS y)', 'struct(a AS x, b AS y)'],
  ];
  for (const [input, expected] of cases) {
    it(`${input}  ⇒  ${expected}`, async () => {
      expect(sql(input)).toBe(expected);
    });
  }
});

describe('literals', () => {
  it('integers: int, then bigint, then decimal(p,0), with Spark suffixes', async () => {
    expect(lit('1')).toEqual({ value: 1, kind: 'int' });
    expect(lit('2147483647')).toEqual({ value: 2147483647, kind: 'int' });
    expect(lit('-2147483648')).toEqual({ value: -2147483648, kind: 'int' });
    expect(lit('2147483648')).toEqual({ value: 2147483648, kind: 'long' });
    expect(lit('-2147483649')).toEqual({ value: -2147483649, kind: 'long' });
    expect(lit('9223372036854775808')).toMatchObject({ kind: 'decimal', precision: 19, scale: 0 });
    expect(lit('10L')).toEqual({ value: 10, kind: 'long' });
    expect(lit('-9223372036854775808L')).toMatchObject({ kind: 'long' });
    expect(lit('7S')).toEqual({ value: 7, kind: 'short' });
    expect(lit('-32768S')).toEqual({ value: -32768, kind: 'short' });
    expect(lit('127Y')).toEqual({ value: 127, kind: 'byte' });
    expect(lit('-128y')).toEqual({ value: -128, kind: 'byte' });
  });

  it('fractional numbers: decimal by default, double with exponent or D, float with F, BD decimal', async () => {
    const d = lit('1.5');
    expect(d).toMatchObject({ kind: 'decimal', precision: 2, scale: 1 });
    expect((d.value as Decimal).toString()).toBe('1.5');
    expect(lit('0.05')).toMatchObject({ kind: 'decimal', precision: 2, scale: 2 });
    expect(lit('.5')).toMatchObject({ kind: 'decimal', precision: 1, scale: 1 });
    expect(lit('100.')).toMatchObject({ kind: 'decimal', precision: 3, scale: 0 });
    expect(lit('-12.340')).toMatchObject({ kind: 'decimal', precision: 5, scale: 3 });
    expect(lit('1e3')).toEqual({ value: 1000, kind: 'double' });
    expect(lit('1.5E-3')).toEqual({ value: 0.0015, kind: 'double' });
    expect(lit('2E+2')).toEqual({ value: 200, kind: 'double' });
    expect(lit('1.5D')).toEqual({ value: 1.5, kind: 'double' });
    expect(lit('3d')).toEqual({ value: 3, kind: 'double' });
    expect(lit('1.25F')).toEqual({ value: 1.25, kind: 'float' });
    expect(lit('0.1f')).toEqual({ value: Math.fround(0.1), kind: 'float' });
    const bd = lit('123.4500BD');
    expect(bd).toMatchObject({ kind: 'decimal', precision: 7, scale: 4 });
    expect((bd.value as Decimal).toString()).toBe('123.4500');
  });

  it('identifiers may start with digits; a longer identifier beats a number', async () => {
    expect(parseExpression('1a')).toMatchObject({ type: 'column', nameParts: ['1a'] });
    expect(parseExpression('123abc')).toMatchObject({ type: 'column', nameParts: ['123abc'] });
    expect(parseExpression('1Lx')).toMatchObject({ type: 'column', nameParts: ['1Lx'] });
    expect(lit('1e5')).toEqual({ value: 100000, kind: 'double' });
  });

  it('strings: quotes, escapes, adjacent concatenation, raw strings', async () => {
    expect(lit("'abc'")).toEqual({ value: 'abc', kind: 'string' });
    expect(lit('"abc"')).toEqual({ value: 'abc', kind: 'string' });
    expect(lit("'it\\'s'")).toEqual({ value: "it's", kind: 'string' });
    expect(lit('"say \\"hi\\""')).toEqual({ value: 'say "hi"', kind: 'string' });
    expect(lit("'a\\tb\\nc\\\\d'")).toEqual({ value: 'a\tb\nc\\d', kind: 'string' });
    expect(lit("'\\u0041\\101'")).toEqual({ value: 'AA', kind: 'string' });
    expect(lit("'100\\%'")).toEqual({ value: '100\\%', kind: 'string' });
    expect(lit("'a' 'b' \"c\"")).toEqual({ value: 'abc', kind: 'string' });
    expect(lit("'a'\n'b'")).toEqual({ value: 'ab', kind: 'string' });
    expect(lit("r'C:\\dir\\n'")).toEqual({ value: 'C:\\dir\\n', kind: 'string' });
    expect(lit("''")).toEqual({ value: '', kind: 'string' });
  });

  it('booleans and null', async () => {
    expect(lit('TRUE')).toEqual({ value: true, kind: 'boolean' });
    expect(lit('false')).toEqual({ value: false, kind: 'boolean' });
    expect(lit('NULL')).toEqual({ value: null, kind: 'null' });
  });

  it('typed literals: DATE, TIMESTAMP (UTC), TIMESTAMP_NTZ, X binary', async () => {
    expect(lit("DATE '1970-01-02'")).toEqual({ value: 1, kind: 'date' });
    expect(lit("DATE '2024-01-01'")).toEqual({ value: 19723, kind: 'date' });
    expect(lit("date '2024-3'")).toEqual({ value: 19783, kind: 'date' });
    expect(lit("TIMESTAMP '1970-01-01 00:00:01'")).toEqual({ value: 1_000_000, kind: 'timestamp' });
    expect(lit("TIMESTAMP '2024-01-01T10:00:00.5Z'")).toEqual({
      value: Date.UTC(2024, 0, 1, 10) * 1000 + 500_000,
      kind: 'timestamp',
    });
    expect(lit("TIMESTAMP '2024-01-01 10:00:00+02:00'")).toEqual({
      value: Date.UTC(2024, 0, 1, 8) * 1000,
      kind: 'timestamp',
    });
    expect(lit("TIMESTAMP_NTZ '1970-01-01 00:01:00'")).toEqual({ value: 60_000_000, kind: 'timestamp' });
    expect(lit("X'0aFF'")).toEqual({ value: new Uint8Array([10, 255]), kind: 'binary' });
    expect(lit("X'1'")).toEqual({ value: new Uint8Array([1]), kind: 'binary' });
  });

  it('intervals: multi-unit, unit-to-unit and string forms', async () => {
    const iv = (text: string) => {
      const e = parseExpression(text);
      expect(e).toMatchObject({ type: 'literal', dataType: { kind: 'interval' } });
      return (e as { value: Interval }).value;
    };
    expect(iv('INTERVAL 10 SECONDS')).toEqual(new Interval(0, 0, 10_000_000));
    expect(iv('INTERVAL 1 DAY 2 HOURS')).toEqual(new Interval(0, 1, 7_200_000_000));
    expect(iv("INTERVAL '1' HOUR")).toEqual(new Interval(0, 0, 3_600_000_000));
    expect(iv('INTERVAL -5 MINUTES')).toEqual(new Interval(0, 0, -300_000_000));
    expect(iv('INTERVAL 1.5 SECONDS')).toEqual(new Interval(0, 0, 1_500_000));
    expect(iv('INTERVAL 2 YEARS 3 MONTHS')).toEqual(new Interval(27, 0, 0));
    expect(iv('INTERVAL 1 WEEK')).toEqual(new Interval(0, 7, 0));
    expect(iv('INTERVAL 3 MILLISECONDS 4 MICROSECONDS')).toEqual(new Interval(0, 0, 3004));
    expect(iv("INTERVAL '10 minutes'")).toEqual(new Interval(0, 0, 600_000_000));
    expect(iv("INTERVAL '1 day 2 hours'")).toEqual(new Interval(0, 1, 7_200_000_000));
    expect(iv("INTERVAL '1-2' YEAR TO MONTH")).toEqual(new Interval(14, 0, 0));
    expect(iv("INTERVAL '-1-2' YEAR TO MONTH")).toEqual(new Interval(-14, 0, 0));
    expect(iv("INTERVAL '1 10:20:30.5' DAY TO SECOND")).toEqual(
      new Interval(0, 1, 10 * 3_600_000_000 + 20 * 60_000_000 + 30_500_000),
    );
    expect(iv("INTERVAL '10:20' HOUR TO MINUTE")).toEqual(
      new Interval(0, 0, 10 * 3_600_000_000 + 20 * 60_000_000),
    );
    expect(iv("INTERVAL '20:30.25' MINUTE TO SECOND")).toEqual(
      new Interval(0, 0, 20 * 60_000_000 + 30_250_000),
    );
    expect(sql('ts + INTERVAL 1 HOUR')).toBe("(ts + INTERVAL '1 hours')");
    expect(sql('ts - INTERVAL 1 DAY - INTERVAL 2 DAYS')).toBe(
      "((ts - INTERVAL '1 days') - INTERVAL '2 days')",
    );
  });

  it('interval, date and timestamp are still column names when no literal follows', async () => {
    expect(parseExpression('interval + date')).toMatchObject({
      type: 'binary',
      left: { type: 'column', nameParts: ['interval'] },
      right: { type: 'column', nameParts: ['date'] },
    });
    expect(sql('timestamp')).toBe('timestamp');
    expect(sql('CAST(timestamp AS STRING)')).toBe('CAST(timestamp AS STRING)');
  });
});

describe('function calls', () => {
  it('lower-cases names and keeps arguments', async () => {
    expect(parseExpression('UPPER(name)')).toMatchObject({
      type: 'function',
      name: 'upper',
      args: [{ type: 'column', nameParts: ['name'] }],
    });
    expect(sql('concat_ws(",", a, b)')).toBe("concat_ws(',', a, b)");
    expect(sql('now()')).toBe('now()');
    expect(sql('db.myfunc(1)')).toBe('db.myfunc(1)');
  });

  it('count(*) is count(1); count(DISTINCT ...); FILTER; IGNORE NULLS', async () => {
    expect(sql('count(*)')).toBe('count(1)');
    expect(sql('COUNT(t.*)')).toBe('count(t.*)');
    expect(sql('count(DISTINCT a, b)')).toBe('count(DISTINCT a, b)');
    expect(sql('sum(ALL a)')).toBe('sum(a)');
    expect(sql('sum(x) FILTER (WHERE y > 0)')).toBe('sum(x) FILTER (WHERE (y > 0))');
    expect(sql('first(x IGNORE NULLS)')).toBe('first(x) IGNORE NULLS');
    expect(sql('last(x) IGNORE NULLS')).toBe('last(x) IGNORE NULLS');
    expect(sql('first_value(x) RESPECT NULLS')).toBe('first_value(x) RESPECT NULLS');
    expect(parseExpression('count(DISTINCT a)')).toMatchObject({ distinct: true });
  });

  it('lambdas for higher-order functions', async () => {
    expect(parseExpression('transform(arr, x -> x + 1)')).toMatchObject({
      type: 'function',
      name: 'transform',
      args: [{ type: 'column' }, { type: 'lambda', params: ['x'], body: { type: 'binary', op: '+' } }],
    });
    expect(sql('aggregate(a, 0, (acc, x) -> acc + x, acc -> acc * 10)')).toBe(
      'aggregate(a, 0, (acc, x) -> (acc + x), acc -> (acc * 10))',
    );
    expect(sql('filter(a, (x, i) -> x > i)')).toBe('filter(a, (x, i) -> (x > i))');
    expect(sql('exists(a, x -> x IS NULL)')).toBe('exists(a, x -> (x IS NULL))');
    expect(sql('transform(a, `my x` -> `my x`)')).toBe('transform(a, `my x` -> `my x`)');
  });

  it('special syntaxes become ordinary calls', async () => {
    expect(sql('EXTRACT(YEAR FROM ts)')).toBe("extract('YEAR', ts)");
    expect(sql("POSITION('b' IN s)")).toBe("position('b', s)");
    expect(sql('position(a, b, 2)')).toBe('position(a, b, 2)');
    expect(sql('SUBSTRING(s FROM 2 FOR 3)')).toBe('substring(s, 2, 3)');
    expect(sql('substr(s FROM 2)')).toBe('substr(s, 2)');
    expect(sql('substring(s, 1, 2)')).toBe('substring(s, 1, 2)');
    expect(sql('TRIM(s)')).toBe('trim(s)');
    expect(sql("TRIM(BOTH 'x' FROM s)")).toBe("trim('x', s)");
    expect(sql("TRIM(LEADING 'x' FROM s)")).toBe("ltrim('x', s)");
    expect(sql('TRIM(TRAILING FROM s)')).toBe('rtrim(s)');
    expect(sql("TRIM('x' FROM s)")).toBe("trim('x', s)");
    expect(sql("OVERLAY(a PLACING 'x' FROM 2 FOR 3)")).toBe("overlay(a, 'x', 2, 3)");
    expect(sql('TIMESTAMPADD(HOUR, 1, ts)')).toBe("timestampadd('HOUR', 1, ts)");
    expect(sql('dateadd(DAY, 2, d)')).toBe("timestampadd('DAY', 2, d)");
    expect(sql('date_add(d, 2)')).toBe('date_add(d, 2)');
    expect(sql('TIMESTAMPDIFF(MINUTE, a, b)')).toBe("timestampdiff('MINUTE', a, b)");
    expect(sql('datediff(a, b)')).toBe('datediff(a, b)');
    expect(sql('STRUCT(a, b AS c)')).toBe('struct(a, b AS c)');
    expect(sql('left(s, 2) || right(s, 1)')).toBe('(left(s, 2) || right(s, 1))');
    expect(sql('percentile_cont(0.5) WITHIN GROUP (ORDER BY x)')).toBe('percentile_cont(x, 0.5BD)');
    expect(sql('window(ts, "10 minutes", "5 minutes")')).toBe("window(ts, '10 minutes', '5 minutes')");
    expect(sql("session_window(ts, '5 minutes')")).toBe("session_window(ts, '5 minutes')");
  });

  it('current_date / current_timestamp without parentheses are function calls; `user` is a column', async () => {
    expect(parseExpression('current_timestamp')).toMatchObject({
      type: 'function',
      name: 'current_timestamp',
      args: [],
    });
    expect(parseExpression('CURRENT_DATE - 1')).toMatchObject({
      type: 'binary',
      left: { type: 'function', name: 'current_date' },
    });
    expect(parseExpression('`current_date`')).toMatchObject({ type: 'column', nameParts: ['current_date'] });
    expect(parseExpression('user')).toMatchObject({ type: 'column', nameParts: ['user'] });
    expect(parseExpression('current_date()')).toMatchObject({
      type: 'function',
      name: 'current_date',
      args: [],
    });
  });
});

describe('CASE, CAST and sub-queries', () => {
  it('searched and simple CASE', async () => {
    expect(sql("CASE WHEN a > 1 THEN 'x' WHEN a IS NULL THEN 'n' ELSE 'y' END")).toBe(
      "CASE WHEN (a > 1) THEN 'x' WHEN (a IS NULL) THEN 'n' ELSE 'y' END",
    );
    expect(sql('CASE a WHEN 1 THEN 2 END')).toBe('CASE a WHEN 1 THEN 2 END');
    expect(parseExpression('CASE a WHEN 1 THEN 2 END')).not.toHaveProperty('otherwise');
  });

  it('CAST, TRY_CAST and :: with Spark type names', async () => {
    expect(parseExpression('CAST(a AS BIGINT)')).toMatchObject({ type: 'cast', dataType: { kind: 'long' } });
    expect(parseExpression('TRY_CAST(a AS INT)')).toMatchObject({ type: 'cast', safe: true });
    expect(sql('CAST(a AS DECIMAL(10, 2))')).toBe('CAST(a AS DECIMAL(10,2))');
    expect(sql('CAST(a AS ARRAY<STRUCT<x: INT, y: STRING>>)')).toBe(
      'CAST(a AS ARRAY<STRUCT<x: INT, y: STRING>>)',
    );
    expect(sql('a::map<string,array<int>>')).toBe('CAST(a AS MAP<STRING, ARRAY<INT>>)');
    expect(sql('CAST(a AS VARCHAR(10))')).toBe('CAST(a AS STRING)');
    expect(sql('CAST(a AS TIMESTAMP_NTZ)')).toBe('CAST(a AS TIMESTAMP)');
  });

  it('scalar, EXISTS and IN sub-queries carry the query AST', async () => {
    const s = parseExpression('(SELECT max(x) FROM t)');
    expect(s).toMatchObject({
      type: 'subquery',
      kind: 'scalar',
      query: { kind: 'query', body: { kind: 'select' } },
    });
    expect(parseExpression('EXISTS (SELECT 1 FROM t WHERE t.a = b)')).toMatchObject({
      type: 'subquery',
      kind: 'exists',
    });
    expect(parseExpression('NOT EXISTS (SELECT 1)')).toMatchObject({
      type: 'unary',
      op: 'not',
      operand: { type: 'subquery', kind: 'exists' },
    });
    expect(parseExpression('a NOT IN (SELECT b FROM u)')).toMatchObject({
      type: 'subquery',
      kind: 'in',
      negated: true,
      operand: { type: 'column', nameParts: ['a'] },
    });
    expect(parseExpression('a IN ((SELECT b FROM u))')).toMatchObject({ type: 'subquery', kind: 'in' });
    expect(parseExpression('x + (SELECT 1)')).toMatchObject({ type: 'binary', right: { type: 'subquery' } });
  });
});

describe('names, stars and aliases', () => {
  it('backquoted identifiers with escaped backquotes and dots', async () => {
    expect(parseExpression('`a.b`.`c``d`')).toMatchObject({ type: 'column', nameParts: ['a.b', 'c`d'] });
    expect(parseExpression('`select`')).toMatchObject({ type: 'column', nameParts: ['select'] });
  });

  it('non-reserved keywords work as column names', async () => {
    for (const name of [
      'key',
      'value',
      'window',
      'year',
      'type',
      'comment',
      'data',
      'range',
      'first',
      'last',
      'left',
      'count',
      'filter',
      'view',
      'values',
    ]) {
      expect(parseExpression(name)).toMatchObject({ type: 'column', nameParts: [name] });
    }
    expect(sql('window.start')).toBe('window.start');
    expect(sql('w.end')).toBe('w.end');
  });

  it('stars', async () => {
    expect(parseExpression('*')).toMatchObject({ type: 'star' });
    expect(parseExpression('t.*')).toMatchObject({ type: 'star', qualifier: ['t'] });
    expect(parseExpression('db.t.*')).toMatchObject({ type: 'star', qualifier: ['db', 't'] });
  });

  it('aliases with and without AS, multi-aliases for generators', async () => {
    expect(parseExpression('a + 1 AS b')).toMatchObject({
      type: 'alias',
      names: ['b'],
      operand: { type: 'binary' },
    });
    expect(parseExpression('a b')).toMatchObject({ type: 'alias', names: ['b'] });
    expect(parseExpression('a AS `my col`')).toMatchObject({ type: 'alias', names: ['my col'] });
    expect(parseExpression('explode(m) AS (k, v)')).toMatchObject({ type: 'alias', names: ['k', 'v'] });
    expect(parseExpression('posexplode(a) (p, x)')).toMatchObject({ type: 'alias', names: ['p', 'x'] });
    expect(parseExpression('count(*) AS from')).toMatchObject({ type: 'alias', names: ['from'] });
  });
});

describe('spans', () => {
  it('every node records 1-based line/column and offsets', async () => {
    const e = parseExpression('a +\n  foo(b)');
    expect(e.span).toEqual({ line: 1, column: 1, start: 0, end: 12 });
    const right = (e as Extract<Expr, { type: 'binary' }>).right;
    expect(right.span).toEqual({ line: 2, column: 3, start: 6, end: 12 });
    const arg = (right as Extract<Expr, { type: 'function' }>).args[0]!;
    expect(arg.span).toEqual({ line: 2, column: 7, start: 10, end: 11 });
  });
});

describe('round trip: parse(print(parse(x))) = parse(x)', () => {
  const inputs = [
    'a + b * c - d / e % f DIV g',
    "CASE WHEN a THEN 'x''y' ELSE NULL END",
    "a LIKE 'x\\\\%' ESCAPE '\\\\' AND b NOT ILIKE 'y' OR c RLIKE '\\\\d+'",
    'NOT (a IS NULL) AND b IS NOT TRUE AND c IS DISTINCT FROM d',
    'transform(filter(arr, x -> x > 0), (x, i) -> x * i)[0].f',
    'CAST(a AS STRUCT<`a b`: INT NOT NULL, c: MAP<STRING, ARRAY<DECIMAL(5,2)>>>)',
    "TRY_CAST('1' AS INT) + -(1) + 1L + 2S + 3Y + 1.5 + 1.5D + 2.5F + 1.25BD + 1e10",
    "DATE '2024-02-29' + INTERVAL '1-2' YEAR TO MONTH + TIMESTAMP '2024-01-01 10:00:00.123456'",
    "X'DEADBEEF' = a AND `weird``name`.`x y` <=> b",
    'count(DISTINCT a) FILTER (WHERE b > 0) + first(c) IGNORE NULLS',
    'a BETWEEN 1 AND 10 AND b NOT IN (1, 2) AND c IN (3)',
    '~a & b | c ^ d',
    'shiftleft(1, 2) + (a << 3)',
    'struct(a, b AS c).c',
    "map('a', 1)['a'] + array(1, 2)[0]",
    'a::bigint::string',
  ];
  for (const input of inputs) {
    it(input, () => {
      const tree = stripSpans(parseExpression(input));
      const printed = exprToSql(parseExpression(input));
      expect(stripSpans(parseExpression(printed))).toEqual(tree);
    });
  }
});

describe('errors', () => {
  it('are ParseErrors with positions', async () => {
    expect(() => parseExpression('a +')).toThrow(ParseError);
    expect(() => parseExpression('')).toThrow(ParseError);
    expect(() => parseExpression('a b c')).toThrow(/Syntax error at or near 'c'/);
  });

  it('window functions and named arguments are NotImplementedError (valid Spark, unsupported here)', async () => {
    expect(() => parseExpression('rank() OVER (ORDER BY a)')).toThrow(NotImplementedError);
    expect(() => parseExpression('f(a => 1)')).toThrow(NotImplementedError);
  });

  it('deep nesting is a ParseError, not a stack overflow', async () => {
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
    expect(() => parseExpression(deep)).toThrow(ParseError);
    const deepNot = `${'NOT '.repeat(5000)}a`;
    expect(() => parseExpression(deepNot)).toThrow(ParseError);
    const longChain = Array.from({ length: 5000 }, (_, i) => `a${i}`).join(' + ');
    expect(parseExpression(longChain).type).toBe('binary');
  });
});
