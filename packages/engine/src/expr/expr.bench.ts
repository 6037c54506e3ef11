/**
 * Micro-benchmark of compiled expressions (a benchmark, not a test):
 *   cd packages/engine && ../../node_modules/.bin/vitest bench --run src/expr/expr.bench.ts
 * Each case filters 200k rows (`price > 50 AND category <> 3`), projects `price * 0.908` and
 * `id + 1`, and sums the projected price. tinybench prints ops/s and the ratio between cases:
 * hand-written JS over array rows (the baseline), Sluice's compiled predicate + projection over
 * array rows, a per-row tree-walking interpreter (what compilation avoids), and hand-written JS over
 * object rows (the row representation alternative measured for types/data-type.ts).
 */
import { bench, describe } from 'vitest';
import { parseExpression } from '../sql/index.js';
import type { Row } from '../types/data-type.js';
import { T } from '../types/types.js';
import { type BoundExpr, compilePredicate, compileProjection, resolveExpr, type Scope } from './index.js';

const N = 200_000;
const arrays: Row[] = [];
const objects: { id: number; price: number; name: string; category: number }[] = [];
for (let i = 0; i < N; i++) {
  const price = (i * 7919) % 100;
  const category = i % 10;
  arrays.push([i, price, `item${i % 100}`, category]);
  objects.push({ id: i, price, name: `item${i % 100}`, category });
}

const scope: Scope = {
  fields: [
    { name: 'id', qualifier: [], dataType: T.int, nullable: false },
    { name: 'price', qualifier: [], dataType: T.double, nullable: true },
    { name: 'name', qualifier: [], dataType: T.string, nullable: true },
    { name: 'category', qualifier: [], dataType: T.int, nullable: true },
  ],
};
const where = resolveExpr(parseExpression('price > 50 AND category <> 3'), scope);
const select = [
  resolveExpr(parseExpression('price * 0.908'), scope),
  resolveExpr(parseExpression('id + 1'), scope),
];
const pred = compilePredicate(where);
const proj = compileProjection(select);

/** A naive interpreter: walks the bound tree for every row (calls the bound implementations). */
function interpret(e: BoundExpr, row: Row): unknown {
  switch (e.kind) {
    case 'ref':
      return row[e.index] ?? null;
    case 'literal':
      return e.value;
    case 'call': {
      if (e.name === 'and') {
        const l = interpret(e.args[0]!, row);
        if (l === false) return false;
        const r = interpret(e.args[1]!, row);
        return r === false ? false : l === null || r === null ? null : true;
      }
      const args = e.args.map((a) => interpret(a, row));
      if (args.some((a) => a === null)) return null;
      switch (e.name) {
        case 'greaterthan':
          return (args[0] as number) > (args[1] as number);
        case 'notequal':
          return args[0] !== args[1];
        case 'multiply':
          return (args[0] as number) * (args[1] as number);
        case 'add':
          return (args[0] as number) + (args[1] as number);
        case 'cast':
          return (e.impl.fn as (v: unknown) => unknown)(args[0]);
        default:
          throw new Error(`interpreter: ${e.name}`);
      }
    }
    default:
      throw new Error('interpreter: unsupported');
  }
}

let sink = 0;

describe('filter + projection + sum over 200k rows', () => {
  bench('hand-written JS, array rows (baseline)', () => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const r = arrays[i]!;
      const price = r[1] as number | null;
      const cat = r[3] as number | null;
      if (price !== null && price > 50 && cat !== null && cat !== 3) {
        const out = [price * 0.908, (r[0] as number) + 1];
        s += out[0] as number;
      }
    }
    sink += s;
  });

  bench('Sluice compiled predicate + projection, array rows', () => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const r = arrays[i]!;
      if (pred(r)) s += proj(r)[0] as number;
    }
    sink += s;
  });

  bench('tree-walking interpreter, array rows', () => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const r = arrays[i]!;
      if (interpret(where, r) === true) s += select.map((e) => interpret(e, r))[0] as number;
    }
    sink += s;
  });

  bench('hand-written JS, object rows', () => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const r = objects[i]!;
      if (r.price !== null && r.price > 50 && r.category !== null && r.category !== 3) {
        const out = { p: r.price * 0.908, id: r.id + 1 };
        s += out.p;
      }
    }
    sink += s;
  });
});

export { sink };
