import { describe, expect, it } from 'vitest';
import { resolveGenerator } from '../expr/index.js';
import { parseExpression } from '../sql/index.js';
import { showSql } from './testing.js';

const cases: [string, string][] = [
  [`get_json_object('{"a":"b"}', '$.a')`, 'b'],
  [`get_json_object('{"a":{"b":[1,2,{"c":3}]}}', '$.a.b[2].c')`, '3'],
  [`get_json_object('{"a":{"b":[1,2]}}', '$.a')`, '{"b":[1,2]}'],
  [`get_json_object('{"a":[{"b":1},{"b":2}]}', '$.a[*].b')`, '[1,2]'],
  [`get_json_object('{"a":1}', '$.missing')`, 'NULL'],
  [`get_json_object('not json', '$.a')`, 'NULL'],
  [`to_json(named_struct('a', 1, 'b', 2))`, '{"a":1,"b":2}'],
  [`to_json(map('a', named_struct('b', 1)))`, '{"a":{"b":1}}'],
  [`to_json(array(named_struct('a', 1, 'b', 2)))`, '[{"a":1,"b":2}]'],
  [`to_json(array(map('a', 1)))`, '[{"a":1}]'],
  [`to_json(named_struct('a', 1, 'b', CAST(NULL AS STRING), 'c', 1.5D))`, '{"a":1,"c":1.5}'],
  [
    `to_json(named_struct('t', TIMESTAMP '2015-08-26 10:00:00', 'd', DATE '2015-08-26'))`,
    '{"t":"2015-08-26T10:00:00.000Z","d":"2015-08-26"}',
  ],
  [`from_json('{"a":1, "b":0.8}', 'a INT, b DOUBLE')`, '{1, 0.8}'],
  [
    `from_json('{"teacher": "Alice", "student": [{"name": "Bob", "rank": 1}, {"name": "Charlie", "rank": 2}]}', 'STRUCT<teacher: STRING, student: ARRAY<STRUCT<name: STRING, rank: INT>>>')`,
    '{Alice, [{Bob, 1}, {Charlie, 2}]}',
  ],
  [`from_json('[1, 2, 3]', 'array<int>')`, '[1, 2, 3]'],
  [`from_json('{"a": 1}', 'map<string, int>')`, '{a -> 1}'],
  [`from_json('{"time":"2015-08-26 10:00:00"}', 'time TIMESTAMP')`, '{2015-08-26 10:00:00}'],
  [`from_json('not json', 'a INT')`, '{NULL}'],
  [
    `to_json(named_struct('time', to_timestamp('2015-08-26', 'yyyy-MM-dd')), map('timestampFormat', 'dd/MM/yyyy'))`,
    '{"time":"26/08/2015"}',
  ],
  [
    `from_json('{"time":"26/08/2015"}', 'time Timestamp', map('timestampFormat', 'dd/MM/yyyy'))`,
    '{2015-08-26 00:00:00}',
  ],
  [`from_json('{"a":"x","b":2}', 'a INT, b INT')`, '{NULL, 2}'],
  [`schema_of_json('[{"col":0}]')`, 'ARRAY<STRUCT<col: BIGINT>>'],
  [`schema_of_json('{"b": 1.5, "a": "x", "c": [true]}')`, 'STRUCT<a: STRING, b: DOUBLE, c: ARRAY<BOOLEAN>>'],
  [`json_array_length('[1,2,3,4]')`, '4'],
  [`json_array_length('[1,2,3,{"f1":1,"f2":[5,6]},4]')`, '5'],
  [`json_object_keys('{"key": "value"}')`, '[key]'],
  [`json_object_keys('{"f1":"abc","f2":{"f3":"a", "f4":"b"}}')`, '[f1, f2]'],
];

describe('JSON functions', () => {
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }

  it('FAILFAST mode raises MALFORMED_RECORD_IN_PARSING on bad records', async () => {
    expect(() => showSql(`from_json('{"a":"x"}', 'a INT', map('mode', 'FAILFAST'))`)).toThrow(
      /MALFORMED_RECORD_IN_PARSING/,
    );
    expect(() => showSql(`from_json('{bad', 'a INT', map('mode', 'FAILFAST'))`)).toThrow(
      /MALFORMED_RECORD_IN_PARSING/,
    );
    expect(showSql(`from_json('{"a":1}', 'a INT', map('mode', 'FAILFAST'))`)).toBe('{1}');
  });

  it('accepts schemas in Spark JSON format and as serialized DataTypes', async () => {
    const sparkJson = JSON.stringify({
      type: 'struct',
      fields: [
        { name: 'a', type: 'integer', nullable: true, metadata: {} },
        {
          name: 'b',
          type: { type: 'array', elementType: 'string', containsNull: true },
          nullable: true,
          metadata: {},
        },
      ],
    });
    expect(showSql(`from_json('{"a": 1, "b": ["x"]}', '${sparkJson}')`)).toBe('{1, [x]}');
    const sluiceJson = JSON.stringify({
      kind: 'struct',
      fields: [{ name: 'd', dataType: { kind: 'decimal', precision: 5, scale: 2 }, nullable: true }],
    });
    expect(showSql(`from_json('{"d": 1.5}', '${sluiceJson}')`)).toBe('{1.50}');
  });

  it('json_tuple generates one row with a column per key', async () => {
    const g = resolveGenerator(parseExpression(`json_tuple('{"a":1, "b":2}', 'a', 'b')`), { fields: [] });
    expect(g.outputFields.map((f) => f.name)).toEqual(['c0', 'c1']);
    expect(g.generate([])).toEqual([['1', '2']]);
  });
});
