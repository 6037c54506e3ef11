import { describe, expect, it } from 'vitest';
import { resolveExpr } from '../expr/index.js';
import { parseExpression } from '../sql/index.js';
import { formatValue } from '../types/format.js';
import { T } from '../types/types.js';
import { showSql } from './testing.js';

const cases: [string, string][] = [
  ["like('Spark', '_park')", 'true'],
  ["ilike('Spark', '_PARK')", 'true'],
  ["rlike('Spark', 'S.*k')", 'true'],
  ["'Spark' NOT LIKE 'S%'", 'false'],
  ["'a_c' LIKE 'a!_c' ESCAPE '!'", 'true'],
  ['not(true)', 'false'],
  ['equal_null(NULL, NULL)', 'true'],
  ['equal_null(1, NULL)', 'false'],
  ['NULL <=> NULL', 'true'],
  ['zeroifnull(NULL)', '0'],
  ['nullifzero(0)', 'NULL'],
  ['nullifzero(2)', '2'],
  ["parse_url('http://spark.apache.org/path?query=1', 'HOST')", 'spark.apache.org'],
  ["parse_url('http://spark.apache.org/path?query=1', 'QUERY')", 'query=1'],
  ["parse_url('http://spark.apache.org/path?query=1', 'QUERY', 'query')", '1'],
  ["parse_url('http://spark.apache.org/path?query=1', 'PATH')", '/path'],
  ["url_encode('https://spark.apache.org')", 'https%3A%2F%2Fspark.apache.org'],
  ["url_decode('https%3A%2F%2Fspark.apache.org')", 'https://spark.apache.org'],
  ['typeof(1)', 'int'],
  ['typeof(array(1))', 'array<int>'],
  ["int('12')", '12'],
  ['string(1.5)', '1.5'],
  ['double(1)', '1.0'],
  ['array_size(array(1, 2))', '2'],
  ['coalesce(NULL, 1, 2)', '1'],
  ['nvl(NULL, 2)', '2'],
  ['ifnull(NULL, 2)', '2'],
  ["if(1 < 2, 'a', 'b')", 'a'],
  ['nullif(2, 2)', 'NULL'],
  ['nvl2(NULL, 2, 1)', '1'],
  ["CASE 1 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", 'one'],
  ["CASE WHEN 1 > 2 THEN 'x' END", 'NULL'],
  ['1 IN (1, 2)', 'true'],
  ['3 NOT IN (1, 2)', 'true'],
  ['3 IN (1, NULL)', 'NULL'],
  ['2 BETWEEN 1 AND 3', 'true'],
  ['2 NOT BETWEEN 1 AND 3', 'false'],
  ['NULL IS NULL', 'true'],
  ['true IS NOT FALSE', 'true'],
  ['NULL IS UNKNOWN', 'true'],
  ["TRY_CAST('x' AS INT)", 'NULL'],
  ["to_char(454, '999')", '454'],
  ["to_char(454.00, '000D00')", '454.00'],
  ["to_char(12454, '99G999')", '12,454'],
  ["to_char(78.12, '$99.99')", '$78.12'],
  ["to_char(-12454.8, '99G999D9S')", '12,454.8-'],
  ["to_char(DATE '2016-04-08', 'yyyy')", '2016'],
  ["to_char(X'537061726b2053514c', 'base64')", 'U3BhcmsgU1FM'],
  ["sentences('Hi there! Good morning.')", '[[Hi, there], [Good, morning]]'],
  ['bitwise_not(0)', '-1'],
  ["luhn_check('8112189876')", 'true'],
  ["luhn_check('79927398713')", 'true'],
  ["luhn_check('79927398714')", 'false'],
  ["quote('Don\\'t')", "'Don\\'t'"],
  ["mask('abcd-EFGH-8765-4321')", 'xxxx-XXXX-nnnn-nnnn'],
  ["mask('abcd-EFGH-8765-4321', 'Q')", 'xxxx-QQQQ-nnnn-nnnn'],
  ['bit_get(11, 0)', '1'],
  ['getbit(11, 2)', '0'],
  ["monthname('2008-02-20')", 'Feb'],
  ["dayname(DATE('2008-02-20'))", 'Wed'],
  ['try_make_timestamp(2019, 6, 30, 23, 59, 60)', '2019-07-01 00:00:00'],
  ['try_make_timestamp(2019, 13, 1, 10, 11, 12)', 'NULL'],
  ["try_url_decode('%E0%A4%A')", 'NULL'],
  ["try_to_binary('abc', 'utf-8')", '[61 62 63]'],
  ["try_to_binary('xyz', 'hex')", 'NULL'],
  ["create_map('a', 1)", '{a -> 1}'],
  ["CAST('2024-02-30' AS DATE) IS NULL", 'true'],
];

describe('predicates, conditionals and miscellaneous functions', () => {
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql, { ansi: !sql.startsWith("CAST('2024-02-30'") })).toBe(expected);
    });
  }

  it('raise_error and assert_true raise USER_RAISED_EXCEPTION', async () => {
    expect(() => showSql("raise_error('boom')")).toThrow(/USER_RAISED_EXCEPTION\] boom/);
    expect(() => showSql('assert_true(1 > 2)')).toThrow(/USER_RAISED_EXCEPTION/);
  });
});

describe('more aggregates', () => {
  const scope = { fields: [{ name: 'col', qualifier: [], dataType: T.long, nullable: true }] };
  const run = (text: string, values: (number | null)[]) => {
    const b = resolveExpr(parseExpression(text), scope, { allowAggregates: true });
    if (b.kind !== 'aggregate') throw new Error('not an aggregate');
    const buf = b.agg.create();
    for (const v of values) buf.update([v]);
    return formatValue(buf.result(), b.agg.dataType);
  };
  it('skewness, kurtosis (Spark documentation examples)', async () => {
    expect(Number(run('skewness(col)', [-10, -20, 100, 1000]))).toBeCloseTo(1.1135657469022011, 12);
    expect(Number(run('kurtosis(col)', [-10, -20, 100, 1000]))).toBeCloseTo(-0.7014368047529627, 12);
  });
  it('bit_and, bit_or, bit_xor', async () => {
    expect(run('bit_and(col)', [3, 5])).toBe('1');
    expect(run('bit_or(col)', [3, 5])).toBe('7');
    expect(run('bit_xor(col)', [3, 5])).toBe('6');
  });
  it('product and regr_count', async () => {
    expect(run('product(col)', [1, 2, 3, 4])).toBe('24.0');
    expect(run('regr_count(col, col)', [1, null, 3])).toBe('2');
  });
  it('try_sum gives null on overflow', async () => {
    expect(run('try_sum(col)', [5, 10, 15])).toBe('30');
    expect(run('try_sum(col)', [2 ** 62, 2 ** 62])).toBe('NULL');
    expect(run('try_avg(col)', [1, 2])).toBe('1.5');
  });
});
