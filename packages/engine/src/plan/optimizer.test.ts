/** The optimizer's rules that change how often an expression runs. */
import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import type { BoundPlan } from './bound-plan.js';
import { boundChildren } from './bound-plan.js';
import type { BoundExpr } from './expr-api.js';

describe('predicate pushdown through a projection', () => {
  it('keeps a filter over a parsed record above the parse, so each row is parsed once', async () => {
    const s = Session.builder().create();
    let calls = 0;
    s.udf.register(
      'counted',
      (v: string) => {
        calls++;
        return v;
      },
      'string',
    );
    const df = s.sql(`SELECT e.b.x FROM (
        SELECT from_json(counted(v), 'a INT, b STRUCT<x: INT, y: STRING>') AS e
        FROM VALUES ('{"a":1,"b":{"x":5}}'), ('{"a":2}'), ('{"a":1,"b":{"x":7}}') AS t(v))
      WHERE e.a = 1`);
    expect((await df.collectValues()).map((r) => r[0])).toEqual([5, 7]);
    // One parse per input row (before: the pushed-down filter parsed each row once more).
    expect(calls).toBe(3);
    expect(df.explainString()).toMatch(/Filter[\s\S]*Project \[from_json/);
  });

  it('still pushes a filter through a cheap projection', () => {
    const s = Session.builder().create();
    const df = s.sql('SELECT y FROM (SELECT x + 1 AS y FROM VALUES (1), (2) AS t(x)) WHERE y > 2');
    expect(df.explainString()).toMatch(/Project[\s\S]*Filter \(\(x \+ 1\) > 2\)/);
  });
});

/** The data type `from_json` parses into, in an optimized plan. */
function fromJsonTypes(p: BoundPlan): string[] {
  const out: string[] = [];
  const visit = (n: BoundPlan) => {
    const find = (e: BoundExpr) => {
      if (e.kind !== 'call') return;
      if (e.name === 'from_json') out.push(JSON.stringify(e.dataType));
      for (const a of e.args) find(a);
    };
    if (n.kind === 'project') for (const e of n.exprs) find(e);
    if (n.kind === 'filter') find(n.condition);
    for (const c of boundChildren(n)) visit(c);
  };
  visit(p);
  return out;
}

describe('from_json schema pruning (Spark’s OptimizeCsvJsonExprs)', () => {
  const envelope = `'kind INT, person STRUCT<id: BIGINT, name: STRING>, bid STRUCT<auction: BIGINT, price: BIGINT, extra: STRING>'`;
  const source = `SELECT from_json(v, ${envelope}) AS e FROM VALUES
      ('{"kind":2,"bid":{"auction":7,"price":30,"extra":"x"}}'),
      ('{"kind":0,"person":{"id":1,"name":"ann"}}'),
      ('{"kind":2,"bid":{"auction":8,"price":"oops","extra":"y"}}') AS t(v)`;

  it('parses only the fields the query reads, with the same answers', async () => {
    const s = Session.builder().create();
    const df = s.sql(`SELECT e.bid.auction, e.bid.price FROM (${source}) WHERE e.kind = 2`);
    expect((await df.collectValues()).map((r) => [...r])).toEqual([
      [7, 30],
      [8, null],
    ]);
    const types = fromJsonTypes(df.optimized()).map((t) => JSON.parse(t) as { fields: { name: string }[] });
    expect(types.map((t) => t.fields.map((f) => f.name))).toEqual([['kind', 'bid']]);
    const bid = (types[0]!.fields[1] as unknown as { dataType: { fields: { name: string }[] } }).dataType;
    expect(bid.fields.map((f) => f.name)).toEqual(['auction', 'price']);
  });

  it('keeps the whole schema when the record is used whole, or in FAILFAST mode', async () => {
    const s = Session.builder().create();
    const bidWhole = s.sql(`SELECT to_json(e.bid), e.kind FROM (${source}) WHERE e.kind = 2`);
    expect((await bidWhole.collectValues()).map((r) => r[0])).toEqual([
      '{"auction":7,"price":30,"extra":"x"}',
      '{"auction":8,"extra":"y"}',
    ]);
    // bid is read whole (all its fields), person not at all.
    const [bidType] = fromJsonTypes(bidWhole.optimized());
    expect(bidType).toContain('extra');
    expect(bidType).not.toContain('person');
    const whole = s.sql(`SELECT to_json(e) FROM (${source}) WHERE e.kind = 0`);
    expect((await whole.collectValues()).map((r) => r[0])).toEqual([
      '{"kind":0,"person":{"id":1,"name":"ann"}}',
    ]);
    expect(fromJsonTypes(whole.optimized())[0]).toContain('person');
    const failFast = s.sql(
      `SELECT e.kind FROM (SELECT from_json(v, ${envelope}, map('mode', 'FAILFAST')) AS e FROM VALUES ('{"kind":1}') AS t(v))`,
    );
    expect(fromJsonTypes(failFast.optimized())[0]).toContain('person');
  });
});

describe('column pruning through filters and watermarks', () => {
  it('a view’s columns a query never reads are not computed, and its parse narrows to what is read', async () => {
    const s = Session.builder().create();
    s.sql(`SELECT e.bid.*, timestamp_millis(e.bid.dateTime) AS ts FROM (
        SELECT from_json(v, 'kind INT, bid STRUCT<auction: BIGINT, price: BIGINT, dateTime: BIGINT, extra: STRING>') AS e
        FROM VALUES ('{"kind":2,"bid":{"auction":246,"price":30,"dateTime":1000,"extra":"x"}}'),
                    ('{"kind":2,"bid":{"auction":7,"price":40,"dateTime":2000,"extra":"y"}}') AS t(v))
      WHERE e.kind = 2`)
      .withWatermark('ts', '2 seconds')
      .createOrReplaceTempView('bid');
    const df = s.sql('SELECT auction, price FROM bid WHERE auction % 123 = 0');
    expect((await df.collectValues()).map((r) => [...r])).toEqual([[246, 30]]);
    const plan = df.explainString();
    expect(plan).toMatch(
      /Project \[e\.bid\.auction AS auction, e\.bid\.price AS price, timestamp_millis\(e\.bid\.dateTime\) AS ts\]/,
    );
    const bid = JSON.parse(fromJsonTypes(df.optimized())[0]!).fields[1].dataType;
    expect(bid.fields.map((f: { name: string }) => f.name)).toEqual(['auction', 'price', 'dateTime']);
  });
});

describe('equi-join keys from WHERE (Spark’s ExtractEquiJoinKeys)', () => {
  const a = 'VALUES (1, 10), (2, 20), (2, 21), (NULL, 30) AS a(k, v)';
  const b = 'VALUES (2, 5), (2, 25), (1, 1), (NULL, 0), (3, 9) AS b(k2, w)';
  const comma = `SELECT a.k, a.v, b.w FROM ${a}, ${b} WHERE a.k = b.k2 AND a.v > b.w`;
  const on = `SELECT a.k, a.v, b.w FROM ${a} JOIN ${b} ON a.k = b.k2 AND a.v > b.w`;
  const sorted = (rows: ArrayLike<unknown>[]) => rows.map((r) => JSON.stringify([...Array.from(r)])).sort();

  it('a comma join whose equality is in WHERE is a hash join on it, the rest its condition', async () => {
    const s = Session.builder().create();
    const df = s.sql(comma);
    expect(df.explainString()).toContain('HashJoin [k], [k2], Inner, (v > w)');
    expect(df.explainString()).not.toMatch(/Filter/);
    // NULL keys never match; each pair once; the same rows as the join written with ON.
    const rows = await df.collectValues();
    expect(sorted(rows)).toEqual(
      sorted([
        [1, 10, 1],
        [2, 20, 5],
        [2, 21, 5],
      ]),
    );
    expect(sorted(rows)).toEqual(sorted(await s.sql(on).collectValues()));
  });
});
