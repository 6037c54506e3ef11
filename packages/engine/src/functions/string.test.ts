import { describe, expect, it } from 'vitest';
import { showSql } from './testing.js';

// Expected values are the `> SELECT ...` examples of Spark's function documentation
// (sql-ref-functions-builtin), evaluated through Sluice's parser, resolver and compiler.
const cases: [string, string][] = [
  ["concat('Spark', 'SQL')", 'SparkSQL'],
  ["'Spark' || 'SQL'", 'SparkSQL'],
  ["concat_ws(' ', 'Spark', 'SQL')", 'Spark SQL'],
  ["concat_ws('-', 'a', NULL, array('b', 'c'))", 'a-b-c'],
  ["substring('Spark SQL', 5)", 'k SQL'],
  ["substring('Spark SQL', -3)", 'SQL'],
  ["substring('Spark SQL', 5, 1)", 'k'],
  ["substr('Spark SQL', 0, 2)", 'Sp'],
  ["split('oneAtwoBthreeC', '[ABC]')", '[one, two, three, ]'],
  ["split('oneAtwoBthreeC', '[ABC]', -1)", '[one, two, three, ]'],
  ["split('oneAtwoBthreeC', '[ABC]', 2)", '[one, twoBthreeC]'],
  ["lower('SparkSql')", 'sparksql'],
  ["upper('SparkSql')", 'SPARKSQL'],
  ["trim('    SparkSQL   ')", 'SparkSQL'],
  ["ltrim('    SparkSQL   ')", 'SparkSQL   '],
  ["rtrim('    SparkSQL   ')", '    SparkSQL'],
  ["trim(BOTH 'SL' FROM 'SSparkSQLS')", 'parkSQ'],
  ["trim(LEADING 'SL' FROM 'SSparkSQLS')", 'parkSQLS'],
  ["trim(TRAILING 'SL' FROM 'SSparkSQLS')", 'SSparkSQ'],
  ["btrim('SSparkSQLS', 'SL')", 'parkSQ'],
  ["lpad('hi', 5, '??')", '???hi'],
  ["lpad('hi', 1, '??')", 'h'],
  ["lpad('hi', 5)", '   hi'],
  ["rpad('hi', 5, '??')", 'hi???'],
  ["rpad('hi', 1, '??')", 'h'],
  ["regexp_extract('100-200', '(\\\\d+)-(\\\\d+)', 1)", '100'],
  ["regexp_extract('100-200', '(\\\\d+)-(\\\\d+)', 2)", '200'],
  ["regexp_extract('foo', '(\\\\d+)', 1)", ''],
  ["regexp_extract_all('100-200, 300-400', '(\\\\d+)-(\\\\d+)', 1)", '[100, 300]'],
  ["regexp_replace('100-200', '(\\\\d+)', 'num')", 'num-num'],
  ["regexp_replace('abc', '(b)', '[$1]')", 'a[b]c'],
  ["regexp_count('Steven Jones and Stephen Smith are the best players', 'Ste(v|ph)en')", '2'],
  ["regexp_like('%SystemDrive%\\\\Users\\\\John', '%SystemDrive%\\\\\\\\Users.*')", 'true'],
  ["format_string('Hello World %d %s', 100, 'days')", 'Hello World 100 days'],
  ["printf('%5.2f|%-4s|%04d|%x', 3.14159, 'ab', 42, 255)", ' 3.14|ab  |0042|ff'],
  ['format_number(12332.123456, 4)', '12,332.1235'],
  ['format_number(12332.5, 0)', '12,332'],
  ["format_number(12332.123456, '##################.###')", '12332.123'],
  ["format_number(1234567.891, '#,##0.00')", '1,234,567.89'],
  ["format_number(0.5, '0.000')", '0.500'],
  ["initcap('sPark sql')", 'Spark Sql'],
  ["instr('SparkSQL', 'SQL')", '6'],
  ["locate('bar', 'foobarbar')", '4'],
  ["locate('bar', 'foobarbar', 5)", '7'],
  ["position('bar' IN 'foobarbar')", '4'],
  ["length('Spark SQL ')", '10'],
  ["char_length('Spark SQL ')", '10'],
  ["octet_length('Spark SQL')", '9'],
  ["bit_length('Spark SQL')", '72'],
  ["repeat('123', 2)", '123123'],
  ["replace('ABCabc', 'abc', 'DEF')", 'ABCDEF'],
  ["reverse('Spark SQL')", 'LQS krapS'],
  ["translate('AaBbCc', 'abc', '123')", 'A1B2C3'],
  ["substring_index('www.apache.org', '.', 2)", 'www.apache'],
  ["substring_index('www.apache.org', '.', -2)", 'apache.org'],
  ["ascii('222')", '50'],
  ['ascii(2)', '50'],
  ['chr(65)', 'A'],
  ["base64('Spark SQL')", 'U3BhcmsgU1FM'],
  ["decode(unbase64('U3BhcmsgU1FM'), 'UTF-8')", 'Spark SQL'],
  ['hex(17)', '11'],
  ["hex('Spark SQL')", '537061726B2053514C'],
  ["decode(unhex('537061726B2053514C'), 'UTF-8')", 'Spark SQL'],
  ['bin(13)', '1101'],
  ["levenshtein('kitten', 'sitting')", '3'],
  ["soundex('Miller')", 'M460'],
  ["find_in_set('ab','abc,b,ab,c,def')", '3'],
  ["left('Spark SQL', 3)", 'Spa'],
  ["right('Spark SQL', 3)", 'SQL'],
  ["split_part('11.12.13', '.', 3)", '13'],
  ["split_part('11.12.13', '.', -1)", '13'],
  ["elt(1, 'scala', 'java')", 'scala'],
  ["overlay('Spark SQL' PLACING '_' FROM 6)", 'Spark_SQL'],
  ["overlay('Spark SQL' PLACING 'CORE' FROM 7)", 'Spark CORE'],
  ["overlay('Spark SQL' PLACING 'ANSI ' FROM 7 FOR 0)", 'Spark ANSI SQL'],
  ["overlay('Spark SQL' PLACING 'tructured' FROM 2 FOR 4)", 'Structured SQL'],
  ["startswith('Spark SQL', 'Spark')", 'true'],
  ["endswith('Spark SQL', 'SQL')", 'true'],
  ["contains('Spark SQL', 'k S')", 'true'],
  ["space(2) || 'x'", '  x'],
  ['upper(NULL)', 'NULL'],
  ["concat('a', NULL)", 'NULL'],
];

describe('string functions (Spark documentation examples)', () => {
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }

  it('regexp_extract with a group index out of range raises REGEX_GROUP_INDEX', async () => {
    expect(() => showSql("regexp_extract('1a', '(\\\\d)', 2)")).toThrow(
      /INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX/,
    );
  });

  it('counts code points, not UTF-16 units', async () => {
    expect(showSql("length('a😀b')")).toBe('3');
    expect(showSql("substring('a😀b', 2, 1)")).toBe('😀');
  });

  it('names calls as Spark does', async () => {
    const { resolveExpr } = await import('../expr/index.js');
    const { parseExpression } = await import('../sql/index.js');
    expect(resolveExpr(parseExpression("upper('abc')"), { fields: [] }).sql).toBe('upper(abc)');
  });
});
