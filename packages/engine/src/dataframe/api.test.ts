import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import * as F from './functions.js';
import { col, count, explode, lit, max, sum, when } from './functions.js';
import { Row } from './row.js';

const s = Session.builder().appName('api-test').create();
const people = s.createDataFrame(
  [
    { name: 'ann', age: 31, city: 'Oslo', tags: ['a', 'b'] },
    { name: 'bob', age: 25, city: 'Rome', tags: [] },
    { name: 'cid', age: null, city: 'Oslo', tags: ['c'] },
  ],
  'name STRING, age INT, city STRING, tags ARRAY<STRING>',
);

describe('Row API', () => {
  it('is a positional array with named access and asDict', async () => {
    const [r] = await people.filter("name = 'ann'").collect();
    expect(r).toBeInstanceOf(Row);
    expect(Array.isArray(r)).toBe(true);
    expect(r!.length).toBe(4);
    expect(r![0]).toBe('ann');
    expect(r!.get('age')).toBe(31);
    expect(r!.getAs<number>(1)).toBe(31);
    expect((r as unknown as Record<string, unknown>).city).toBe('Oslo');
    expect(r!.asDict()).toEqual({ name: 'ann', age: 31, city: 'Oslo', tags: ['a', 'b'] });
    expect(JSON.parse(JSON.stringify(r))).toEqual({ name: 'ann', age: 31, city: 'Oslo', tags: ['a', 'b'] });
    expect(() => r!.get('nope')).toThrow(/does not exist/);
    const [a, b] = r!;
    expect([a, b]).toEqual(['ann', 31]);
  });
});

describe('schema, printSchema, dtypes', () => {
  it('prints Spark’s schema tree', async () => {
    const df = s.sql(
      "SELECT 1 AS i, CAST(2 AS BIGINT) AS l, named_struct('x', 1.5D, 'y', array('a')) AS st, map('k', 1) AS m",
    );
    expect(df.schemaString()).toBe(
      [
        'root',
        ' |-- i: integer (nullable = false)',
        ' |-- l: long (nullable = false)',
        ' |-- st: struct (nullable = false)',
        ' |    |-- x: double (nullable = false)',
        ' |    |-- y: array (nullable = false)',
        ' |    |    |-- element: string (containsNull = false)',
        ' |-- m: map (nullable = false)',
        ' |    |-- key: string',
        ' |    |-- value: integer (valueContainsNull = false)',
        '',
      ].join('\n'),
    );
    expect(people.dtypes).toEqual([
      ['name', 'string'],
      ['age', 'int'],
      ['city', 'string'],
      ['tags', 'array<string>'],
    ]);
  });

  it('infers types in createDataFrame from JS values', async () => {
    const df = s.createDataFrame([
      { a: 1, b: 1.5, c: 'x', d: true, e: new Date(Date.UTC(2024, 0, 1)) },
      { a: 2, b: null, c: null, d: false, e: null },
    ]);
    expect(df.dtypes).toEqual([
      ['a', 'bigint'],
      ['b', 'double'],
      ['c', 'string'],
      ['d', 'boolean'],
      ['e', 'timestamp'],
    ]);
    expect(await df.showString()).toBe(
      [
        '+---+----+----+-----+-------------------+',
        '|  a|   b|   c|    d|                  e|',
        '+---+----+----+-----+-------------------+',
        '|  1| 1.5|   x| true|2024-01-01 00:00:00|',
        '|  2|NULL|NULL|false|               NULL|',
        '+---+----+----+-----+-------------------+',
        '',
      ].join('\n'),
    );
  });
});

describe('show()', () => {
  it('truncates long cells to 20 characters, right-aligned', async () => {
    const df = s.createDataFrame([['a'.repeat(25)]], 'text STRING');
    expect(await df.showString()).toBe(
      [
        '+--------------------+',
        '|                text|',
        '+--------------------+',
        '|aaaaaaaaaaaaaaaaa...|',
        '+--------------------+',
        '',
      ].join('\n'),
    );
    expect(await df.showString(20, 5)).toBe(
      ['+-----+', '| text|', '+-----+', '|aa...|', '+-----+', ''].join('\n'),
    );
  });

  it('vertical mode and the more-rows footer', async () => {
    expect(await people.select('name', 'age').showString(1, true, true)).toBe(
      ['-RECORD 0---', ' name | ann ', ' age  | 31  ', 'only showing top 1 row', ''].join('\n'),
    );
    expect(await people.filter(lit(false)).showString(20, true, true)).toBe('(0 rows)\n');
  });

  it('prints arrays, structs, maps and escapes newlines', async () => {
    const df = s.sql(
      "SELECT array(1, 2) AS a, named_struct('x', 1, 'y', 'b') AS st, map('k', 1) AS m, 'l1\\nl2' AS t",
    );
    expect(await df.showString(20, false)).toBe(
      [
        '+------+------+--------+------+',
        '|a     |st    |m       |t     |',
        '+------+------+--------+------+',
        '|[1, 2]|{1, b}|{k -> 1}|l1\\nl2|',
        '+------+------+--------+------+',
        '',
      ].join('\n'),
    );
  });
});

describe('transformations', () => {
  it('withColumn replaces in place and appends; withColumnRenamed; drop', async () => {
    const df = people.withColumn('age', col('age').plus(1)).withColumn('adult', col('age').geq(18));
    expect(df.columns).toEqual(['name', 'age', 'city', 'tags', 'adult']);
    expect(await df.select('age', 'adult').collectValues()).toEqual([
      [32, true],
      [26, true],
      [null, null],
    ]);
    expect(people.withColumnRenamed('city', 'town').columns).toEqual(['name', 'age', 'town', 'tags']);
    expect(people.drop('tags', 'nope').columns).toEqual(['name', 'age', 'city']);
  });

  it('groupBy with dict aggregates, count(), and agg over a global group', async () => {
    expect(await people.groupBy('city').count().orderBy('city').collectValues()).toEqual([
      ['Oslo', 2],
      ['Rome', 1],
    ]);
    expect(people.groupBy('city').agg({ age: 'max' }).orderBy('city').columns).toEqual(['city', 'max(age)']);
    expect(await people.agg(max('age'), count('*')).collectValues()).toEqual([[31, 3]]);
    expect(await people.groupBy('city').sum('age').orderBy(col('city').desc()).collectValues()).toEqual([
      ['Rome', 25],
      ['Oslo', 31],
    ]);
  });

  it('joins by column list and by condition, with how', async () => {
    const cities = s.createDataFrame(
      [
        ['Oslo', 'NO'],
        ['Paris', 'FR'],
      ],
      'city STRING, country STRING',
    );
    expect(
      await people.join(cities, 'city').select('name', 'country').orderBy('name').collectValues(),
    ).toEqual([
      ['ann', 'NO'],
      ['cid', 'NO'],
    ]);
    const p = people.alias('p');
    const c = cities.alias('c');
    const outer = p
      .join(c, col('p.city').equalTo(col('c.city')), 'full_outer')
      .select(col('p.name'), col('c.country'))
      .orderBy(col('name').asc_nulls_last());
    expect(await outer.collectValues()).toEqual([
      ['ann', 'NO'],
      ['bob', null],
      ['cid', 'NO'],
      [null, 'FR'],
    ]);
    expect(await people.join(cities, ['city'], 'left_anti').select('name').collectValues()).toEqual([
      ['bob'],
    ]);
    expect(await people.crossJoin(cities).count()).toBe(6);
  });

  it('union, unionByName, intersect, except, distinct, dropDuplicates', async () => {
    const a = s.createDataFrame(
      [
        [1, 'x'],
        [2, 'y'],
        [2, 'y'],
      ],
      'n INT, s STRING',
    );
    const b = s.createDataFrame(
      [
        ['y', 2],
        ['z', 3],
      ],
      's STRING, n INT',
    );
    expect(await a.unionByName(b).orderBy('n').collectValues()).toEqual([
      [1, 'x'],
      [2, 'y'],
      [2, 'y'],
      [2, 'y'],
      [3, 'z'],
    ]);
    expect(await a.union(a).count()).toBe(6);
    expect(await a.distinct().count()).toBe(2);
    expect(await a.intersect(b.select('n', 's')).collectValues()).toEqual([[2, 'y']]);
    expect(await a.except(b.select('n', 's')).collectValues()).toEqual([[1, 'x']]);
    expect(await a.exceptAll(b.select('n', 's')).orderBy('n').collectValues()).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
    expect(await people.dropDuplicates(['city']).count()).toBe(2);
    expect(
      await a
        .unionByName(s.createDataFrame([[9]], 'n INT'), true)
        .filter('n = 9')
        .collectValues(),
    ).toEqual([[9, null]]);
  });

  it('explode, when/otherwise, functions namespace, higher-order functions with JS lambdas', async () => {
    expect(await people.select(col('name'), explode('tags').alias('tag')).collectValues()).toEqual([
      ['ann', 'a'],
      ['ann', 'b'],
      ['cid', 'c'],
    ]);
    const labeled = people.select(
      col('name'),
      when(col('age').gt(30), 'senior')
        .when(col('age').isNotNull(), 'junior')
        .otherwise('unknown')
        .alias('band'),
    );
    expect(await labeled.collectValues()).toEqual([
      ['ann', 'senior'],
      ['bob', 'junior'],
      ['cid', 'unknown'],
    ]);
    expect((await people.select(F.upper(col('name')), F.size('tags')).first())?.toArray()).toEqual([
      'ANN',
      2,
    ]);
    const t = s.createDataFrame([[[1, 2, 3]]], 'xs ARRAY<INT>');
    expect(await t.select(F.transform('xs', (x) => x.multiply(10)).alias('y')).collectValues()).toEqual([
      [[10, 20, 30]],
    ]);
    expect(await t.select(F.aggregate('xs', lit(0), (acc, x) => acc.plus(x))).collectValues()).toEqual([[6]]);
    expect(await t.select(F.filter('xs', (x) => x.gt(1))).collectValues()).toEqual([[[2, 3]]]);
  });

  it('orderBy with nulls, limit, offset, head/take/first/isEmpty, toJSON', async () => {
    expect(await people.orderBy(col('age').desc_nulls_first()).select('name').collectValues()).toEqual([
      ['cid'],
      ['ann'],
      ['bob'],
    ]);
    expect(await people.orderBy('age').limit(1).select('name').collectValues()).toEqual([['cid']]);
    expect(await people.orderBy('name').offset(2).select('name').collectValues()).toEqual([['cid']]);
    expect((await people.take(2)).length).toBe(2);
    expect(((await people.head()) as Row).get('name')).toBe('ann');
    expect(await people.filter('age > 100').isEmpty()).toBe(true);
    expect(await people.select('name', 'age').toJSON().collectValues()).toEqual([
      ['{"name":"ann","age":31}'],
      ['{"name":"bob","age":25}'],
      ['{"name":"cid"}'],
    ]);
  });

  it('temp views and SQL over DataFrames; errors carry positions', async () => {
    people.createOrReplaceTempView('people');
    expect(
      await s.sql('SELECT city, count(*) AS n FROM people GROUP BY city ORDER BY n DESC').collectValues(),
    ).toEqual([
      ['Oslo', 2],
      ['Rome', 1],
    ]);
    expect(await s.table('people').count()).toBe(3);
    try {
      await s.sql('SELECT nam\nFROM people').collect();
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('UNRESOLVED_COLUMN.WITH_SUGGESTION');
      expect((e as { position?: { line: number; column: number } }).position).toEqual({ line: 1, column: 8 });
    }
    expect(() => people.createTempView('people')).toThrow(/TEMP_TABLE_OR_VIEW_ALREADY_EXISTS/);
  });

  it('range, selectExpr with stars, sum over range', async () => {
    expect(await s.range(5).selectExpr('*', 'id * 2 AS d').collectValues()).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 8],
    ]);
    expect(await s.range(1, 11).agg(sum('id')).collectValues()).toEqual([[55]]);
  });
});

describe('SQL analysis errors', () => {
  it('are raised by session.sql (eager analysis) with line, column and a caret excerpt', async () => {
    const s2 = Session.builder().create();
    s2.createDataFrame([[1]], 'id INT').createOrReplaceTempView('t');
    let err: (Error & { position?: { line: number; column: number }; errorClass?: string }) | undefined;
    try {
      s2.sql('SELECT id,\n       idd + 1\nFROM t');
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.errorClass).toBe('UNRESOLVED_COLUMN.WITH_SUGGESTION');
    expect(err?.position).toEqual({ line: 2, column: 8 });
    expect(err?.message).toContain('Did you mean one of the following? [`t`.`id`]');
    expect(err?.message).toContain('== SQL (line 2, position 8) ==\n       idd + 1\n       ^');
    expect(() => s2.sql('SELECT * FROM nope')).toThrow(
      /TABLE_OR_VIEW_NOT_FOUND[\s\S]*== SQL \(line 1, position 15\) ==/,
    );
  });
});

describe('missing references', () => {
  it('filter and orderBy may read columns the select dropped (Spark resolves them below)', async () => {
    const s3 = Session.builder().create();
    const df = s3.createDataFrame(
      [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ],
      'id INT, name STRING',
    );
    expect(await df.select('name').filter(col('id').gt(1)).collectValues()).toEqual([['b'], ['c']]);
    expect(await df.select('name').orderBy(col('id').desc()).collectValues()).toEqual([['c'], ['b'], ['a']]);
    await expect(df.select('name').filter(col('nope').gt(1)).collect()).rejects.toThrow(/UNRESOLVED_COLUMN/);
  });
});

describe('struct star expansion', () => {
  it('expands s.* over a struct column (the from_json(value) AS data, data.* idiom)', async () => {
    const s4 = Session.builder().create();
    const raw = s4.createDataFrame(
      [['{"user": "ann", "n": 3}'], ['{"user": "bob", "n": 5}']],
      'value STRING',
    );
    const parsed = raw.select(F.from_json(col('value'), 'user STRING, n INT').alias('data')).select('data.*');
    expect(parsed.columns).toEqual(['user', 'n']);
    expect(await parsed.collectValues()).toEqual([
      ['ann', 3],
      ['bob', 5],
    ]);
    raw.createOrReplaceTempView('raw');
    expect(
      await s4
        .sql("SELECT d.* FROM (SELECT from_json(value, 'user STRING, n INT') AS d FROM raw) WHERE d.n > 3")
        .collectValues(),
    ).toEqual([['bob', 5]]);
  });
});

describe('df.col on aliased DataFrames', () => {
  it('qualifies columns so self-joins stay unambiguous', async () => {
    const s5 = Session.builder().create();
    const emp = s5.createDataFrame(
      [
        [1, 'ann', null],
        [2, 'bob', 1],
      ],
      'id INT, name STRING, boss INT',
    );
    const e = emp.alias('e');
    const m = emp.alias('m');
    const out = e
      .join(m, e.col('boss').equalTo(m.col('id')))
      .select(e.col('name'), m.col('name').alias('manager'));
    expect(await out.collectValues()).toEqual([['bob', 'ann']]);
  });
});

describe('df.col() references in joins', () => {
  it('df1.col(x) = df2.col(x) picks each side (PySpark df1.id == df2.id)', async () => {
    const s6 = Session.builder().create();
    const users = s6.createDataFrame(
      [
        [1, 'ann'],
        [2, 'bob'],
      ],
      'id INT, name STRING',
    );
    const orders = s6.createDataFrame(
      [
        [10, 1, 5.0],
        [11, 1, 7.5],
        [12, 3, 1.0],
      ],
      'oid INT, id INT, amount DOUBLE',
    );
    const joined = users.join(orders, users.col('id').equalTo(orders.col('id')), 'left');
    expect(joined.columns).toEqual(['id', 'name', 'oid', 'id', 'amount']);
    expect(
      await joined.select(users.col('id'), orders.col('oid')).orderBy(col('oid')).collectValues(),
    ).toEqual([
      [2, null],
      [1, 10],
      [1, 11],
    ]);
    expect(joined.drop(orders.col('id')).columns).toEqual(['id', 'name', 'oid', 'amount']);
    expect(await users.select(users.col('name')).filter(users.col('id').gt(1)).collectValues()).toEqual([
      ['bob'],
    ]);
    await expect(joined.select('id').collect()).rejects.toThrow(/AMBIGUOUS_REFERENCE/);
  });
});
