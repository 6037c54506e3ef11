import { describe, expect, it } from 'vitest';
import { compileExpr } from '../expr/index.js';
import {
  col,
  count,
  executeBatchPlan,
  functions as F,
  Session,
  splitAtAggregate,
  sum,
  window,
} from '../index.js';
import type { LogicalPlan, StreamingRelation } from './logical/plan.js';

function streamingLeaf(): StreamingRelation {
  return {
    kind: 'streamingRelation',
    source: { test: true },
    sourceName: 'memory',
    schema: {
      kind: 'struct',
      fields: [
        { name: 'ts', dataType: { kind: 'timestamp' }, nullable: true },
        { name: 'word', dataType: { kind: 'string' }, nullable: true },
        { name: 'n', dataType: { kind: 'int' }, nullable: true },
      ],
    },
  };
}

const SEC = 1_000_000;

describe('plan entry points for the streaming engine', () => {
  it('a DataFrame over a streaming leaf is streaming and refuses batch actions', () => {
    const s = Session.builder().create();
    const df = s.dataFrame(streamingLeaf()).filter(col('n').gt(1));
    expect(df.isStreaming).toBe(true);
    expect(() => df.collect()).toThrow(/writeStream/);
    df.createOrReplaceTempView('events');
    expect(s.sql('SELECT word FROM events').isStreaming).toBe(true);
    expect(s.range(3).isStreaming).toBe(false);
  });

  it('executeBatchPlan evaluates the stateless part over one micro-batch of leaf rows', () => {
    const s = Session.builder().create();
    const leaf = streamingLeaf();
    const df = s
      .dataFrame(leaf)
      .filter(col('n').gt(1))
      .select(F.upper(col('word')).alias('w'), col('n').multiply(2).alias('n2'));
    const batch = [
      [0, 'a', 1],
      [SEC, 'b', 2],
      [2 * SEC, null, 3],
    ];
    const out = executeBatchPlan(
      df.plan,
      new Map<LogicalPlan, unknown[][]>([[leaf, batch]]),
      s.analyzerContext(),
    );
    expect(out).toEqual([
      ['B', 4],
      [null, 6],
    ]);
    // Same plan, next batch.
    expect(executeBatchPlan(df.analyzed(), new Map([[leaf, [[3 * SEC, 'z', 5]]]]))).toEqual([['Z', 10]]);
  });

  it('splitAtAggregate exposes grouping keys and mergeable, serializable aggregate buffers', () => {
    const s = Session.builder().create();
    const leaf = streamingLeaf();
    const df = s
      .dataFrame(leaf)
      .withWatermark('ts', '10 seconds')
      .groupBy(window(col('ts'), '10 seconds'), col('word'))
      .agg(count('*').alias('c'), sum('n').alias('total'))
      .select(col('window.start').alias('start'), col('word'), col('c'), col('total'));
    const split = splitAtAggregate(df.plan, s.analyzerContext())!;
    expect(split).toBeDefined();
    expect(split.groupings.length).toBe(2);
    expect(split.aggregates.map((a) => a.sql)).toEqual(['count(1)', 'sum(n)']);
    expect(split.output.map((f) => f.name)).toEqual(['start', 'word', 'c', 'total']);
    const input = split.runInput(
      new Map([
        [
          leaf,
          [
            [1 * SEC, 'a', 1],
            [2 * SEC, 'a', 2],
            [12 * SEC, 'b', 5],
          ],
        ],
      ]),
    );
    // Merge the rows into per-key buffers as a stateful operator would, through toState/fromState.
    const keyFns = split.groupings.map((g) => compileExpr(g));
    const state = new Map<string, { keys: unknown[]; bufs: unknown[] }>();
    for (const row of input) {
      const keys = keyFns.map((f) => f(row));
      const k = JSON.stringify(keys);
      let e = state.get(k);
      if (!e) {
        e = { keys, bufs: split.aggregates.map((a) => a.create().toState()) };
        state.set(k, e);
      }
      e.bufs = e.bufs.map((st, i) => {
        const b = split.aggregates[i]!.fromState(st);
        b.update(row);
        return b.toState();
      });
    }
    const aggRows = [...state.values()].map((e) => [
      ...e.keys,
      ...e.bufs.map((st, i) => split.aggregates[i]!.fromState(st).result()),
    ]);
    const out = split.runOutput(aggRows).sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(out).toEqual([
      [0, 'a', 2, 3],
      [10 * SEC, 'b', 1, 5],
    ]);
  });
});
