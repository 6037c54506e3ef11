import type { Row } from '../types/data-type.js';
import type { BoundAggregate, BoundExpr, BoundGenerator, ScopeField } from './expr-api.js';
import type { GroupsWithStateSpec, JoinType, LogicalPlan, StreamingRelation } from './logical/plan.js';

/**
 * The analyzed (resolved) logical plan: every expression is a `BoundExpr` over its child's output
 * row (row position i = `child.output[i]`), and every node knows its own `output` fields. The
 * optimizer rewrites BoundPlans; the physical planner (exec/planner.ts) turns them into operators.
 */
export type BoundPlan =
  | BoundScan
  | BoundStreamingScan
  | BoundProject
  | BoundFilter
  | BoundAggregatePlan
  | BoundJoin
  | BoundUnion
  | BoundSetOp
  | BoundSort
  | BoundLimit
  | BoundDistinct
  | BoundDeduplicate
  | BoundGenerate
  | BoundWindowExpand
  | BoundExpand
  | BoundSessionWindow
  | BoundWatermark
  | BoundGroupsWithState;

interface Base {
  readonly output: readonly ScopeField[];
}

/** In-memory rows (LocalRelation, range, files already read). */
export interface BoundScan extends Base {
  readonly kind: 'scan';
  readonly rows: readonly Row[] | (() => readonly Row[]);
  readonly label: string;
  /** The logical leaf it came from (`planPhysical` options may look rows up by it). */
  readonly leaf: LogicalPlan;
}

export interface BoundStreamingScan extends Base {
  readonly kind: 'streamingScan';
  readonly leaf: StreamingRelation;
}

export interface BoundProject extends Base {
  readonly kind: 'project';
  readonly child: BoundPlan;
  readonly exprs: readonly BoundExpr[];
}

export interface BoundFilter extends Base {
  readonly kind: 'filter';
  readonly child: BoundPlan;
  readonly condition: BoundExpr;
}

/** Hash aggregation: output = grouping values ++ aggregate results. */
export interface BoundAggregatePlan extends Base {
  readonly kind: 'aggregate';
  readonly child: BoundPlan;
  readonly groupings: readonly BoundExpr[];
  readonly aggregates: readonly BoundAggregate[];
}

/** An equi-key pair: `leftKeys[i]` is evaluated over the left row, `rightKeys[i]` over the right row. */
export interface BoundJoin extends Base {
  readonly kind: 'join';
  readonly left: BoundPlan;
  readonly right: BoundPlan;
  readonly joinType: JoinType;
  readonly leftKeys: readonly BoundExpr[];
  readonly rightKeys: readonly BoundExpr[];
  /** Residual condition over `left.output ++ right.output`. */
  readonly condition?: BoundExpr;
}

/** `[flat]MapGroupsWithState` (see the logical node). */
export interface BoundGroupsWithState extends Base {
  readonly kind: 'groupsWithState';
  readonly child: BoundPlan;
  readonly spec: GroupsWithStateSpec;
}

/** UNION ALL of children with the same row layout. */
export interface BoundUnion extends Base {
  readonly kind: 'union';
  readonly children: readonly BoundPlan[];
}

export interface BoundSetOp extends Base {
  readonly kind: 'intersect' | 'except';
  readonly all: boolean;
  readonly left: BoundPlan;
  readonly right: BoundPlan;
}

export interface BoundSortOrder {
  readonly expr: BoundExpr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

export interface BoundSort extends Base {
  readonly kind: 'sort';
  readonly child: BoundPlan;
  readonly orders: readonly BoundSortOrder[];
}

export interface BoundLimit extends Base {
  readonly kind: 'limit';
  readonly child: BoundPlan;
  readonly limit: number;
  readonly offset: number;
}

export interface BoundDistinct extends Base {
  readonly kind: 'distinct';
  readonly child: BoundPlan;
}

/** Keep the first row per key (`keys` are column ordinals of the child). */
export interface BoundDeduplicate extends Base {
  readonly kind: 'deduplicate';
  readonly child: BoundPlan;
  readonly keys: readonly number[];
  readonly withinWatermark: boolean;
}

/** output = child.output ++ generator output (only generator output when `keepChild` is false). */
export interface BoundGenerate extends Base {
  readonly kind: 'generate';
  readonly child: BoundPlan;
  readonly generator: BoundGenerator;
  readonly outer: boolean;
}

/**
 * Sliding-window expansion (Spark's Expand for `window(ts, size, slide)`): each input row is emitted
 * once per window it belongs to, with a `window struct<start,end>` column appended.
 */
export interface BoundWindowExpand extends Base {
  readonly kind: 'windowExpand';
  readonly child: BoundPlan;
  /** The event-time expression (timestamp micros) evaluated over the child row. */
  readonly timeExpr: BoundExpr;
  readonly sizeMicros: number;
  readonly slideMicros: number;
  readonly startMicros: number;
}

/** Spark's Expand: every input row is emitted once per projection (grouping sets). */
export interface BoundExpand extends Base {
  readonly kind: 'expand';
  readonly child: BoundPlan;
  readonly projections: readonly (readonly BoundExpr[])[];
}

/**
 * Batch session windows: appends `session_window struct<start,end>` to each row, merging the
 * per-event windows `[ts, ts + gap)` (given by `eventWindow`, the bound `session_window(...)` call)
 * that overlap within the same `keys`.
 */
export interface BoundSessionWindow extends Base {
  readonly kind: 'sessionWindow';
  readonly child: BoundPlan;
  readonly eventWindow: BoundExpr;
  readonly keys: readonly BoundExpr[];
}

/** Marker for `withWatermark`: rows pass through unchanged. */
export interface BoundWatermark extends Base {
  readonly kind: 'watermark';
  readonly child: BoundPlan;
  readonly column: number;
  readonly delayMs: number;
  /** Set by the streaming engine: where the batch's event times are counted. */
  readonly stats?: EventTimeStats;
}

/** Event-time statistics of one watermark operator over the current batch (milliseconds). */
export interface EventTimeStats {
  readonly delayMs: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** Children of a bound node, left to right. */
export function boundChildren(p: BoundPlan): BoundPlan[] {
  switch (p.kind) {
    case 'scan':
    case 'streamingScan':
      return [];
    case 'join':
    case 'intersect':
    case 'except':
      return [p.left, p.right];
    case 'union':
      return [...p.children];
    default:
      return [p.child];
  }
}

/** Rebuild `p` with new children (same order as `boundChildren`). */
export function withChildren(p: BoundPlan, cs: readonly BoundPlan[]): BoundPlan {
  switch (p.kind) {
    case 'scan':
    case 'streamingScan':
      return p;
    case 'join':
    case 'intersect':
    case 'except':
      return { ...p, left: cs[0]!, right: cs[1]! };
    case 'union':
      return { ...p, children: cs };
    default:
      return { ...p, child: cs[0]! };
  }
}

/** True when the plan reads a streaming leaf. */
export function isStreamingPlan(p: BoundPlan): boolean {
  return p.kind === 'streamingScan' || boundChildren(p).some(isStreamingPlan);
}
