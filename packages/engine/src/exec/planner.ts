import { InternalError } from '../errors.js';
import type { BoundPlan } from '../plan/bound-plan.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { Row } from '../types/data-type.js';
import { DistinctExec } from './distinct-exec.js';
import { ExpandExec } from './expand-exec.js';
import { FusedAggregateExec } from './fused-aggregate-exec.js';
import { FusedPipelineExec } from './fused-pipeline-exec.js';
import { GenerateExec } from './generate-exec.js';
import { GroupsWithStateExec } from './groups-with-state-exec.js';
import { HashAggregateExec } from './hash-aggregate-exec.js';
import { HashJoinExec } from './hash-join-exec.js';
import { LimitExec } from './limit-exec.js';
import type { PhysicalOperator } from './operator.js';
import { interpretedSteps, pipelineBelow } from './pipeline-codegen.js';
import { ScanExec } from './scan-exec.js';
import { SessionWindowExec } from './session-window-exec.js';
import { SetOpExec } from './set-op-exec.js';
import { SortExec } from './sort-exec.js';
import { TakeOrderedExec } from './take-ordered-exec.js';
import { UnionExec } from './union-exec.js';
import { WindowExpandExec } from './window-expand-exec.js';

/** Options of physical planning. */
export interface PhysicalPlanOptions {
  /** Rows for streaming leaves (one micro-batch), keyed by the logical StreamingRelation node. */
  readonly leafRows?: ReadonlyMap<LogicalPlan, readonly Row[]>;
  /** Use the row-at-a-time operators instead of generated pipelines (for tests and debugging). */
  readonly interpreted?: boolean;
}

/** Turns a bound (optimized) plan into physical operators: one exhaustive switch, one operator per case. */
export function planPhysical(p: BoundPlan, opts: PhysicalPlanOptions = {}): PhysicalOperator {
  const rec = (c: BoundPlan) => planPhysical(c, opts);
  switch (p.kind) {
    case 'scan': {
      const override = opts.leafRows?.get(p.leaf);
      return new ScanExec({ label: p.label, output: p.output, rows: override ?? p.rows });
    }
    case 'streamingScan': {
      const leaf = p.leaf;
      const rows = opts.leafRows?.get(leaf);
      return new ScanExec({
        label: `StreamingScan ${leaf.sourceName}`,
        output: p.output,
        rows: () => {
          if (!rows)
            throw new InternalError(
              'INTERNAL_ERROR',
              `No rows supplied for streaming source ${leaf.sourceName}: streaming DataFrames run through writeStream.start().`,
            );
          return rows;
        },
      });
    }
    case 'project':
    case 'filter':
    case 'watermark': {
      const { steps, input } = pipelineBelow(p);
      const inputOp = rec(input);
      // Interpreted: one operator per step (the fused pipeline's display is the same chain).
      if (opts.interpreted) return interpretedSteps(inputOp, steps);
      return new FusedPipelineExec({
        input: inputOp,
        steps,
        output: p.output,
        display: interpretedSteps(inputOp, steps),
      });
    }
    case 'aggregate': {
      if (FusedAggregateExec.supports(p.aggregates) && !opts.interpreted) {
        const { steps, input } = pipelineBelow(p.child);
        const inputOp = rec(input);
        return new FusedAggregateExec({
          input: inputOp,
          steps,
          groupings: p.groupings,
          aggregates: p.aggregates,
          output: p.output,
          displayChild: interpretedSteps(inputOp, steps),
        });
      }
      return new HashAggregateExec({
        child: rec(p.child),
        groupings: p.groupings,
        aggregates: p.aggregates,
        output: p.output,
      });
    }
    case 'join':
      return new HashJoinExec({
        left: rec(p.left),
        right: rec(p.right),
        joinType: p.joinType,
        leftKeys: p.leftKeys,
        rightKeys: p.rightKeys,
        ...(p.condition ? { condition: p.condition } : {}),
        output: p.output,
      });
    case 'union':
      return new UnionExec({ children: p.children.map(rec), output: p.output });
    case 'intersect':
    case 'except':
      return new SetOpExec({
        op: p.kind,
        all: p.all,
        left: rec(p.left),
        right: rec(p.right),
        output: p.output,
      });
    case 'sort':
      return new SortExec({ child: rec(p.child), orders: p.orders });
    case 'limit':
      if (p.child.kind === 'sort' && p.offset === 0)
        return new TakeOrderedExec({ child: rec(p.child.child), orders: p.child.orders, limit: p.limit });
      return new LimitExec({ child: rec(p.child), limit: p.limit, offset: p.offset });
    case 'distinct':
      return new DistinctExec({ child: rec(p.child), keys: p.output.map((_, i) => i), label: 'Distinct' });
    case 'groupsWithState':
      return new GroupsWithStateExec(rec(p.child), p.spec, p.output);
    case 'deduplicate':
      return new DistinctExec({
        child: rec(p.child),
        keys: p.keys,
        label: p.withinWatermark ? 'DeduplicateWithinWatermark' : 'Deduplicate',
      });
    case 'generate':
      return new GenerateExec({
        child: rec(p.child),
        generator: p.generator,
        outer: p.outer,
        output: p.output,
      });
    case 'windowExpand':
      return new WindowExpandExec({
        child: rec(p.child),
        timeExpr: p.timeExpr,
        sizeMicros: p.sizeMicros,
        slideMicros: p.slideMicros,
        startMicros: p.startMicros,
        output: p.output,
      });
    case 'sessionWindow':
      return new SessionWindowExec({
        child: rec(p.child),
        eventWindow: p.eventWindow,
        keys: p.keys,
        output: p.output,
      });
    case 'expand':
      return new ExpandExec({ child: rec(p.child), projections: p.projections, output: p.output });
  }
}
