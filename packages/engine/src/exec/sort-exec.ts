import type { BoundSortOrder } from '../plan/bound-plan.js';
import { compileExpr, describe, makeComparator, type ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface SortConfig {
  readonly child: PhysicalOperator;
  readonly orders: readonly BoundSortOrder[];
}

/** Text of one sort order as Spark prints it: `a ASC NULLS FIRST`. */
export function orderText(o: BoundSortOrder): string {
  return `${describe(o.expr)} ${o.ascending ? 'ASC' : 'DESC'} NULLS ${o.nullsFirst ? 'FIRST' : 'LAST'}`;
}

/** Builds a row comparator over precomputed sort keys (`keys[i]` = value of order i). */
export function keyComparator(orders: readonly BoundSortOrder[]): (a: unknown[], b: unknown[]) => number {
  const cmps = orders.map((o) => makeComparator(o.expr.dataType));
  const n = orders.length;
  return (a, b) => {
    for (let i = 0; i < n; i++) {
      const o = orders[i]!;
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      let c: number;
      if (x === null || y === null) {
        if (x === y) continue;
        c = x === null ? (o.nullsFirst ? -1 : 1) : o.nullsFirst ? 1 : -1;
        return c;
      }
      c = cmps[i]!(x, y);
      if (c !== 0) return o.ascending ? c : -c;
    }
    return 0;
  };
}

/** Stable sort of all input rows by the compiled sort keys. */
export class SortExec extends BaseExec {
  readonly name = 'SortExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: SortConfig) {
    super();
    this.children = [config.child];
    this.output = config.child.output;
  }

  display(): string {
    return `Sort [${this.config.orders.map(orderText).join(', ')}], true`;
  }

  override execute(): Row[] {
    return sortRows(this.config.child.execute(), this.config.orders);
  }
}

/** Sorts rows (stable) by the orders. */
export function sortRows(rows: Row[], orders: readonly BoundSortOrder[]): Row[] {
  const fns = orders.map((o) => compileExpr(o.expr));
  const cmp = keyComparator(orders);
  const decorated = rows.map((row, i) => ({ row, i, keys: fns.map((f) => f(row)) }));
  decorated.sort((a, b) => cmp(a.keys, b.keys) || a.i - b.i);
  return decorated.map((d) => d.row);
}
