import { CodeGen } from '../expr/index.js';
import type { ScopeField } from '../plan/expr-api.js';
import { isDeterministic } from '../plan/optimizer.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';
import { emitSteps, type PipelineStep } from './pipeline-codegen.js';
import { ScanExec } from './scan-exec.js';

export interface FusedPipelineConfig {
  /** The operator whose rows enter the pipeline. */
  readonly input: PhysicalOperator;
  /** Filters and projections, bottom-up (at least one). */
  readonly steps: readonly PipelineStep[];
  readonly output: readonly ScopeField[];
  /** The unfused top operator (Project/Filter over its unfused children), shown by EXPLAIN. */
  readonly display: PhysicalOperator;
}

/**
 * Whole-stage code generation for chains of filters and projections: one generated loop per query
 * evaluates every step for each input row, keeping intermediate columns in locals and allocating
 * only the output row. EXPLAIN shows the original operators.
 */
export class FusedPipelineExec extends BaseExec {
  readonly name = 'FusedPipelineExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  private readonly run: (row: null, rows: readonly Row[]) => Row[];

  constructor(readonly config: FusedPipelineConfig) {
    super();
    this.children = config.display.children;
    this.output = config.output;
    const g = new CodeGen();
    g.emit('const O = [];');
    g.emit('for (let i = 0; i < outer.length; i++) {');
    g.emit('const row = outer[i];');
    const { columns } = emitSteps(g, config.steps);
    g.emit(columns ? `O.push([${columns.join(', ')}]);` : 'O.push(row);');
    g.emit('}');
    this.run = g.build<(row: null, rows: readonly Row[]) => Row[]>('O');
  }

  display(): string {
    return this.config.display.display();
  }

  /**
   * No step calls a nondeterministic function (rand, uuid) or counts event times: running it again
   * gives the same rows and changes nothing.
   */
  get isDeterministic(): boolean {
    return this.config.steps.every((s) =>
      s.kind === 'filter'
        ? isDeterministic(s.condition)
        : s.kind === 'observe'
          ? s.stats === undefined
          : s.exprs.every((e) => isDeterministic(e)),
    );
  }

  override execute(): Row[] {
    const input = this.config.input;
    return this.run(null, input instanceof ScanExec ? input.rowsView() : input.execute());
  }
}
