import { describe, expect, it } from 'vitest';
import type { BoundAggregate, Scope } from '../expr/index.js';
import { resolveExpr } from '../expr/index.js';
import { parseExpression } from '../sql/index.js';
import type { DataType, Row } from '../types/data-type.js';
import { formatValue } from '../types/format.js';
import { Interval } from '../types/interval.js';
import { T } from '../types/types.js';

function scopeOf(...cols: [string, DataType][]): Scope {
  return { fields: cols.map(([name, dataType]) => ({ name, qualifier: [], dataType, nullable: true })) };
}

function agg(text: string, scope: Scope): BoundAggregate {
  const b = resolveExpr(parseExpression(text), scope, { allowAggregates: true });
  if (b.kind !== 'aggregate') throw new Error(`not an aggregate: ${text}`);
  return b.agg;
}

/** Runs an aggregate over rows split into two contiguous partial buffers that are merged after a state round trip. */
function run(text: string, scope: Scope, rows: Row[]): string {
  const a = agg(text, scope);
  const left = a.create();
  const right = a.create();
  const half = Math.ceil(rows.length / 2);
  for (let i = 0; i < rows.length; i++) (i < half ? left : right).update(rows[i]!);
  const restored = a.fromState(JSON.parse(JSON.stringify(left.toState())));
  restored.merge(a.fromState(JSON.parse(JSON.stringify(right.toState()))));
  const direct = a.create();
  for (const r of rows) direct.update(r);
  const viaState = formatValue(restored.result(), a.dataType);
  expect(formatValue(direct.result(), a.dataType)).toBe(viaState);
  return viaState;
}

const ints = scopeOf(['col', T.int]);
const vals = (...xs: (number | null)[]) => xs.map((x) => [x]);

describe('aggregate functions (Spark documentation examples)', () => {
  it('count, count distinct, count_if', async () => {
    expect(run('count(*)', ints, vals(null, 5, 5, 20))).toBe('4');
    expect(run('count(col)', ints, vals(null, 5, 5, 20))).toBe('3');
    expect(run('count(DISTINCT col)', ints, vals(null, 5, 5, 10))).toBe('2');
    expect(run('count_if(col % 2 = 0)', ints, vals(null, 0, 1, 2, 3))).toBe('2');
    expect(run('count(col) FILTER (WHERE col > 1)', ints, vals(1, 2, 3))).toBe('2');
  });

  it('sum, avg, min, max', async () => {
    expect(run('sum(col)', ints, vals(5, 10, 15))).toBe('30');
    expect(run('sum(col)', ints, vals(null, 10, 15))).toBe('25');
    expect(run('sum(col)', ints, vals(null, null))).toBe('NULL');
    expect(run('sum(DISTINCT col)', ints, vals(5, 10, 10))).toBe('15');
    expect(run('avg(col)', ints, vals(1, 2, 3))).toBe('2.0');
    expect(run('avg(col)', ints, vals(1, 2, null))).toBe('1.5');
    expect(run('min(col)', ints, vals(10, -1, 20))).toBe('-1');
    expect(run('max(col)', ints, vals(10, 50, 20))).toBe('50');
  });

  it('sum and avg of decimals widen precision as Spark does', async () => {
    const d = scopeOf(['d', { kind: 'decimal', precision: 5, scale: 2 }]);
    expect(agg('sum(d)', d).dataType).toEqual({ kind: 'decimal', precision: 15, scale: 2 });
    expect(agg('avg(d)', d).dataType).toEqual({ kind: 'decimal', precision: 9, scale: 6 });
  });

  it('sum of longs overflows in ANSI mode', async () => {
    const a = agg('sum(col)', scopeOf(['col', T.long]));
    const b = a.create();
    b.update([2 ** 62]);
    expect(() => b.update([2 ** 62])).toThrow(/ARITHMETIC_OVERFLOW/);
  });

  it('first, last, any_value, with IGNORE NULLS', async () => {
    expect(run('first(col)', ints, vals(10, 5, 20))).toBe('10');
    expect(run('first(col)', ints, vals(null, 5, 20))).toBe('NULL');
    expect(run('first(col, true)', ints, vals(null, 5, 20))).toBe('5');
    expect(run('last(col)', ints, vals(10, 5, 20))).toBe('20');
    expect(run('last(col, true)', ints, vals(10, 20, null))).toBe('20');
  });

  it('collect_list and collect_set skip nulls', async () => {
    expect(run('collect_list(col)', ints, vals(1, 2, 1))).toBe('[1, 2, 1]');
    expect(run('collect_set(col)', ints, vals(1, 2, 1, null))).toBe('[1, 2]');
  });

  it('statistics', async () => {
    expect(run('stddev_samp(col)', ints, vals(1, 2, 3))).toBe('1.0');
    expect(run('stddev(col)', ints, vals(1, 2, 3))).toBe('1.0');
    expect(run('stddev_pop(col)', ints, vals(1, 2, 3))).toBe('0.816496580927726');
    expect(run('variance(col)', ints, vals(1, 2, 3))).toBe('1.0');
    expect(run('var_pop(col)', ints, vals(1, 2, 3))).toBe('0.6666666666666666');
    expect(run('var_samp(col)', ints, vals(1))).toBe('NULL');
    const two = scopeOf(['c1', T.int], ['c2', T.int]);
    expect(
      run('covar_samp(c1, c2)', two, [
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ).toBe('1.0');
    expect(
      run('covar_pop(c1, c2)', two, [
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ).toBe('0.6666666666666666');
    expect(
      run('corr(c1, c2)', two, [
        [3, 2],
        [3, 3],
        [6, 4],
      ]),
    ).toBe('0.8660254037844387');
  });

  it('percentiles', async () => {
    expect(run('percentile_approx(col, array(0.5, 0.4, 0.1), 100)', ints, vals(0, 1, 2, 10))).toBe(
      '[1, 1, 0]',
    );
    expect(run('percentile_approx(col, 0.5, 100)', ints, vals(0, 6, 7, 9, 10))).toBe('7');
    expect(run('percentile(col, 0.3)', ints, vals(0, 10))).toBe('3.0');
    expect(run('percentile(col, array(0.25, 0.75))', ints, vals(0, 10))).toBe('[2.5, 7.5]');
    expect(run('median(col)', ints, vals(0, 10))).toBe('5.0');
    expect(run('median(col)', ints, vals(3, 1, 2, null))).toBe('2.0');
    const wf = scopeOf(['col', T.int], ['f', T.int]);
    expect(
      run('percentile(col, 0.5, f)', wf, [
        [1, 1],
        [10, 3],
      ]),
    ).toBe('10.0');
    expect(
      run('percentile(col, 0.25, f)', wf, [
        [1, 2],
        [10, 2],
      ]),
    ).toBe('1.0');
    expect(run('mode(col)', ints, vals(0, 10, 10))).toBe('10');
  });

  it('max_by, min_by, boolean aggregates', async () => {
    const xy = scopeOf(['x', T.string], ['y', T.int]);
    expect(
      run('max_by(x, y)', xy, [
        ['a', 10],
        ['b', 50],
        ['c', 20],
      ]),
    ).toBe('b');
    expect(
      run('min_by(x, y)', xy, [
        ['a', 10],
        ['b', 50],
        ['c', 20],
      ]),
    ).toBe('a');
    const b = scopeOf(['col', T.boolean]);
    expect(run('bool_and(col)', b, [[true], [true], [true]])).toBe('true');
    expect(run('every(col)', b, [[true], [false], [true]])).toBe('false');
    expect(run('bool_or(col)', b, [[null], [true], [false]])).toBe('true');
    expect(run('any(col)', b, [[null], [null]])).toBe('NULL');
  });

  it('approx_count_distinct (HyperLogLog++) is exact on small inputs and close on large ones', async () => {
    expect(run('approx_count_distinct(col)', ints, vals(1, 1, 2, 2, 3))).toBe('3');
    const a = agg('approx_count_distinct(col)', ints);
    for (const n of [300, 1000, 3000, 10000, 100000]) {
      const b = a.create();
      for (let i = 0; i < 2 * n; i++) b.update([(i * 7) % n]);
      const est = b.result() as number;
      // rsd 0.05 (m = 512 registers): 3 standard errors.
      expect(Math.abs(est - n) / n).toBeLessThan(0.15);
    }
  });

  it('names aggregates as Spark does and rejects nesting', async () => {
    expect(agg('count(*)', ints).sql).toBe('count(1)');
    expect(agg('count(DISTINCT col)', ints).sql).toBe('count(DISTINCT col)');
    expect(() => agg('sum(max(col))', ints)).toThrow(/NESTED_AGGREGATE_FUNCTION/);
    expect(() => resolveExpr(parseExpression('sum(col)'), ints)).toThrow(/not allowed/);
  });

  it('aggregates compose with scalar expressions', async () => {
    const b = resolveExpr(parseExpression('sum(col) + 1'), ints, { allowAggregates: true });
    expect(b.sql).toBe('(sum(col) + 1)');
    expect(b.kind).toBe('call');
  });
});

describe('percentile_approx on large inputs', () => {
  it('keeps a bounded summary whose rank error stays within 1/accuracy', async () => {
    const a = agg('percentile_approx(col, array(0.1, 0.5, 0.9), 100)', ints);
    const b = a.create();
    const n = 100_000;
    for (let i = 0; i < n; i++) b.update([(i * 7919) % n]);
    const state = b.toState() as [unknown[], number[]];
    expect(state[0].length).toBeLessThanOrEqual(400);
    const [p10, p50, p90] = b.result() as number[];
    expect(Math.abs(p10! - 0.1 * n) / n).toBeLessThan(0.02);
    expect(Math.abs(p50! - 0.5 * n) / n).toBeLessThan(0.02);
    expect(Math.abs(p90! - 0.9 * n) / n).toBeLessThan(0.02);
  });
});

describe('interval and string aggregates', () => {
  it('sum and avg of intervals', async () => {
    const iv = scopeOf(['i', T.interval]);
    expect(
      run('sum(i)', iv, [[new Interval(1, 2, 3_000_000)], [new Interval(0, 1, 1_000_000)], [null]]),
    ).toBe('1 months 3 days 4 seconds');
    expect(run('avg(i)', iv, [[new Interval(0, 2, 2_000_000)], [new Interval(0, 4, 4_000_000)]])).toBe(
      '3 days 3 seconds',
    );
  });
  it('listagg / string_agg (Spark documentation example)', async () => {
    const s = scopeOf(['col', T.string]);
    expect(run('listagg(col)', s, [['a'], ['b'], ['c']])).toBe('abc');
    expect(run("string_agg(col, ', ')", s, [['a'], [null], ['c']])).toBe('a, c');
  });
});
