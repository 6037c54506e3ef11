import { describe, expect, it } from 'vitest';
import { showSql, typeOfSql } from './testing.js';

// Spark documentation examples (sql-ref-functions-builtin) unless noted.
const cases: [string, string][] = [
  ['abs(-1)', '1'],
  ['abs(-1.5)', '1.5'],
  ['round(2.5, 0)', '3'],
  ['round(-2.5)', '-3'],
  ['bround(2.5, 0)', '2'],
  ['bround(3.5, 0)', '4'],
  ['round(25, -1)', '30'],
  ['bround(25, -1)', '20'],
  ['round(2.675, 2)', '2.68'],
  ['round(CAST(2.675 AS DOUBLE), 2)', '2.68'],
  ['ceil(-0.1)', '0'],
  ['ceil(5)', '5'],
  ['ceil(3.1411, 3)', '3.142'],
  ['floor(-0.1)', '-1'],
  ['floor(5)', '5'],
  ['floor(3.1411, 3)', '3.141'],
  ['sqrt(4)', '2.0'],
  ['cbrt(27.0)', '3.0'],
  ['pow(2, 3)', '8.0'],
  ['power(2, 3)', '8.0'],
  ['exp(0)', '1.0'],
  ['ln(1)', '0.0'],
  ['ln(0)', 'NULL'],
  ['log(10, 100)', '2.0'],
  ['log10(10)', '1.0'],
  ['log2(2)', '1.0'],
  ['log1p(0)', '0.0'],
  ['pmod(10, 3)', '1'],
  ['pmod(-10, 3)', '2'],
  ['mod(2, 1.8)', '0.2'],
  ['2 % 1.8', '0.2'],
  ['-7 % 2', '-1'],
  ['7 div 2', '3'],
  ['sign(40)', '1.0'],
  ['signum(-40)', '-1.0'],
  ['degrees(pi())', '180.0'],
  ['radians(180)', '3.141592653589793'],
  ['hypot(3, 4)', '5.0'],
  ['factorial(5)', '120'],
  ['shiftleft(2, 1)', '4'],
  ['shiftright(4, 1)', '2'],
  ["conv('100', 2, 10)", '4'],
  ['conv(-10, 16, -10)', '-16'],
  ['width_bucket(5.3, 0.2, 10.6, 5)', '3'],
  ['width_bucket(-2.1, 1.3, 3.4, 3)', '0'],
  ['try_divide(1, 0)', 'NULL'],
  ['try_divide(3, 2)', '1.5'],
  ['try_add(2147483647, 1)', 'NULL'],
  ['try_multiply(2, 3)', '6'],
  ["isnan(CAST('NaN' AS DOUBLE))", 'true'],
  ["nanvl(CAST('NaN' AS DOUBLE), 123)", '123.0'],
  ['greatest(10, 9, 2, 4, 3)', '10'],
  ['least(10, 9, 2, 4, 3)', '2'],
  ['greatest(1, NULL, 3)', '3'],
  ['positive(1)', '1'],
  ['negative(1)', '-1'],
  ['3 / 2', '1.5'],
  ['1 + 1.5', '2.5'],
  ['0.1 + 0.2', '0.3'],
  ['CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE)', '0.30000000000000004'],
  ['2147483647L + 1', '2147483648'],
  ['5 & 3', '1'],
  ['5 | 3', '7'],
  ['5 ^ 3', '6'],
  ['~0', '-1'],
];

describe('math functions', () => {
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }

  it('result types follow Spark', async () => {
    expect(typeOfSql('1 + 1')).toBe('int');
    expect(typeOfSql('1 + 1L')).toBe('bigint');
    expect(typeOfSql('1 / 2')).toBe('double');
    expect(typeOfSql('1.5 + 1')).toBe('decimal(3,1)');
    expect(typeOfSql('1.25 * 1.5')).toBe('decimal(6,3)');
    expect(typeOfSql('ceil(1.5)')).toBe('decimal(2,0)');
    expect(typeOfSql('ceil(CAST(1.5 AS DOUBLE))')).toBe('bigint');
    expect(typeOfSql('round(1.2345, 2)')).toBe('decimal(4,2)');
    expect(typeOfSql('CAST(1 AS TINYINT) + CAST(1 AS TINYINT)')).toBe('tinyint');
    expect(typeOfSql("'1' + 1")).toBe('bigint');
    expect(typeOfSql('7 div 2')).toBe('bigint');
  });

  it('ANSI integer overflow and division by zero raise; legacy mode wraps and gives null', async () => {
    expect(() => showSql('2147483647 + 1')).toThrow(/^\[ARITHMETIC_OVERFLOW\] integer overflow/);
    expect(showSql('2147483647 + 1', { ansi: false })).toBe('-2147483648');
    expect(() => showSql('1 % 0')).toThrow(/DIVIDE_BY_ZERO/);
    expect(showSql('1 % 0', { ansi: false })).toBe('NULL');
    expect(() => showSql('CAST(99 AS DECIMAL(2,0)) * 10')).not.toThrow();
    expect(() => showSql('CAST(9.99 AS DECIMAL(38,2)) * CAST(1e36 AS DECIMAL(38,0))')).toThrow(
      /NUMERIC_VALUE_OUT_OF_RANGE/,
    );
  });

  it('decimal division keeps Spark scale', async () => {
    expect(showSql('CAST(1 AS DECIMAL(10,0)) / CAST(3 AS DECIMAL(10,0))')).toBe('0.33333333333');
    expect(typeOfSql('CAST(1 AS DECIMAL(10,0)) / CAST(3 AS DECIMAL(10,0))')).toBe('decimal(21,11)');
  });
});
