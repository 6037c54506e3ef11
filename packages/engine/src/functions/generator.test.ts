import { describe, expect, it } from 'vitest';
import { resolveGenerator } from '../expr/index.js';
import { parseExpression, parseNamedExpression } from '../sql/index.js';
import { arrayType, mapType, T } from '../types/types.js';

const scope = {
  fields: [
    { name: 'arr', qualifier: [], dataType: arrayType(T.int), nullable: true },
    { name: 'm', qualifier: [], dataType: mapType(T.string, T.int), nullable: true },
  ],
};

const gen = (text: string) => resolveGenerator(parseNamedExpression(text), scope);

describe('generators', () => {
  it('explode arrays and maps', async () => {
    const g = gen('explode(arr)');
    expect(g.outputFields.map((f) => f.name)).toEqual(['col']);
    expect(g.generate([[10, 20], null])).toEqual([[10], [20]]);
    expect(g.generate([null, null])).toEqual([]);
    const m = gen('explode(m)');
    expect(m.outputFields.map((f) => f.name)).toEqual(['key', 'value']);
    expect(m.generate([null, new Map([['a', 1]])])).toEqual([['a', 1]]);
  });

  it('explode_outer yields a null row for empty or null input', async () => {
    const g = gen('explode_outer(arr)');
    expect(g.outer).toBe(true);
    expect(g.generate([[], null])).toEqual([[null]]);
    expect(g.generate([null, null])).toEqual([[null]]);
  });

  it('LATERAL VIEW OUTER makes any generator outer', async () => {
    const g = resolveGenerator(parseNamedExpression('explode(arr)'), scope, { outer: true });
    expect(g.outer).toBe(true);
    expect(g.generate([[], null])).toEqual([[null]]);
  });

  it('posexplode and aliases', async () => {
    const g = gen('posexplode(arr) AS (p, v)');
    expect(g.outputFields.map((f) => f.name)).toEqual(['p', 'v']);
    expect(g.generate([[7, 8], null])).toEqual([
      [0, 7],
      [1, 8],
    ]);
  });

  it('inline and stack (Spark documentation examples)', async () => {
    const i = resolveGenerator(parseExpression("inline(array(struct(1, 'a'), struct(2, 'b')))"), {
      fields: [],
    });
    expect(i.outputFields.map((f) => f.name)).toEqual(['col1', 'col2']);
    expect(i.generate([])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    const s = resolveGenerator(parseExpression('stack(2, 1, 2, 3)'), { fields: [] });
    expect(s.outputFields.map((f) => f.name)).toEqual(['col0', 'col1']);
    expect(s.generate([])).toEqual([
      [1, 2],
      [3, null],
    ]);
  });

  it('a generator inside an expression is an analysis error', async () => {
    const { resolveExpr } = await import('../expr/index.js');
    expect(() => resolveExpr(parseExpression('explode(arr) + 1'), scope)).toThrow(/UNSUPPORTED_GENERATOR/);
  });
});
