/** The optimizer's rules that change how often an expression runs. */
import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';

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
