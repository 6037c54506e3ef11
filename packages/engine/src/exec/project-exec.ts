import { type BoundExpr, compileProjection, describe, type ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface ProjectConfig {
  readonly child: PhysicalOperator;
  readonly exprs: readonly BoundExpr[];
  readonly output: readonly ScopeField[];
}

/** Evaluates the select list (one compiled function per query) for each row. */
export class ProjectExec extends BaseExec {
  readonly name = 'ProjectExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  private readonly fn: (row: Row) => Row;
  constructor(readonly config: ProjectConfig) {
    super();
    this.children = [config.child];
    this.output = config.output;
    this.fn = compileProjection(config.exprs);
  }

  display(): string {
    return `Project [${this.config.exprs.map((e, i) => namedExpr(e, this.output[i]!.name)).join(', ')}]`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    const fn = this.fn;
    this.config.child.forEachRow((r) => sink(fn(r)));
  }
}

/** `expr AS name` unless the name is the expression's own text. */
export function namedExpr(e: BoundExpr, name: string): string {
  const d = describe(e);
  return d === name || (e.kind === 'ref' && e.name === name) ? d : `${d} AS ${name}`;
}
