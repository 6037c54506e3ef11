import type { PhysicalOperator } from '../exec/operator.js';
import { treeString } from '../exec/operator.js';
import { planPhysical } from '../exec/planner.js';
import type { BoundPlan, BoundStreamingScan } from '../plan/bound-plan.js';
import { boundChildren, isStreamingPlan, withChildren } from '../plan/bound-plan.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { OutputMode } from '../sinks/sink.js';
import type { Row, StructType } from '../types/data-type.js';
import { createStatefulOperator } from './operators/index.js';
import type { StatefulAggregateExec } from './operators/stateful-aggregate-exec.js';
import type { BatchInfo, StatefulOperator, StatefulOperatorContext } from './operators/stateful-operator.js';
import type { StateOperatorProgress } from './progress.js';
import { streamingAggregates } from './unsupported-operation-checker.js';

/**
 * The incremental plan of a streaming query, planned once per query run: the analyzed plan with
 * each streaming leaf replaced by a scan of the current micro-batch's rows, and the streaming
 * aggregation replaced by a scan of the StatefulAggregateExec's output. Per batch, the stateless
 * part below the aggregate runs through the PLAN engineer's physical operators, the aggregate
 * merges into its state store, and the part above it (HAVING, projections, sort in complete mode)
 * runs over the aggregate's output. Expressions are compiled once, at planning.
 */
export class IncrementalExecution {
  /** Streaming leaves in plan order (source i of the offsets log is leaves[i]). */
  readonly leaves: BoundStreamingScan[];
  readonly statefulOperators: StatefulOperator[] = [];
  /** One entry per `withWatermark` over a stream, reset at the start of every batch. */
  readonly eventTimeStats: EventTimeStats[] = [];
  private readonly inputs: Row[][];
  private aggOutput: Row[] = [];
  private readonly root: PhysicalOperator;
  private readonly belowAggregate: PhysicalOperator | undefined;
  private readonly aggregate: StatefulAggregateExec | undefined;

  constructor(
    readonly bound: BoundPlan,
    readonly outputSchema: StructType,
  ) {
    this.leaves = collectLeaves(bound);
    this.inputs = this.leaves.map(() => []);
    const aggs = streamingAggregates(bound);
    const agg = aggs[0];
    if (agg) {
      const op = createStatefulOperator({
        kind: 'aggregate',
        operatorId: 0,
        groupings: agg.groupings,
        aggregates: agg.aggregates,
      });
      this.aggregate = op as StatefulAggregateExec;
      this.statefulOperators.push(op);
      this.belowAggregate = planPhysical(this.replaceLeaves(agg.child));
      const aggScan: BoundPlan = {
        kind: 'scan',
        label: 'StateStoreSave',
        output: agg.output,
        rows: () => this.aggOutput,
        leaf: { kind: 'localRelation', schema: outputSchema, rows: [] } as LogicalPlan,
      };
      this.root = planPhysical(this.replaceLeaves(replaceNode(bound, agg, aggScan)));
    } else {
      this.root = planPhysical(this.replaceLeaves(bound));
    }
  }

  /**
   * Replaces every streaming leaf with a scan of `inputs[i]`, and every `withWatermark` marker with
   * a scan that runs its child and records the event-time column's min/max/sum (Spark's
   * EventTimeWatermarkExec statistics).
   */
  private replaceLeaves(p: BoundPlan): BoundPlan {
    if (p.kind === 'watermark' && isStreamingPlan(p.child)) {
      const child = planPhysical(this.replaceLeaves(p.child));
      const stats: EventTimeStats = { delayMs: p.delayMs, min: Infinity, max: -Infinity, sum: 0, count: 0 };
      this.eventTimeStats.push(stats);
      const column = p.column;
      return {
        kind: 'scan',
        label: `EventTimeWatermark ${p.output[column]?.name ?? column}, ${p.delayMs} ms`,
        output: p.output,
        rows: () => {
          const rows = child.execute();
          for (let i = 0; i < rows.length; i++) {
            const v = rows[i]![column];
            if (typeof v !== 'number') continue;
            const ms = Math.floor(v / 1000);
            if (ms < stats.min) stats.min = ms;
            if (ms > stats.max) stats.max = ms;
            stats.sum += ms;
            stats.count++;
          }
          return rows;
        },
        leaf: { kind: 'localRelation', schema: { kind: 'struct', fields: [] }, rows: [] } as LogicalPlan,
      };
    }
    if (p.kind === 'streamingScan') {
      const i = this.leaves.indexOf(p);
      return {
        kind: 'scan',
        label: `MicroBatchScan ${p.leaf.sourceName}`,
        output: p.output,
        rows: () => this.inputs[i]!,
        leaf: p.leaf,
      };
    }
    if (!isStreamingPlan(p)) return p;
    return withChildren(
      p,
      boundChildren(p).map((c) => this.replaceLeaves(c)),
    );
  }

  /** True when a stateful operator wants a batch without new data (watermark eviction, timeouts). */
  needsNoDataBatch(watermarkMs: number): boolean {
    return this.statefulOperators.some((op) => op.needsNoDataBatch(watermarkMs));
  }

  open(ctx: StatefulOperatorContext): void {
    for (const op of this.statefulOperators) op.open(ctx);
  }

  /** Runs one micro-batch: `inputs[i]` are the rows of leaf i. Returns the rows for the sink. */
  runBatch(inputs: readonly Row[][], info: BatchInfo): Row[] {
    for (let i = 0; i < this.inputs.length; i++) this.inputs[i] = inputs[i] ?? [];
    for (const st of this.eventTimeStats) {
      st.min = Infinity;
      st.max = -Infinity;
      st.sum = 0;
      st.count = 0;
    }
    try {
      if (this.aggregate && this.belowAggregate) {
        const below = this.belowAggregate;
        this.aggOutput = this.aggregate.processFrom((f) => below.forEachRow(f), info);
      }
      return this.root.execute();
    } finally {
      for (let i = 0; i < this.inputs.length; i++) this.inputs[i] = [];
      this.aggOutput = [];
    }
  }

  /** Commits the stateful operators' state for the batch; returns their progress entries. */
  commitState(): StateOperatorProgress[] {
    return this.statefulOperators.map((op) => op.checkpoint());
  }

  abortState(): void {
    for (const op of this.statefulOperators) op.abort();
  }

  close(): void {
    for (const op of this.statefulOperators) op.close();
  }

  /** The physical plan as EXPLAIN prints it. */
  explainString(outputMode: OutputMode): string {
    const lines = [treeString(this.root)];
    if (this.aggregate && this.belowAggregate) {
      lines.push(`${this.aggregate.display()}, outputMode = ${outputMode}`);
      lines.push(treeString(this.belowAggregate).replace(/^/gm, '   '));
    }
    return lines.join('\n');
  }
}

/** Event-time statistics of one watermark operator over the current batch (milliseconds). */
export interface EventTimeStats {
  readonly delayMs: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

function collectLeaves(p: BoundPlan, out: BoundStreamingScan[] = []): BoundStreamingScan[] {
  if (p.kind === 'streamingScan') {
    out.push(p);
    return out;
  }
  for (const c of boundChildren(p)) collectLeaves(c, out);
  return out;
}

function replaceNode(p: BoundPlan, target: BoundPlan, replacement: BoundPlan): BoundPlan {
  if (p === target) return replacement;
  const cs = boundChildren(p);
  if (cs.length === 0) return p;
  return withChildren(
    p,
    cs.map((c) => replaceNode(c, target, replacement)),
  );
}
