import { describe, expect, it } from 'vitest';
import { col, count, lit, sum } from '../dataframe/functions.js';
import { Session } from '../session/session.js';

function setup(): Session {
  const s = Session.builder().create();
  s.createDataFrame(
    [
      [1, 'a', 10],
      [2, 'b', 20],
    ],
    'id INT, k STRING, v INT',
  ).createOrReplaceTempView('t');
  s.createDataFrame([[1, 'x']], 'id INT, name STRING').createOrReplaceTempView('u');
  return s;
}

describe('EXPLAIN output is stable text', () => {
  it('extended: parsed, analyzed, optimized and physical plans', async () => {
    const s = setup();
    const text = s.sql('SELECT k, count(*) AS n FROM t WHERE id > 1 GROUP BY k').explainString('extended');
    expect(text).toBe(
      [
        '== Parsed Logical Plan ==',
        "'Aggregate ['k], ['k, 'count(1) AS n]",
        "+- 'Filter ('id > 1)",
        "   +- 'UnresolvedRelation [t], [], false",
        '',
        '== Analyzed Logical Plan ==',
        'k: string, n: bigint',
        'Project [k, count(1) AS n]',
        '+- Aggregate [k], [k, count(1)]',
        '   +- Filter (id > 1)',
        '      +- LocalRelation [id, k, v]',
        '',
        '== Optimized Logical Plan ==',
        'Project [k, count(1) AS n]',
        '+- Aggregate [k], [k, count(1)]',
        '   +- Filter (id > 1)',
        '      +- LocalRelation [id, k, v]',
        '',
        '== Physical Plan ==',
        'Project [k, count(1) AS n]',
        '+- HashAggregate(keys=[k], functions=[count(1)])',
        '   +- Filter (id > 1)',
        '      +- LocalRelation [id, k, v]',
        '',
      ].join('\n'),
    );
  });

  it('simple mode prints the physical plan; filters pushed into join sides, unused columns pruned', async () => {
    const s = setup();
    const df = s
      .table('t')
      .join(s.table('u'), 'id')
      .select(col('id'), col('v').plus(1).alias('w'), col('name'))
      .filter(
        col('w')
          .gt(5)
          .and(col('name').eqNullSafe(lit('x'))),
      );
    expect(df.explainString()).toBe(
      [
        '== Physical Plan ==',
        'Project [id, (v + 1) AS w, name]',
        '+- HashJoin [id], [id], Inner',
        '   :- Project [id, v]',
        '   :  +- Filter ((v + 1) > 5)',
        '   :     +- LocalRelation [id, k, v]',
        '   +- Filter (name <=> x)',
        '      +- LocalRelation [id, name]',
        '',
      ].join('\n'),
    );
    expect(await df.collectValues()).toEqual([[1, 11, 'x']]);
  });

  it('constant folding and ORDER BY … LIMIT as TakeOrdered', async () => {
    const s = setup();
    const df = s.sql('SELECT id + (2 * 3) AS x FROM t WHERE 1 = 1 ORDER BY x DESC LIMIT 1');
    expect(df.explainString()).toBe(
      [
        '== Physical Plan ==',
        'TakeOrderedAndProject(limit=1, orderBy=[x DESC NULLS LAST], output=[x])',
        '+- Project [(id + 6) AS x]',
        '   +- LocalRelation [id, k, v]',
        '',
      ].join('\n'),
    );
    expect(await df.collectValues()).toEqual([[8]]);
  });

  it('aggregates with DataFrame API names, sliding windows as Expand', async () => {
    const s = setup();
    const df = s.table('t').groupBy('k').agg(sum('v'), count('*').alias('c'));
    expect(df.explainString()).toBe(
      [
        '== Physical Plan ==',
        'Project [k, sum(v), count(1) AS c]',
        '+- HashAggregate(keys=[k], functions=[sum(v), count(1)])',
        '   +- LocalRelation [id, k, v]',
        '',
      ].join('\n'),
    );
    const w = s.sql(
      "SELECT window.start, count(*) FROM (SELECT TIMESTAMP '2024-01-01 00:00:07' AS ts) GROUP BY window(ts, '10 seconds', '5 seconds')",
    );
    expect(w.explainString()).toContain('Expand window(ts, 10000000, 5000000, 0) [window]');
    expect((await w.collectValues()).length).toBe(2);
  });

  it('filters on grouping keys run below the aggregation', async () => {
    const s = setup();
    const df = s.sql("SELECT k, sum(v) AS total FROM t GROUP BY k HAVING k <> 'b' AND sum(v) > 1");
    expect(df.explainString()).toBe(
      [
        '== Physical Plan ==',
        'Project [k, sum(v) AS total]',
        '+- Filter (sum(v) > 1)',
        '   +- HashAggregate(keys=[k], functions=[sum(v)])',
        '      +- Filter (k <> b)',
        '         +- LocalRelation [id, k, v]',
        '',
      ].join('\n'),
    );
    expect(await df.collectValues()).toEqual([['a', 10]]);
  });
});
