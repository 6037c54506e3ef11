import { planPhysical } from '../exec/planner.js';
import type { Row } from '../types/data-type.js';
import { type AnalyzerContext, analyze } from './analyzer.js';
import type { BoundPlan } from './bound-plan.js';
import { boundChildren, withChildren } from './bound-plan.js';
import type { BoundAggregate, BoundExpr, ScopeField } from './expr-api.js';
import type { LogicalPlan } from './logical/plan.js';
import { optimize } from './optimizer.js';

const EMPTY_CONTEXT: AnalyzerContext = { lookupRelation: () => undefined, ansi: true };

function bind(plan: LogicalPlan | BoundPlan, ctx: AnalyzerContext): BoundPlan {
  return 'output' in plan ? plan : optimize(analyze(plan, ctx));
}

/**
 * Evaluates a plan synchronously over in-memory rows: each streaming leaf (the logical
 * `StreamingRelation` node, by identity) reads `leafRows.get(leaf)`; other leaves read their own
 * rows. Used by the micro-batch engine for the stateless part of a query. `plan` may be a logical
 * plan (analyzed with `ctx`, e.g. `session.analyzerContext()`) or an already bound plan.
 */
export function executeBatchPlan(
  plan: LogicalPlan | BoundPlan,
  leafRows: ReadonlyMap<LogicalPlan, readonly Row[]>,
  ctx: AnalyzerContext = EMPTY_CONTEXT,
): Row[] {
  return planPhysical(bind(plan, ctx), { leafRows }).execute();
}

/** The parts of a plan around its (topmost) aggregate, for the streaming aggregation operator. */
export interface AggregateSplit {
  /** The aggregate's input plan (stateless: project/filter/expand/watermark over streaming leaves). */
  readonly input: BoundPlan;
  /** Grouping keys, bound over the input's rows. */
  readonly groupings: readonly BoundExpr[];
  /** Aggregate calls; `create()` / `update(inputRow)` / `merge` / `result()` / `toState()`. */
  readonly aggregates: readonly BoundAggregate[];
  /** Output fields of the aggregate: grouping keys ++ aggregate results. */
  readonly aggregateOutput: readonly ScopeField[];
  /** Output fields of the whole plan. */
  readonly output: readonly ScopeField[];
  /** Evaluates the input plan over one micro-batch (rows the aggregate consumes). */
  runInput(leafRows: ReadonlyMap<LogicalPlan, readonly Row[]>): Row[];
  /** Evaluates the plan above the aggregate over aggregate rows (`keys ++ results`). */
  runOutput(aggregateRows: readonly Row[]): Row[];
}

/**
 * Finds the topmost aggregate of a plan and returns what the streaming aggregation needs, or
 * undefined when the plan has no aggregate.
 */
export function splitAtAggregate(
  plan: LogicalPlan | BoundPlan,
  ctx: AnalyzerContext = EMPTY_CONTEXT,
): AggregateSplit | undefined {
  const bound = bind(plan, ctx);
  const find = (p: BoundPlan): (BoundPlan & { kind: 'aggregate' }) | undefined => {
    if (p.kind === 'aggregate') return p;
    for (const c of boundChildren(p)) {
      const hit = find(c);
      if (hit) return hit;
    }
    return undefined;
  };
  const agg = find(bound);
  if (!agg) return undefined;
  const placeholder: LogicalPlan = {
    kind: 'localRelation',
    schema: { kind: 'struct', fields: [] },
    rows: [],
    label: 'AggregateResult',
  };
  const replace = (p: BoundPlan): BoundPlan => {
    if (p === agg)
      return { kind: 'scan', rows: [], label: 'StateStoreRestore', leaf: placeholder, output: agg.output };
    const cs = boundChildren(p);
    return cs.length === 0 ? p : withChildren(p, cs.map(replace));
  };
  const above = replace(bound);
  return {
    input: agg.child,
    groupings: agg.groupings,
    aggregates: agg.aggregates,
    aggregateOutput: agg.output,
    output: bound.output,
    runInput: (leafRows) => planPhysical(agg.child, { leafRows }).execute(),
    runOutput: (rows) => planPhysical(above, { leafRows: new Map([[placeholder, rows]]) }).execute(),
  };
}
