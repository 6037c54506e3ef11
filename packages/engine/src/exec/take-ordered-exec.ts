import type { BoundSortOrder } from '../plan/bound-plan.js';
import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';
import { orderText, sortRows } from './sort-exec.js';

export interface TakeOrderedConfig {
  readonly child: PhysicalOperator;
  readonly orders: readonly BoundSortOrder[];
  readonly limit: number;
}

/** ORDER BY … LIMIT n (Spark's TakeOrderedAndProject): the first n rows in sort order. */
export class TakeOrderedExec extends BaseExec {
  readonly name = 'TakeOrderedExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: TakeOrderedConfig) {
    super();
    this.children = [config.child];
    this.output = config.child.output;
  }

  display(): string {
    return `TakeOrderedAndProject(limit=${this.config.limit}, orderBy=[${this.config.orders.map(orderText).join(', ')}], output=[${this.output.map((f) => f.name).join(', ')}])`;
  }

  override execute(): Row[] {
    return sortRows(this.config.child.execute(), this.config.orders).slice(0, this.config.limit);
  }
}
