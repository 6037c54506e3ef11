import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface UnionConfig {
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
}

/** UNION ALL: the children's rows one after the other. */
export class UnionExec extends BaseExec {
  readonly name = 'UnionExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: UnionConfig) {
    super();
    this.children = config.children;
    this.output = config.output;
  }

  display(): string {
    return 'Union';
  }

  override forEachRow(sink: (row: Row) => void): void {
    for (const c of this.children) c.forEachRow(sink);
  }
}
