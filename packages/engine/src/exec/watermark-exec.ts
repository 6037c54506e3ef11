import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface WatermarkConfig {
  readonly child: PhysicalOperator;
  readonly column: number;
  readonly delayMs: number;
}

/** EventTimeWatermark: a pass-through in batch; the streaming engine reads its config. */
export class WatermarkExec extends BaseExec {
  readonly name = 'WatermarkExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: WatermarkConfig) {
    super();
    this.children = [config.child];
    this.output = config.child.output;
  }

  display(): string {
    return `EventTimeWatermark ${this.output[this.config.column]!.name}, ${this.config.delayMs} milliseconds`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    this.config.child.forEachRow(sink);
  }
}
