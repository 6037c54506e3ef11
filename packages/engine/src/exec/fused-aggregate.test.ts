import { describe, expect, it } from 'vitest';
import type { BoundPlan } from '../plan/bound-plan.js';
import { Session } from '../session/session.js';
import { FusedAggregateExec } from './fused-aggregate-exec.js';
import { HashAggregateExec } from './hash-aggregate-exec.js';
import { planPhysical } from './planner.js';

function findAggregate(p: BoundPlan): BoundPlan & { kind: 'aggregate' } {
  if (p.kind === 'aggregate') return p;
  const c = 'child' in p ? p.child : undefined;
  if (!c) throw new Error('no aggregate');
  return findAggregate(c);
}

/** Runs the same bound aggregate through the generic HashAggregateExec. */
function generic(plan: BoundPlan): unknown[][] {
  const agg = findAggregate(plan);
  return new HashAggregateExec({
    child: planPhysical(agg.child),
    groupings: agg.groupings,
    aggregates: agg.aggregates,
    output: agg.output,
  }).execute();
}

function fused(plan: BoundPlan): unknown[][] {
  const op = planPhysical(findAggregate(plan));
  expect(op).toBeInstanceOf(FusedAggregateExec);
  return op.execute();
}

describe('whole-stage generated aggregation equals the generic hash aggregation', () => {
  const s = Session.builder().create();
  let seed = 7;
  const r = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const rows = Array.from({ length: 500 }, (_, i) => [
    i,
    r() < 0.1 ? null : Math.floor(r() * 7),
    r() < 0.1 ? null : r() < 0.05 ? Number.NaN : Math.floor(r() * 400) / 4 - 50,
    r() < 0.1 ? null : ['x', 'y', 'zz', ''][Math.floor(r() * 4)]!,
    r() < 0.1 ? null : Math.floor(r() * 1e6),
  ]);
  s.createDataFrame(rows, 'id INT, k INT, d DOUBLE, s STRING, l BIGINT').createOrReplaceTempView('t');
  const queries = [
    'SELECT k, count(*), count(d), sum(d), avg(d), min(d), max(d) FROM t GROUP BY k',
    'SELECT s, k, sum(l), min(s), max(s), avg(k), count(s) FROM t WHERE d > 0 OR d IS NULL GROUP BY s, k',
    'SELECT sum(id * 2), max(l + k), min(id) FROM t WHERE k > 2',
    'SELECT sum(d), count(*), max(s) FROM t WHERE id < 0',
    'SELECT d, count(*) FROM t GROUP BY d',
    'SELECT k % 3 AS m, sum(l) FROM (SELECT k, l * 2 AS l FROM t WHERE l IS NOT NULL) GROUP BY k % 3',
  ];
  for (const q of queries)
    it(q, () => {
      const plan = s.sql(q).optimized();
      const a = fused(plan);
      const b = generic(plan);
      expect(a).toEqual(b);
    });

  it('integral sums overflow with ANSI errors, as the generic path', async () => {
    const big = s.createDataFrame([[2 ** 62], [2 ** 62], [2 ** 62]], 'v BIGINT');
    await expect(big.agg({ v: 'sum' }).collect()).rejects.toThrow(/ARITHMETIC_OVERFLOW/);
  });

  it('aggregates it cannot inline (DISTINCT, FILTER, collect_list) use the generic operator', async () => {
    const plan = s.sql('SELECT k, count(DISTINCT s), collect_list(id) FROM t GROUP BY k').optimized();
    expect(planPhysical(findAggregate(plan))).toBeInstanceOf(HashAggregateExec);
  });
});

describe('generated filter/projection pipelines equal the row-at-a-time operators', () => {
  const s = Session.builder().create();
  s.createDataFrame(
    [
      [1, 'a', 1.5, [1, 2]],
      [2, null, Number.NaN, []],
      [3, 'ccc', null, null],
      [4, 'dd', -2.0, [3]],
    ],
    'id INT, s STRING, d DOUBLE, xs ARRAY<INT>',
  ).createOrReplaceTempView('p');
  const queries = [
    'SELECT id, upper(s), d * 2 FROM p WHERE d > 0 OR s IS NULL',
    'SELECT * FROM p WHERE id > 1',
    'SELECT x, y FROM (SELECT id + 1 AS x, length(s) AS y FROM p) WHERE y IS NOT NULL AND x > 2',
    'SELECT transform(xs, v -> v + id) AS t, size(xs) FROM p',
    'SELECT id FROM p WHERE id IN (SELECT id FROM p WHERE d < 0)',
  ];
  for (const q of queries)
    it(q, () => {
      const plan = s.sql(q).optimized();
      expect(planPhysical(plan).execute()).toEqual(planPhysical(plan, { interpreted: true }).execute());
    });
});
