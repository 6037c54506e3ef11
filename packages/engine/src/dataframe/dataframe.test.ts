import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { avg, col, count, expr, lit, max, min, sum } from './functions.js';

function session(): Session {
  return Session.builder().appName('test').create();
}

describe('DataFrame basics', () => {
  const s = session();
  const df = s.createDataFrame(
    [
      [1, 'a', 10.5],
      [2, 'b', 20],
      [3, 'a', null],
      [4, null, 5],
    ],
    'id INT, k STRING, v DOUBLE',
  );

  it('selects, filters and collects rows with named access', async () => {
    const rows = await df
      .filter(col('id').gt(1))
      .select(col('id'), col('id').plus(1).alias('next'))
      .collect();
    expect(rows.map((r) => r.toArray())).toEqual([
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
    expect(rows[0]!.get('next')).toBe(3);
    expect((rows[0] as unknown as { next: number }).next).toBe(3);
    expect(df.select(col('id').plus(1)).columns).toEqual(['(id + 1)']);
  });

  it('groups and aggregates', async () => {
    const out = await df
      .groupBy('k')
      .agg(count('*').alias('n'), sum('v').alias('s'), avg('id'), max('id'), min('v'))
      .orderBy(col('k').asc_nulls_first())
      .collectValues();
    expect(out).toEqual([
      [null, 1, 5, 4, 4, 5],
      ['a', 2, 10.5, 2, 3, 10.5],
      ['b', 1, 20, 2, 2, 20],
    ]);
  });

  it('global aggregate over empty input returns one row', async () => {
    expect(await df.filter(lit(false)).agg(count('*'), sum('v')).collectValues()).toEqual([[0, null]]);
  });

  it('selectExpr and filter strings share the SQL parser', async () => {
    const rows = await df.selectExpr('id * 2 AS d', 'k AS u').filter('d > 4').collectValues();
    expect(rows).toEqual([
      [6, 'a'],
      [8, null],
    ]);
    expect(df.select(expr('id + 1 AS x')).columns).toEqual(['x']);
  });

  it('show prints Spark tables', async () => {
    const text = await df.showString();
    expect(text).toBe(
      [
        '+---+----+----+',
        '| id|   k|   v|',
        '+---+----+----+',
        '|  1|   a|10.5|',
        '|  2|   b|20.0|',
        '|  3|   a|NULL|',
        '|  4|NULL| 5.0|',
        '+---+----+----+',
        '',
      ].join('\n'),
    );
    expect(await df.showString(2, false)).toBe(
      [
        '+---+---+----+',
        '|id |k  |v   |',
        '+---+---+----+',
        '|1  |a  |10.5|',
        '|2  |b  |20.0|',
        '+---+---+----+',
        'only showing top 2 rows',
        '',
      ].join('\n'),
    );
  });
});
