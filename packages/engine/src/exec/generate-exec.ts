import type { BoundGenerator, ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface GenerateConfig {
  readonly child: PhysicalOperator;
  readonly generator: BoundGenerator;
  readonly outer: boolean;
  readonly output: readonly ScopeField[];
}

/** Generate (explode, posexplode, inline, stack, json_tuple): input row ++ each generated row. */
export class GenerateExec extends BaseExec {
  readonly name = 'GenerateExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: GenerateConfig) {
    super();
    this.children = [config.child];
    this.output = config.output;
  }

  display(): string {
    const g = this.config.generator;
    const n = g.outputFields.length;
    const names = this.output.slice(this.output.length - n).map((f) => f.name);
    return `Generate ${g.sql}, ${this.config.outer}, [${names.join(', ')}]`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    const g = this.config.generator;
    const n = g.outputFields.length;
    const outer = this.config.outer;
    this.config.child.forEachRow((row) => {
      const gen = g.generate(row);
      if (gen.length === 0) {
        if (outer) sink([...row, ...new Array(n).fill(null)]);
        return;
      }
      for (const r of gen) sink(row.concat(r));
    });
  }
}
