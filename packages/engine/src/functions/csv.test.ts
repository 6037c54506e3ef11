import { describe, expect, it } from 'vitest';
import { splitCsvRecord } from './csv.js';
import { showSql } from './testing.js';

const cases: [string, string][] = [
  ["from_csv('1, 0.8', 'a INT, b DOUBLE')", '{1, 0.8}'],
  ["from_csv('26/08/2015', 'time Timestamp', map('timestampFormat', 'dd/MM/yyyy'))", '{2015-08-26 00:00:00}'],
  ["from_csv('x;\"a;b\";', 'a STRING, b STRING, c STRING', map('sep', ';'))", '{x, a;b, NULL}'],
  ["from_csv('abc,2', 'a INT, b INT')", '{NULL, 2}'],
  ["to_csv(named_struct('a', 1, 'b', 2))", '1,2'],
  [
    "to_csv(named_struct('time', to_timestamp('2015-08-26', 'yyyy-MM-dd')), map('timestampFormat', 'dd/MM/yyyy'))",
    '26/08/2015',
  ],
  ["to_csv(named_struct('a', 'x,y', 'b', CAST(NULL AS STRING)))", '"x,y",'],
  ["schema_of_csv('1,abc')", 'STRUCT<_c0: INT, _c1: STRING>'],
];

describe('CSV functions (Spark documentation examples)', () => {
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }
  it('splits quoted fields', async () => {
    expect(splitCsvRecord('a,"b,c","d""e",', { sep: ',', quote: '"', escape: '\\' })).toEqual([
      'a',
      'b,c',
      'd"e',
      '',
    ]);
  });
  it('FAILFAST raises on a bad field', async () => {
    expect(() => showSql("from_csv('abc', 'a INT', map('mode', 'FAILFAST'))")).toThrow(
      /MALFORMED_RECORD_IN_PARSING/,
    );
  });
});
