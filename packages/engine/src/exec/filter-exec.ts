import { type BoundExpr, compilePredicate, describe, type ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface FilterConfig {
  readonly child: PhysicalOperator;
  readonly condition: BoundExpr;
}

/** Keeps rows whose compiled condition is true (SQL null counts as false). */
export class FilterExec extends BaseExec {
  readonly name = 'FilterExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  private readonly pred: (row: Row) => boolean;
  constructor(readonly config: FilterConfig) {
    super();
    this.children = [config.child];
    this.output = config.child.output;
    this.pred = compilePredicate(config.condition);
  }

  display(): string {
    return `Filter ${describe(this.config.condition)}`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    const pred = this.pred;
    this.config.child.forEachRow((r) => {
      if (pred(r)) sink(r);
    });
  }
}
