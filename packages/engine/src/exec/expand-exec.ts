import { type BoundExpr, compileProjection, describe, type ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface ExpandConfig {
  readonly child: PhysicalOperator;
  readonly projections: readonly (readonly BoundExpr[])[];
  readonly output: readonly ScopeField[];
}

/** Spark's Expand: each input row is emitted once per projection (ROLLUP, CUBE, GROUPING SETS). */
export class ExpandExec extends BaseExec {
  readonly name = 'ExpandExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  private readonly fns: ((row: Row) => Row)[];
  constructor(readonly config: ExpandConfig) {
    super();
    this.children = [config.child];
    this.output = config.output;
    this.fns = config.projections.map((p) => compileProjection(p));
  }

  display(): string {
    const ps = this.config.projections.map((p) => `[${p.map(describe).join(', ')}]`);
    return `Expand [${ps.join(', ')}], [${this.output.map((f) => f.name).join(', ')}]`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    const fns = this.fns;
    this.config.child.forEachRow((row) => {
      for (let i = 0; i < fns.length; i++) sink(fns[i]!(row));
    });
  }
}
