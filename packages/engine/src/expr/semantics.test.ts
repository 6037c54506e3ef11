import { describe, expect, it } from 'vitest';
import { showSql } from '../functions/testing.js';
import { Decimal } from '../types/decimal.js';
import { arrayType, structType, T } from '../types/types.js';
import { makeCast } from './cast.js';
import { makeComparator, makeEquals, valueKey } from './compare.js';

describe('casts (Spark rules)', () => {
  const cases: [string, string, boolean?][] = [
    ["CAST('  42  ' AS BIGINT)", '42'],
    ["CAST('1e3' AS DOUBLE)", '1000.0'],
    ["CAST('inf' AS DOUBLE)", 'Infinity'],
    ["CAST('NaN' AS DOUBLE)", 'NaN'],
    ["CAST('1.5d' AS DOUBLE)", '1.5'],
    ["CAST('t' AS BOOLEAN)", 'true'],
    ["CAST('no' AS BOOLEAN)", 'false'],
    ["CAST('maybe' AS BOOLEAN)", 'NULL', false],
    ['CAST(1.9 AS INT)', '1'],
    ['CAST(-1.9 AS INT)', '-1'],
    ['CAST(CAST(3e10 AS DOUBLE) AS INT)', '2147483647', false],
    ["CAST(CAST('NaN' AS DOUBLE) AS INT)", '0', false],
    ['CAST(2.5 AS DECIMAL(1,0))', '3'],
    ['CAST(-2.5 AS DECIMAL(1,0))', '-3'],
    ['CAST(123.456 AS DECIMAL(4,1))', '123.5'],
    ['CAST(123.456 AS DECIMAL(3,1))', 'NULL', false],
    ['CAST(true AS INT)', '1'],
    ['CAST(0 AS BOOLEAN)', 'false'],
    ["CAST(TIMESTAMP '1970-01-01 00:00:01.5' AS DOUBLE)", '1.5'],
    ["CAST(TIMESTAMP '1970-01-01 00:00:01.5' AS BIGINT)", '1'],
    ['CAST(86400 AS TIMESTAMP)', '1970-01-02 00:00:00'],
    ["CAST(DATE '2024-03-01' AS TIMESTAMP)", '2024-03-01 00:00:00'],
    ["CAST(TIMESTAMP '2024-03-01 23:59:59' AS DATE)", '2024-03-01'],
    ["CAST(TIMESTAMP '1969-12-31 23:59:59' AS DATE)", '1969-12-31'],
    ["CAST('2024-03-01T10:00:00+02:00' AS TIMESTAMP)", '2024-03-01 08:00:00'],
    ["CAST(array('1', '2') AS ARRAY<INT>)", '[1, 2]'],
    ["CAST(map('a', '1') AS MAP<STRING, DOUBLE>)", '{a -> 1.0}'],
    ["CAST(named_struct('a', '1', 'b', 2) AS STRUCT<x: INT, y: STRING>)", '{1, 2}'],
    ["CAST(X'4869' AS STRING)", 'Hi'],
    ["CAST('Hi' AS BINARY)", '[48 69]'],
    ['CAST(CAST(0.1 AS FLOAT) AS DOUBLE)', '0.10000000149011612'],
    ['CAST(CAST(0.1 AS FLOAT) AS STRING)', '0.1'],
    ['CAST(1e-5 AS STRING)', '1.0E-5'],
    ['CAST(12345678.9D AS STRING)', '1.23456789E7'],
    ["CAST('1 day 2 hours' AS INTERVAL)", '1 days 2 hours'],
  ];
  for (const [sql, expected, ansi] of cases) {
    it(sql, () => {
      expect(showSql(sql, { ansi: ansi ?? true })).toBe(expected);
    });
  }
});

describe('comparisons and equality', () => {
  const cases: [string, string][] = [
    ["CAST('NaN' AS DOUBLE) = CAST('NaN' AS DOUBLE)", 'true'],
    ["CAST('NaN' AS DOUBLE) > 1e308", 'true'],
    ["1.0D < CAST('NaN' AS DOUBLE)", 'true'],
    ['-0.0D = 0.0D', 'true'],
    ['1 = 1.0', 'true'],
    ["'1' = 1", 'true'],
    ["DATE '2024-01-01' = TIMESTAMP '2024-01-01 00:00:00'", 'true'],
    ["DATE '2024-01-01' < '2024-01-02'", 'true'],
    ['array(1, 2) < array(1, 3)', 'true'],
    ['array(1, 2) < array(1, 2, 0)', 'true'],
    ["named_struct('a', 1, 'b', 'x') = named_struct('a', 1, 'b', 'x')", 'true'],
    ['NULL = NULL', 'NULL'],
    ['NULL <=> 1', 'false'],
    ["'abc' < 'abd'", 'true'],
    ["X'01' < X'0101'", 'true'],
    ['CAST(1.50 AS DECIMAL(5,2)) = CAST(1.5 AS DECIMAL(3,1))', 'true'],
    ["greatest(1.5D, CAST('NaN' AS DOUBLE))", 'NaN'],
    ['1 IN (1, 1 / 0)', 'true'],
    ['5 BETWEEN 6 AND 1 / 0', 'false'],
    ['5 BETWEEN NULL AND 6', 'NULL'],
    ['5 BETWEEN NULL AND 4', 'false'],
    ['5 NOT BETWEEN 1 AND 4', 'true'],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }

  it('comparators order nulls inside arrays and structs first', async () => {
    const cmp = makeComparator(arrayType(T.int));
    expect([[2], [null], [1, null], [1]].sort(cmp)).toEqual([[null], [1], [1, null], [2]]);
    const st = makeComparator(structType([{ name: 'a', dataType: T.double, nullable: true }]));
    expect(st([Number.NaN], [1e308])).toBe(1);
  });

  it('value keys unify values Spark considers equal', async () => {
    expect(valueKey(Decimal.parse('1.50'), { kind: 'decimal', precision: 5, scale: 2 })).toBe(
      valueKey(Decimal.parse('1.5'), { kind: 'decimal', precision: 5, scale: 2 }),
    );
    expect(valueKey(-0, T.double)).toBe(valueKey(0, T.double));
    expect(makeEquals(T.double)(Number.NaN, Number.NaN)).toBe(true);
    expect(
      valueKey(
        [1, 'a'],
        structType([
          { name: 'x', dataType: T.int, nullable: true },
          { name: 'y', dataType: T.string, nullable: true },
        ]),
      ),
    ).toBe(
      valueKey(
        [1, 'a'],
        structType([
          { name: 'x', dataType: T.int, nullable: true },
          { name: 'y', dataType: T.string, nullable: true },
        ]),
      ),
    );
  });

  it('makeCast returns null for identity casts', async () => {
    expect(makeCast(T.int, T.int, true)).toBeNull();
  });
});

describe('decimal arithmetic', () => {
  const cases: [string, string][] = [
    ['CAST(10 AS DECIMAL(10,2)) / 3', '3.333333'],
    ['CAST(-7.5 AS DECIMAL(3,1)) % 2', '-1.5'],
    ['CAST(1.05 AS DECIMAL(3,2)) * CAST(1.05 AS DECIMAL(3,2))', '1.1025'],
    [
      'CAST(99999999999999999999999999999999999999 AS DECIMAL(38,0)) + 0',
      '99999999999999999999999999999999999999',
    ],
    ['-CAST(1.5 AS DECIMAL(2,1))', '-1.5'],
    ['abs(CAST(-1.5 AS DECIMAL(2,1)))', '1.5'],
    ['CAST(1 AS DECIMAL(10,0)) + 0.5D', '1.5'],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }
  it('overflow raises in ANSI mode and is null otherwise', async () => {
    const sql = 'CAST(99999999999999999999999999999999999999 AS DECIMAL(38,0)) + 1';
    expect(() => showSql(sql)).toThrow(/NUMERIC_VALUE_OUT_OF_RANGE/);
    expect(showSql(sql, { ansi: false })).toBe('NULL');
  });
});
