import { describe, expect, it } from 'vitest';
import type { DataType } from '../../types/data-type.js';
import { GroupIndex } from './group-index.js';

const ts: DataType = { kind: 'timestamp' };
const win: DataType = {
  kind: 'struct',
  fields: [
    { name: 'start', dataType: ts, nullable: true },
    { name: 'end', dataType: ts, nullable: true },
  ],
};

describe('GroupIndex', () => {
  it('groups equal values together and keeps different ones apart', async () => {
    const idx = new GroupIndex<{ n: number }>([win, { kind: 'string' }, { kind: 'double' }]);
    let made = 0;
    const g = (vs: unknown[]) => idx.getOrCreate(vs, () => ({ n: made++ }));
    const a = g([[0, 10], 'x', 1.5]);
    expect(g([[0, 10], 'x', 1.5])).toBe(a);
    expect(g([[0, 10], 'y', 1.5])).not.toBe(a);
    expect(g([[0, 11], 'x', 1.5])).not.toBe(a);
    // null struct vs struct of nulls, null vs 'null', -0 vs 0, NaN vs NaN
    expect(g([null, 'x', 1.5])).not.toBe(g([[null, null], 'x', 1.5]));
    expect(g([[0, 10], null, 1.5])).not.toBe(g([[0, 10], 'null', 1.5]));
    expect(g([[0, 10], 'x', -0])).toBe(g([[0, 10], 'x', 0]));
    expect(g([[0, 10], 'x', Number.NaN])).toBe(g([[0, 10], 'x', Number.NaN]));
    const arr = new GroupIndex<{ n: number }>([
      { kind: 'array', elementType: { kind: 'int' }, containsNull: true },
    ]);
    expect(arr.getOrCreate([[1, 2]], () => ({ n: 1 }))).toBe(arr.getOrCreate([[1, 2]], () => ({ n: 2 })));
    expect(arr.getOrCreate([[1, 2, 3]], () => ({ n: 3 })).n).toBe(3);
  });
});
