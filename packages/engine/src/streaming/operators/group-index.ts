import { isDirectKeyType, keyOfValue } from '../../exec/keys.js';
import type { DataType } from '../../types/data-type.js';

const NULL = Symbol('null');

type Leaf = (v: unknown, out: unknown[], at: number) => number;

/** Grouping equality is `exec/keys.ts`'s; a struct of direct fields (a time window) is flattened. */
function leafOf(t: DataType): Leaf {
  if (t.kind === 'struct' && t.fields.every((f) => isDirectKeyType(f.dataType))) {
    const fields = t.fields.map((f) => keyOfValue(f.dataType));
    const n = fields.length;
    return (v, out, at) => {
      if (v === null || v === undefined) {
        out[at] = NULL;
        for (let i = 1; i <= n; i++) out[at + i] = NULL;
      } else {
        out[at] = 1;
        const a = v as unknown[];
        for (let i = 0; i < n; i++) out[at + 1 + i] = fields[i]!(a[i]) ?? NULL;
      }
      return at + 1 + n;
    };
  }
  const key = keyOfValue(t);
  return (v, out, at) => {
    out[at] = key(v) ?? NULL;
    return at + 1;
  };
}

/**
 * Finds the group of a row's grouping values without building a string per row: the values are
 * flattened into leaves (a struct of primitives, such as a time window, becomes its fields) and
 * looked up in nested Maps, one level per leaf. Equal values (Spark's grouping equality) find the
 * same group.
 */
export class GroupIndex<G> {
  private readonly leaves: Leaf[];
  private readonly scratch: unknown[] = [];
  private root = new Map<unknown, unknown>();
  private single: G | undefined;

  constructor(readonly types: readonly DataType[]) {
    this.leaves = types.map(leafOf);
  }

  /** The group of `values`, created by `create` the first time. */
  getOrCreate(values: readonly unknown[], create: () => G): G {
    if (this.leaves.length === 0) {
      this.single ??= create();
      return this.single;
    }
    let at = 0;
    for (let i = 0; i < this.leaves.length; i++) at = this.leaves[i]!(values[i], this.scratch, at);
    let m = this.root;
    for (let i = 0; i < at - 1; i++) {
      const k = this.scratch[i];
      let next = m.get(k) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        m.set(k, next);
      }
      m = next;
    }
    const last = this.scratch[at - 1];
    let g = m.get(last) as G | undefined;
    if (g === undefined) {
      g = create();
      m.set(last, g);
    }
    return g;
  }

  clear(): void {
    this.root = new Map();
    this.single = undefined;
  }
}
