import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface LimitConfig {
  readonly child: PhysicalOperator;
  readonly limit: number;
  readonly offset: number;
}

/** LIMIT n [OFFSET m]. */
export class LimitExec extends BaseExec {
  readonly name = 'LimitExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: LimitConfig) {
    super();
    this.children = [config.child];
    this.output = config.child.output;
  }

  display(): string {
    return this.config.offset > 0
      ? `GlobalLimitAndOffset ${this.config.limit}, ${this.config.offset}`
      : `GlobalLimit ${this.config.limit}`;
  }

  override execute(): Row[] {
    const { limit, offset } = this.config;
    return this.config.child.execute().slice(offset, offset + limit);
  }
}
