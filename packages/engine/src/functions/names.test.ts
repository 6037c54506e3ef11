import { describe, expect, it } from 'vitest';
import { resolveExpr } from '../expr/index.js';
import { parseExpression } from '../sql/index.js';
import { simpleString, T } from '../types/types.js';

// Auto-generated column names and result types, as Spark's ExpressionsSchemaSuite records them for
// each function's documented example (`struct<name:type>`).
const cases: [string, string, string][] = [
  ['abs(-1)', 'abs(-1)', 'int'],
  ['acos(1)', 'ACOS(1)', 'double'],
  ['1 + 2', '(1 + 2)', 'int'],
  ["add_months('2016-08-31', 1)", 'add_months(2016-08-31, 1)', 'date'],
  ['true and true', '(true AND true)', 'boolean'],
  [
    'aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x)',
    'aggregate(array(1, 2, 3), 0, lambdafunction((namedlambdavariable() + namedlambdavariable()), namedlambdavariable(), namedlambdavariable()), lambdafunction(namedlambdavariable(), namedlambdavariable()))',
    'int',
  ],
  [
    'reduce(array(1, 2, 3), 0, (acc, x) -> acc + x)',
    'reduce(array(1, 2, 3), 0, lambdafunction((namedlambdavariable() + namedlambdavariable()), namedlambdavariable(), namedlambdavariable()), lambdafunction(namedlambdavariable(), namedlambdavariable()))',
    'int',
  ],
  ["array_append(array('b', 'd', 'c', 'a'), 'd')", 'array_append(array(b, d, c, a), d)', 'array<string>'],
  ['array_compact(array(1, 2, 3, null))', 'array_compact(array(1, 2, 3, NULL))', 'array<int>'],
  [
    'exists(array(1, 2, 3), x -> x % 2 == 0)',
    'exists(array(1, 2, 3), lambdafunction(((namedlambdavariable() % 2) = 0), namedlambdavariable()))',
    'boolean',
  ],
  [
    'transform(array(1, 2, 3), x -> x + 1)',
    'transform(array(1, 2, 3), lambdafunction((namedlambdavariable() + 1), namedlambdavariable()))',
    'array<int>',
  ],
  ["array_join(array('hello', 'world'), ' ')", 'array_join(array(hello, world),  )', 'string'],
  [
    'array_position(array(312, 773, 708, 708), 708)',
    'array_position(array(312, 773, 708, 708), 708)',
    'bigint',
  ],
  [
    'arrays_zip(array(1, 2, 3), array(2, 3, 4))',
    'arrays_zip(array(1, 2, 3), array(2, 3, 4))',
    'array<struct<0:int,1:int>>',
  ],
  ['bround(2.5, 0)', 'bround(2.5, 0)', 'decimal(2,0)'],
  ['0.5 between 0.1 AND 1.0', 'between(0.5, 0.1, 1.0)', 'boolean'],
  [
    'CASE WHEN 1 > 0 THEN 1 WHEN 2 > 0 THEN 2.0 ELSE 1.2 END',
    'CASE WHEN (1 > 0) THEN 1 WHEN (2 > 0) THEN 2.0 ELSE 1.2 END',
    'decimal(11,1)',
  ],
  ["cast('10' as int)", 'CAST(10 AS INT)', 'int'],
  ['ceil(-0.1)', 'CEIL(-0.1)', 'decimal(1,0)'],
  ['ceiling(-0.1)', 'ceiling(-0.1)', 'decimal(1,0)'],
  ['coalesce(NULL, 1, NULL)', 'coalesce(NULL, 1, NULL)', 'int'],
  ["concat_ws(' ', 'Spark', 'SQL')", 'concat_ws( , Spark, SQL)', 'string'],
  ["crc32('Spark')", 'crc32(Spark)', 'bigint'],
  ["map(1.0, '2', 3.0, '4')", 'map(1.0, 2, 3.0, 4)', 'map<decimal(2,1),string>'],
  ['named_struct("a", 1, "b", 2, "c", 3)', 'named_struct(a, 1, b, 2, c, 3)', 'struct<a:int,b:int,c:int>'],
  ['struct(1, 2, 3)', 'struct(1, 2, 3)', 'struct<col1:int,col2:int,col3:int>'],
  ['curdate()', 'current_date()', 'date'],
  ['current_database()', 'current_schema()', 'string'],
  ["dateadd('2016-07-30', 1)", 'date_add(2016-07-30, 1)', 'date'],
  ["date_diff('2009-07-31', '2009-07-30')", 'date_diff(2009-07-31, 2009-07-30)', 'int'],
  [
    "date_part('YEAR', TIMESTAMP '2019-08-12 01:00:00.123456')",
    "date_part(YEAR, TIMESTAMP '2019-08-12 01:00:00.123456')",
    'int',
  ],
  [
    "datepart('YEAR', TIMESTAMP '2019-08-12 01:00:00.123456')",
    "datepart(YEAR FROM TIMESTAMP '2019-08-12 01:00:00.123456')",
    'int',
  ],
  [
    "extract(YEAR FROM TIMESTAMP '2019-08-12 01:00:00.123456')",
    "extract(YEAR FROM TIMESTAMP '2019-08-12 01:00:00.123456')",
    'int',
  ],
  ['3 / 2', '(3 / 2)', 'double'],
  ['2 == 2', '(2 = 2)', 'boolean'],
  ['e()', 'E()', 'double'],
  ['floor(-0.1)', 'FLOOR(-0.1)', 'decimal(1,0)'],
  [
    'from_json(\'{"a":1, "b":0.8}\', \'a INT, b DOUBLE\')',
    'from_json({"a":1, "b":0.8})',
    'struct<a:int,b:double>',
  ],
  ['hypot(3, 4)', 'HYPOT(3, 4)', 'double'],
  ["if(1 < 2, 'a', 'b')", '(IF((1 < 2), a, b))', 'string'],
  ['1 in(1, 2, 3)', '(1 IN (1, 2, 3))', 'boolean'],
  ['3 div 2', '(3 div 2)', 'bigint'],
  ["isnan(cast('NaN' as double))", 'isnan(CAST(NaN AS DOUBLE))', 'boolean'],
  ['isnotnull(1)', '(1 IS NOT NULL)', 'boolean'],
  ["like('Spark', '_park')", 'Spark LIKE _park', 'boolean'],
  ['ln(1)', 'ln(1)', 'double'],
  ['log(10, 100)', 'LOG(10, 100)', 'double'],
  ["lcase('SparkSql')", 'lcase(SparkSql)', 'string'],
  ["ucase('SparkSql')", 'ucase(SparkSql)', 'string'],
  ["len('Spark SQL ')", 'len(Spark SQL )', 'int'],
  [
    "months_between('1997-02-28 10:30:00', '1996-10-30')",
    'months_between(1997-02-28 10:30:00, 1996-10-30, true)',
    'double',
  ],
  ['2 * 3', '(2 * 3)', 'int'],
  ['! true', '(NOT true)', 'boolean'],
  ["nvl(NULL, array('2'))", 'nvl(NULL, array(2))', 'array<string>'],
  ["overlay('Spark SQL' PLACING '_' FROM 6)", 'overlay(Spark SQL, _, 6, -1)', 'string'],
  ['pi()', 'PI()', 'double'],
  ['pow(2, 3)', 'pow(2, 3)', 'double'],
  ['power(2, 3)', 'POWER(2, 3)', 'double'],
  ['2 % 1.8', '(2 % 1.8)', 'decimal(2,1)'],
  ["regexp_replace('100-200', '(\\\\d+)', 'num')", 'regexp_replace(100-200, (\\d+), num, 1)', 'string'],
  ['round(2.5, 0)', 'round(2.5, 0)', 'decimal(2,0)'],
  ['rint(12.3456)', 'rint(12.3456)', 'double'],
  ['shiftleft(2, 1)', 'shiftleft(2, 1)', 'int'],
  ['sign(40)', 'sign(40)', 'double'],
  ['signum(40)', 'SIGNUM(40)', 'double'],
  ["locate('bar', 'foobarbar')", 'locate(bar, foobarbar, 1)', 'int'],
  ["split('oneAtwoBthreeC', '[ABC]')", 'split(oneAtwoBthreeC, [ABC], -1)', 'array<string>'],
  ["str_to_map('a:1,b:2,c:3', ',', ':')", 'str_to_map(a:1,b:2,c:3, ,, :)', 'map<string,string>'],
  ["substr('Spark SQL', 5)", 'substr(Spark SQL, 5, 2147483647)', 'string'],
  ["substring('Spark SQL', 5)", 'substring(Spark SQL, 5, 2147483647)', 'string'],
  ['sqrt(4)', 'SQRT(4)', 'double'],
  ['negative(1)', 'negative(1)', 'int'],
  ['positive(1)', '(+ 1)', 'int'],
  ['try_divide(3, 2)', 'try_divide(3, 2)', 'double'],
  ['typeof(1)', 'typeof(1)', 'string'],
  ["sha('Spark')", 'sha(Spark)', 'string'],
  ['width_bucket(5.3, 0.2, 10.6, 5)', 'width_bucket(5.3, 0.2, 10.6, 5)', 'bigint'],
  ["xxhash64('Spark', array(123), 2)", 'xxhash64(Spark, array(123), 2)', 'bigint'],
  ['zeroifnull(NULL)', 'zeroifnull(NULL)', 'int'],
  ['unix_timestamp()', 'unix_timestamp(current_timestamp(), yyyy-MM-dd HH:mm:ss)', 'bigint'],
  ["to_json(named_struct('a', 1, 'b', 2))", 'to_json(named_struct(a, 1, b, 2))', 'string'],
  ['random()', 'rand()', 'double'],
];

describe("auto-generated names and types match Spark's", () => {
  for (const [sql, name, type] of cases) {
    it(sql, () => {
      const b = resolveExpr(parseExpression(sql), { fields: [] });
      expect(b.sql).toBe(name);
      expect(simpleString(b.dataType)).toBe(type);
    });
  }

  it('aggregates', async () => {
    const scope = { fields: [{ name: 'col', qualifier: [], dataType: T.int, nullable: true }] };
    const agg = (text: string) => {
      const b = resolveExpr(parseExpression(text), scope, { allowAggregates: true });
      return `${b.sql}:${simpleString(b.dataType)}`;
    };
    expect(agg('array_agg(col)')).toBe('collect_list(col):array<int>');
    expect(agg('mean(col)')).toBe('mean(col):double');
    expect(agg('count_if(col % 2 = 0)')).toBe('count_if(((col % 2) = 0)):bigint');
    expect(agg('sum(col)')).toBe('sum(col):bigint');
    expect(agg('bit_and(col)')).toBe('bit_and(col):int');
    expect(agg('std(col)')).toBe('std(col):double');
    expect(agg('percentile_approx(col, array(0.5, 0.4, 0.1), 100)')).toBe(
      'percentile_approx(col, array(0.5, 0.4, 0.1), 100):array<int>',
    );
  });
});
