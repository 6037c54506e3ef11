import { describe, expect, it } from 'vitest';
import { rng } from '../differential/generator.js';
import { resolveGenerator } from '../expr/index.js';
import { parseExpression } from '../sql/index.js';
import type { DataType } from '../types/data-type.js';
import { arrayType, mapType, sqlTypeName, structType, T } from '../types/types.js';
import { compileJsonWriter, toJsonText } from './json.js';
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
  // Field order kept for names an object would reorder; duplicate names and __proto__ kept.
  [`to_json(named_struct('b', 1, 'a', 'x', '1', true, '0', 2))`, '{"b":1,"a":"x","1":true,"0":2}'],
  [`to_json(named_struct('a', 1, 'a', 2, '__proto__', 3))`, '{"a":1,"a":2,"__proto__":3}'],
  [`to_json(named_struct('id', 9007199254740993L, 'n', 'x'))`, '{"id":9007199254740993,"n":"x"}'],
  [
    `to_json(named_struct('a', array(1, NULL, 3), 's', named_struct('x', CAST(NULL AS INT), 'y', 'q"\\\\')))`,
    '{"a":[1,null,3],"s":{"y":"q\\"\\\\"}}',
  ],
  [
    `to_json(named_struct('a', TIMESTAMP '1969-12-31 23:59:59.999', 'b', TIMESTAMP '1970-01-01 00:00:00.001', 'c', TIMESTAMP '1969-12-31 23:59:59.999'))`,
    '{"a":"1969-12-31T23:59:59.999Z","b":"1970-01-01T00:00:00.001Z","c":"1969-12-31T23:59:59.999Z"}',
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

describe('to_json', () => {
  // The object path (JSON.stringify of a plain object) must write exactly what the text writer
  // writes, for every type it takes and every value, and leave the rest to the text writer.
  it('writes what the text writer writes, for random types and values', () => {
    const r = rng(20261205);
    const pick = <X>(xs: readonly X[]): X => xs[Math.floor(r() * xs.length)]!;
    const NAMES = ['a', 'b', 'price', 'dateTime', '1', '0', '__proto__', 'é k'];
    const CHARS = ['a', 'Z', ' ', '"', '\\', '\n', '\t', '\u0001', '\u2028', 'é', '😀', '\ud800', '/'];
    const typeOf = (depth: number): DataType => {
      const leaves: DataType[] = [T.boolean, T.int, T.long, T.long, T.string, T.string, T.timestamp];
      const more: DataType[] = [T.date, T.binary, T.double];
      const k = r();
      if (depth < 3 && k < 0.2) return arrayType(typeOf(depth + 1));
      if (depth < 3 && k < 0.45) return struct(depth + 1);
      if (k < 0.5) return mapType(T.string, typeOf(3));
      return r() < 0.85 ? pick(leaves) : pick(more);
    };
    const struct = (depth: number): DataType =>
      structType(
        Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => ({
          // Mostly distinct plain names; now and then one an object cannot hold.
          name: r() < 0.9 ? `f${i}` : pick(NAMES),
          dataType: typeOf(depth),
          nullable: true,
        })),
      );
    const randomValue = (t: DataType): unknown => {
      if (r() < 0.15) return null;
      switch (t.kind) {
        case 'boolean':
          return r() < 0.5;
        case 'int':
          return Math.floor((r() - 0.5) * 2 ** 32);
        case 'long':
          return r() < 0.1 ? 2n ** 60n + BigInt(Math.floor(r() * 1000)) : Math.floor((r() - 0.5) * 2 ** 53);
        case 'double':
          return pick([1, 0.5, 1e21, -0, 123.25]);
        case 'string':
          return Array.from({ length: Math.floor(r() * 6) }, () => pick(CHARS)).join('');
        case 'timestamp':
          return Math.floor((r() - 0.5) * 2 * 1e17);
        case 'date':
          return Math.floor((r() - 0.5) * 2e5);
        case 'binary':
          return Uint8Array.from({ length: Math.floor(r() * 5) }, () => Math.floor(r() * 256));
        case 'array':
          return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(t.elementType));
        case 'map':
          return new Map(
            Array.from({ length: Math.floor(r() * 3) }, (_, i) => [`k${i}`, randomValue(t.valueType)]),
          );
        case 'struct':
          return t.fields.map((f) => randomValue(f.dataType));
        default:
          throw new Error(t.kind);
      }
    };
    for (let i = 0; i < 2000; i++) {
      const t = struct(0);
      const write = compileJsonWriter(t, {});
      for (let j = 0; j < 5; j++) {
        const v = randomValue(t);
        expect(toJsonText(v, t), sqlTypeName(t)).toBe(write(v));
      }
    }
  });

  it('formats timestamps across second, day and epoch boundaries', () => {
    const t = structType([{ name: 't', dataType: T.timestamp, nullable: true }]);
    const at = (micros: number) => JSON.parse(toJsonText([micros], t)).t as string;
    for (const micros of [0, -1, -999, -1000, -1001, 999_999, 1_000_000, 86_399_999_999, 86_400_000_000]) {
      const ms = Math.floor(micros / 1000);
      expect(at(micros), String(micros)).toBe(new Date(ms).toISOString());
    }
  });
});
