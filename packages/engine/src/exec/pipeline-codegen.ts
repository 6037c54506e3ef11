import type { CodeGen } from '../expr/index.js';
import type { BoundPlan, EventTimeStats } from '../plan/bound-plan.js';
import type { BoundExpr, ScopeField } from '../plan/expr-api.js';
import { substituteRefs } from '../plan/optimizer.js';
import { FilterExec } from './filter-exec.js';
import type { PhysicalOperator } from './operator.js';
import { ProjectExec } from './project-exec.js';
import { recordEventTime, WatermarkExec } from './watermark-exec.js';

/** One step of a fused pipeline (bottom-up). */
export type PipelineStep =
  | { readonly kind: 'filter'; readonly condition: BoundExpr }
  | {
      readonly kind: 'project';
      readonly exprs: readonly BoundExpr[];
      readonly output: readonly ScopeField[];
    }
  | {
      /** `withWatermark`: rows pass; in a streaming batch column `index` is counted. */
      readonly kind: 'observe';
      readonly index: number;
      readonly delayMs: number;
      readonly stats: EventTimeStats | undefined;
    };

/**
 * Walks filter/project/watermark nodes down from `p`: the pipeline steps (bottom-up) and the input
 * plan below them.
 */
export function pipelineBelow(p: BoundPlan): { steps: PipelineStep[]; input: BoundPlan } {
  const steps: PipelineStep[] = [];
  let cur = p;
  for (;;) {
    if (cur.kind === 'filter') steps.unshift({ kind: 'filter', condition: cur.condition });
    else if (cur.kind === 'project') steps.unshift({ kind: 'project', exprs: cur.exprs, output: cur.output });
    else if (cur.kind === 'watermark')
      steps.unshift({ kind: 'observe', index: cur.column, delayMs: cur.delayMs, stats: cur.stats });
    else break;
    cur = cur.child;
  }
  return { steps, input: cur };
}

let nextLocal = 1_000_000;

/**
 * Emits the code of filter/project steps inside a loop body over `row`: a failing filter
 * `continue`s; projected columns become locals (no intermediate row arrays). Returns a binder that
 * rewrites expressions over the last step's output to read those locals, and the locals of the
 * last projection (undefined when no projection ran).
 */
export function emitSteps(
  g: CodeGen,
  steps: readonly PipelineStep[],
): { bind: (e: BoundExpr) => BoundExpr; columns: string[] | undefined } {
  let bind: (e: BoundExpr) => BoundExpr = (e) => e;
  let columns: string[] | undefined;
  for (const step of steps) {
    const b = bind;
    if (step.kind === 'filter') {
      const p = g.expr(b(step.condition));
      g.emit(`if (${p} !== true) continue;`);
      continue;
    }
    if (step.kind === 'observe') {
      // The column is a local of the last projection, or the input row's (`row[i]`, as CodeGen reads columns).
      const value = columns ? columns[step.index] : `row[${step.index}]`;
      if (step.stats) g.emit(`${g.constant(recordEventTime)}(${g.constant(step.stats)}, ${value});`);
      continue;
    }
    const locals = step.exprs.map((e) => {
      const v = g.expr(b(e));
      const id = nextLocal++;
      g.emit(`const l${id} = ${v};`);
      return {
        kind: 'lambdaVar',
        id,
        name: `l${id}`,
        sql: e.sql,
        dataType: e.dataType,
        nullable: e.nullable,
      } as BoundExpr;
    });
    columns = locals.map((l) => (l as { name: string }).name);
    bind = (e) => substituteRefs(e, (i) => locals[i]!);
  }
  return { bind, columns };
}

/** The row-at-a-time operators of the steps over `input` (what EXPLAIN shows for a fused pipeline). */
export function interpretedSteps(input: PhysicalOperator, steps: readonly PipelineStep[]): PhysicalOperator {
  let cur = input;
  for (const st of steps)
    cur =
      st.kind === 'filter'
        ? new FilterExec({ child: cur, condition: st.condition })
        : st.kind === 'observe'
          ? new WatermarkExec({
              child: cur,
              column: st.index,
              delayMs: st.delayMs,
              ...(st.stats ? { stats: st.stats } : {}),
            })
          : new ProjectExec({ child: cur, exprs: st.exprs, output: st.output });
  return cur;
}
