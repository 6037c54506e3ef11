import { describe, expect, it } from 'vitest';
import { arrayType, T } from '../types/types.js';
import { evalSql, showSql, typeOfSql } from './testing.js';

// Spark documentation examples (collection and higher-order functions).
const cases: [string, string][] = [
  ['array(1, 2, 3)', '[1, 2, 3]'],
  ['array(1, 2.5)', '[1.0, 2.5]'],
  ['array_contains(array(1, 2, 3), 2)', 'true'],
  ['array_contains(array(1, NULL), 2)', 'NULL'],
  ['array_distinct(array(1, 2, 3, null, 3))', '[1, 2, 3, NULL]'],
  ['array_except(array(1, 2, 3), array(1, 3, 5))', '[2]'],
  ['array_intersect(array(1, 2, 3), array(1, 3, 5))', '[1, 3]'],
  ['array_union(array(1, 2, 3), array(1, 3, 5))', '[1, 2, 3, 5]'],
  ["array_join(array('hello', 'world'), ' ')", 'hello world'],
  ["array_join(array('hello', null ,'world'), ' ')", 'hello world'],
  ["array_join(array('hello', null ,'world'), ' ', ',')", 'hello , world'],
  ['array_max(array(1, 20, null, 3))', '20'],
  ['array_min(array(1, 20, null, 3))', '1'],
  ['array_position(array(312, 773, 708, 708), 708)', '3'],
  ['array_position(array(312, 773, 708, 708), 414)', '0'],
  ['array_remove(array(1, 2, 3, null, 3), 3)', '[1, 2, NULL]'],
  ["array_repeat('123', 2)", '[123, 123]'],
  ['arrays_overlap(array(1, 2, 3), array(3, 4, 5))', 'true'],
  ['arrays_zip(array(1, 2, 3), array(2, 3, 4))', '[{1, 2}, {2, 3}, {3, 4}]'],
  ['array_compact(array(1, 2, 3, null))', '[1, 2, 3]'],
  ["array_append(array('b', 'd', 'c', 'a'), 'd')", '[b, d, c, a, d]'],
  ["array_prepend(array('b', 'd', 'c', 'a'), 'd')", '[d, b, d, c, a]'],
  ['array_insert(array(1, 2, 3, 4), 5, 5)', '[1, 2, 3, 4, 5]'],
  ['array_insert(array(5, 4, 3, 2), -1, 1)', '[5, 4, 3, 2, 1]'],
  ['array_insert(array(5, 3, 2, 1), -4, 4)', '[5, 4, 3, 2, 1]'],
  ['element_at(array(1, 2, 3), 2)', '2'],
  ['element_at(array(1, 2, 3), -1)', '3'],
  ["element_at(map(1, 'a', 2, 'b'), 2)", 'b'],
  ["element_at(map(1, 'a', 2, 'b'), 3)", 'NULL'],
  ['try_element_at(array(1, 2, 3), 5)', 'NULL'],
  ['get(array(1, 2, 3), 0)', '1'],
  ['get(array(1, 2, 3), 3)', 'NULL'],
  ['flatten(array(array(1, 2), array(3, 4)))', '[1, 2, 3, 4]'],
  ['sequence(1, 5)', '[1, 2, 3, 4, 5]'],
  ['sequence(5, 1)', '[5, 4, 3, 2, 1]'],
  ['sequence(1, 10, 3)', '[1, 4, 7, 10]'],
  [
    "sequence(to_date('2018-01-01'), to_date('2018-03-01'), interval 1 month)",
    '[2018-01-01, 2018-02-01, 2018-03-01]',
  ],
  ["size(array('b', 'd', 'c', 'a'))", '4'],
  ["size(map('a', 1, 'b', 2))", '2'],
  ['cardinality(array(1))', '1'],
  ['slice(array(1, 2, 3, 4), 2, 2)', '[2, 3]'],
  ['slice(array(1, 2, 3, 4), -2, 2)', '[3, 4]'],
  ["sort_array(array('b', 'd', null, 'c', 'a'), true)", '[NULL, a, b, c, d]'],
  ["sort_array(array('b', 'd', null, 'c', 'a'), false)", '[d, c, b, a, NULL]'],
  ["array_sort(array('b', 'd', null, 'c', 'a'))", '[a, b, c, d, NULL]'],
  [
    'array_sort(array(5, 6, 1), (left, right) -> case when left < right then -1 when left > right then 1 else 0 end)',
    '[1, 5, 6]',
  ],
  ['reverse(array(2, 1, 4, 3))', '[3, 4, 1, 2]'],
  ["map(1.0, '2', 3.0, '4')", '{1.0 -> 2, 3.0 -> 4}'],
  ["map_keys(map(1, 'a', 2, 'b'))", '[1, 2]'],
  ["map_values(map(1, 'a', 2, 'b'))", '[a, b]'],
  ["map_entries(map(1, 'a', 2, 'b'))", '[{1, a}, {2, b}]'],
  ["map_from_arrays(array(1.0, 3.0), array('2', '4'))", '{1.0 -> 2, 3.0 -> 4}'],
  ["map_from_entries(array(struct(1, 'a'), struct(2, 'b')))", '{1 -> a, 2 -> b}'],
  ["map_concat(map(1, 'a', 2, 'b'), map(3, 'c'))", '{1 -> a, 2 -> b, 3 -> c}'],
  ["map_contains_key(map(1, 'a', 2, 'b'), 1)", 'true'],
  ["map_contains_key(map(1, 'a', 2, 'b'), 3)", 'false'],
  ["str_to_map('a:1,b:2,c:3', ',', ':')", '{a -> 1, b -> 2, c -> 3}'],
  ["str_to_map('a')", '{a -> NULL}'],
  ["struct(1, 'a')", '{1, a}'],
  ["named_struct('a', 1, 'b', 2).b", '2'],
  ["map('k', 1)['k']", '1'],
  ['array(10, 20)[1]', '20'],
  ['transform(array(1, 2, 3), x -> x + 1)', '[2, 3, 4]'],
  ['transform(array(1, 2, 3), (x, i) -> x + i)', '[1, 3, 5]'],
  ['filter(array(1, 2, 3), x -> x % 2 == 1)', '[1, 3]'],
  ['filter(array(0, 2, 3), (x, i) -> x > i)', '[2, 3]'],
  ['filter(array(0, null, 2, 3, null), x -> x IS NOT NULL)', '[0, 2, 3]'],
  ['exists(array(1, 2, 3), x -> x % 2 == 0)', 'true'],
  ['exists(array(1, 2, 3), x -> x % 2 == 10)', 'false'],
  ['exists(array(1, null, 3), x -> x % 2 == 0)', 'NULL'],
  ['exists(array(0, null, 2, 3, null), x -> x IS NULL)', 'true'],
  ['forall(array(1, 2, 3), x -> x % 2 == 0)', 'false'],
  ['forall(array(2, 4, 8), x -> x % 2 == 0)', 'true'],
  ['forall(array(1, null, 3), x -> x % 2 == 0)', 'false'],
  ['forall(array(2, null, 8), x -> x % 2 == 0)', 'NULL'],
  ['aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x)', '6'],
  ['aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x, acc -> acc * 10)', '60'],
  ['reduce(array(1, 2, 3), 0, (acc, x) -> acc + x)', '6'],
  ['zip_with(array(1, 2), array(3, 4), (x, y) -> x + y)', '[4, 6]'],
  ["zip_with(array(1, 2, 3), array('a', 'b', 'c'), (x, y) -> (y, x))", '[{a, 1}, {b, 2}, {c, 3}]'],
  ["zip_with(array('a', 'b', 'c'), array('d', 'e', 'f'), (x, y) -> concat_ws('_', x, y))", '[a_d, b_e, c_f]'],
  ['map_filter(map(1, 0, 2, 2, 3, -1), (k, v) -> k > v)', '{1 -> 0, 3 -> -1}'],
  [
    'transform_values(map_from_arrays(array(1, 2, 3), array(1, 2, 3)), (k, v) -> v + 1)',
    '{1 -> 2, 2 -> 3, 3 -> 4}',
  ],
  [
    'transform_keys(map_from_arrays(array(1, 2, 3), array(1, 2, 3)), (k, v) -> k + 1)',
    '{2 -> 1, 3 -> 2, 4 -> 3}',
  ],
  ['concat(array(1, 2), array(3))', '[1, 2, 3]'],
];

describe('collection functions', () => {
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }

  it('element_at out of range raises in ANSI mode and returns null otherwise', async () => {
    expect(() => showSql('element_at(array(1, 2, 3), 5)')).toThrow(/INVALID_ARRAY_INDEX_IN_ELEMENT_AT/);
    expect(showSql('element_at(array(1, 2, 3), 5)', { ansi: false })).toBe('NULL');
    expect(() => showSql('array(1, 2)[5]')).toThrow(/INVALID_ARRAY_INDEX/);
  });

  it('size of null is null in ANSI mode and -1 in legacy mode', async () => {
    expect(showSql('size(CAST(NULL AS ARRAY<INT>))')).toBe('NULL');
    expect(showSql('size(CAST(NULL AS ARRAY<INT>))', { ansi: false })).toBe('-1');
  });

  it('map() rejects duplicate and null keys', async () => {
    expect(() => showSql("map(1, 'a', 1, 'b')")).toThrow(/DUPLICATED_MAP_KEY/);
    expect(() => showSql("map(NULL, 'a')")).toThrow(/NULL_MAP_KEY/);
  });

  it('lambdas can reference outer columns and nested lambdas', async () => {
    const scope = { fields: [{ name: 'k', qualifier: [], dataType: T.int, nullable: false }] };
    expect(evalSql('transform(array(1, 2), x -> x * k)', { scope, row: [10] })).toEqual([10, 20]);
    expect(
      evalSql('transform(array(array(1), array(2, 3)), a -> aggregate(a, 0, (s, y) -> s + y + k))', {
        scope,
        row: [1],
      }),
    ).toEqual([2, 7]);
  });

  it('types struct fields after their column names', async () => {
    const scope = { fields: [{ name: 'price', qualifier: [], dataType: T.double, nullable: true }] };
    expect(typeOfSql('struct(price, 1)', scope)).toBe('struct<price:double,col2:int>');
    expect(typeOfSql('struct(price AS p, 1 AS one)', scope)).toBe('struct<p:double,one:int>');
    expect(typeOfSql('transform(array(1), x -> x > 0)')).toBe('array<boolean>');
    expect(typeOfSql("zip_with(array(1, 2, 3), array('a', 'b', 'c'), (x, y) -> (y, x))")).toBe(
      'array<struct<y:string,x:int>>',
    );
    expect(arrayType(T.int)).toEqual({ kind: 'array', elementType: T.int, containsNull: true });
  });
});
