import { AnalysisError, NotImplementedError } from '../errors.js';
import type { BoundAggregatePlan, BoundJoin, BoundPlan } from '../plan/bound-plan.js';
import { boundChildren, isStreamingPlan } from '../plan/bound-plan.js';
import type { OutputMode } from '../sinks/sink.js';
import { eventTimeKey } from './operators/event-time.js';
import { joinKeyOrdinalForWatermark, stateValueBounds } from './operators/join-state-watermark.js';

/** `Append`, `Complete`, `Update` as Spark prints an OutputMode. */
export function modeName(m: OutputMode): string {
  return m === 'append' ? 'Append' : m === 'complete' ? 'Complete' : 'Update';
}

function fail(message: string): never {
  throw new AnalysisError('STREAMING_UNSUPPORTED_OPERATION', message);
}

function collect(p: BoundPlan, pred: (n: BoundPlan) => boolean, out: BoundPlan[] = []): BoundPlan[] {
  for (const c of boundChildren(p)) collect(c, pred, out);
  if (pred(p)) out.push(p);
  return out;
}

/** True when any node below `p` (inclusive) is a `withWatermark` marker. */
export function hasWatermark(p: BoundPlan): boolean {
  return p.kind === 'watermark' || boundChildren(p).some(hasWatermark);
}

/** The streaming aggregations of a plan (aggregates over a streaming child). */
export function streamingAggregates(p: BoundPlan): BoundAggregatePlan[] {
  return collect(p, (n) => n.kind === 'aggregate' && isStreamingPlan(n.child)) as BoundAggregatePlan[];
}

/**
 * Spark's UnsupportedOperationChecker.checkForStreaming over the analyzed plan: which output mode
 * fits which query shape, and which operations streams never support. Throws AnalysisError with
 * Spark's messages; shapes Spark allows but Sluice does not run yet throw NotImplementedError.
 */
export function checkForStreaming(plan: BoundPlan, outputMode: OutputMode): void {
  if (!isStreamingPlan(plan))
    fail('Queries without streaming sources cannot be executed with writeStream.start()');
  const aggs = streamingAggregates(plan);
  const mode = modeName(outputMode);

  for (const a of aggs) {
    if (a.aggregates.some((x) => x.distinct)) {
      fail(
        'Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.',
      );
    }
  }
  for (const a of aggs) {
    if (a.child.kind !== 'sessionWindow') continue;
    // Spark refuses Update mode for session windows (sessions merge, so an emitted session could
    // later be replaced by a bigger one) and needs a key besides the session (planning error).
    if (outputMode === 'update') {
      throw new AnalysisError(
        'STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION',
        'Invalid streaming output mode: update. This output mode is not supported for session window streaming aggregations on streaming DataFrames/DataSets.',
      );
    }
    if (a.groupings.length < 2)
      fail('Global aggregation with session window in streaming query is not supported.');
  }
  if (aggs.length > 1 && outputMode !== 'append') {
    fail('Multiple streaming aggregations are not supported with streaming DataFrames/Datasets');
  }
  if (outputMode === 'append' && aggs.length > 0) {
    // Spark: every aggregation in Append mode needs a watermark on an event-time grouping key,
    // so that its groups can be finalized.
    if (!aggs.every((a) => hasWatermark(a.child) && eventTimeKey(a.groupings, a.child) !== undefined)) {
      throw new AnalysisError(
        'STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION',
        'Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets.',
      );
    }
  }
  if (outputMode === 'complete' && aggs.length === 0) {
    throw new AnalysisError(
      'STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION',
      'Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets.',
    );
  }

  const gws = (
    collect(plan, (n) => n.kind === 'groupsWithState' && isStreamingPlan(n.child)) as Extract<
      BoundPlan,
      { kind: 'groupsWithState' }
    >[]
  ).filter((g) => !g.spec.transform);
  const mapGws = gws.filter((g) => g.spec.isMapGroups);
  const flatGws = gws.filter((g) => !g.spec.isMapGroups);
  if (mapGws.length >= 2)
    fail('Multiple mapGroupsWithStates are not supported on a streaming DataFrames/Datasets');
  if (mapGws.length > 0 && flatGws.length > 0)
    fail(
      'Mixing mapGroupsWithStates and flatMapGroupsWithStates are not supported on a streaming DataFrames/Datasets',
    );
  if (
    flatGws.length >= 2 &&
    (outputMode !== 'append' || flatGws.some((g) => g.spec.outputMode !== 'append'))
  ) {
    fail(
      'Multiple flatMapGroupsWithStates are not supported when they are not all in append mode or the output mode is not append on a streaming DataFrames/Datasets',
    );
  }
  for (const g of gws) {
    if (g.spec.initialState?.isStreaming) {
      fail(
        'Non-streaming DataFrame/Dataset is not supported as the initial state in [flatMap|map]GroupsWithState operation on a streaming DataFrame/Dataset',
      );
    }
    if (g.spec.isMapGroups) {
      if (outputMode !== 'update')
        fail(`mapGroupsWithState is not supported with ${mode} output mode on a streaming DataFrame/Dataset`);
    } else if (aggs.length === 0) {
      if (g.spec.outputMode !== outputMode)
        fail(
          `flatMapGroupsWithState in ${g.spec.outputMode} mode is not supported with ${mode} output mode on a streaming DataFrame/Dataset`,
        );
    } else if (g.spec.outputMode === 'update') {
      fail(
        'flatMapGroupsWithState in update mode is not supported with aggregation on a streaming DataFrame/Dataset',
      );
    }
    if (g.spec.timeout === 'EventTimeTimeout' && !hasWatermark(g.child)) {
      fail(
        "Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a [map|flatMap]GroupsWithState. Event-time timeout not supported without watermark.",
      );
    }
  }

  const containsCompleteData = (sub: BoundPlan): boolean =>
    !isStreamingPlan(sub) || (aggs.length > 0 && outputMode === 'complete');

  const visit = (p: BoundPlan): void => {
    for (const c of boundChildren(p)) visit(c);
    switch (p.kind) {
      case 'join': {
        const ls = isStreamingPlan(p.left);
        const rs = isStreamingPlan(p.right);
        if (ls && rs && outputMode !== 'append') {
          fail(
            `Join between two streaming DataFrames/Datasets is not supported in ${mode} output mode, only in Append output mode`,
          );
        }
        switch (p.joinType) {
          case 'full':
            if (ls && rs) checkStreamStreamJoinWatermark(p);
            else if (ls || rs) {
              fail(
                `FullOuter joins with streaming DataFrames/Datasets on the ${ls ? 'left' : 'right'} and a static DataFrame/Dataset on the ${ls ? 'right' : 'left'} is not supported`,
              );
            }
            break;
          case 'left':
          case 'semi':
            if (ls && rs) checkStreamStreamJoinWatermark(p);
            else if (rs) {
              fail(
                `${p.joinType === 'left' ? 'LeftOuter' : 'LeftSemi'} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported`,
              );
            }
            break;
          case 'anti':
            if (rs) fail('LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported');
            break;
          case 'right':
            if (ls && rs) checkStreamStreamJoinWatermark(p);
            else if (ls) {
              fail(
                'RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported',
              );
            }
            break;
          default:
            break;
        }
        break;
      }
      case 'union': {
        const kinds = new Set(p.children.map(isStreamingPlan));
        if (kinds.size === 2) fail('Union between streaming and batch DataFrames/Datasets is not supported');
        break;
      }
      case 'except':
        if (isStreamingPlan(p.right))
          fail('Except on a streaming DataFrame/Dataset on the right is not supported');
        if (isStreamingPlan(p.left)) {
          throw new NotImplementedError(
            'STREAMING_EXCEPT',
            'EXCEPT on a streaming DataFrame is not implemented yet.',
          );
        }
        break;
      case 'intersect':
        if (isStreamingPlan(p.left) || isStreamingPlan(p.right))
          fail('Intersect of streaming DataFrames/Datasets is not supported');
        break;
      case 'limit':
        if (isStreamingPlan(p.child)) {
          if (outputMode === 'update') {
            fail('Limits are not supported on streaming DataFrames/Datasets in Update output mode');
          }
          if (p.offset > 0) fail('Offset is not supported on streaming DataFrames/Datasets');
          if (!containsCompleteData(p.child)) {
            throw new NotImplementedError(
              'STREAMING_LIMIT',
              'A limit over a streaming DataFrame in Append mode needs state; it is not implemented yet.',
            );
          }
        }
        break;
      case 'sort':
        if (!containsCompleteData(p)) {
          fail(
            'Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode',
          );
        }
        break;
      case 'distinct':
      case 'deduplicate':
        if (isStreamingPlan(p.child)) {
          if (p.kind === 'deduplicate' && p.withinWatermark && !hasWatermark(p.child)) {
            fail(
              'dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark',
            );
          }
        }
        break;
      default:
        break;
    }
  };
  visit(plan);
}

const JOIN_TYPE_NAMES: Record<string, string> = {
  inner: 'Inner',
  cross: 'Cross',
  left: 'LeftOuter',
  right: 'RightOuter',
  full: 'FullOuter',
  semi: 'LeftSemi',
  anti: 'LeftAnti',
};

/**
 * Spark's checkForStreamStreamJoinWatermark: an outer or semi stream-stream join must be able to
 * finalize rows — a watermarked join key, or a watermark on the other side with a time-range
 * condition that bounds the buffered side.
 */
function checkStreamStreamJoinWatermark(join: BoundJoin): void {
  const inKeys = joinKeyOrdinalForWatermark(join) !== undefined;
  const range = (which: 'left' | 'right') => stateValueBounds(join, which).length > 0;
  const valid =
    join.joinType === 'left' || join.joinType === 'semi'
      ? range('left')
      : join.joinType === 'right'
        ? range('right')
        : range('left') || range('right');
  if (!inKeys && !valid) {
    fail(
      `Stream-stream ${JOIN_TYPE_NAMES[join.joinType]} join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition`,
    );
  }
}

/**
 * Spark's checkForContinuous: continuous processing runs map-like queries only (projections and
 * filters over the sources).
 */
export function checkForContinuous(plan: BoundPlan, outputMode: OutputMode): void {
  checkForStreaming(plan, outputMode);
  const visit = (p: BoundPlan): void => {
    for (const c of boundChildren(p)) visit(c);
    switch (p.kind) {
      case 'project':
      case 'filter':
      case 'streamingScan':
      case 'watermark':
        return;
      case 'aggregate':
        fail('Continuous processing does not support Aggregate operations.');
        break;
      default:
        fail(`Continuous processing does not support ${continuousNodeName(p)} operations.`);
    }
  };
  visit(plan);
}

function continuousNodeName(p: BoundPlan): string {
  switch (p.kind) {
    case 'join':
      return 'Join';
    case 'union':
      return 'Union';
    case 'sort':
      return 'Sort';
    case 'limit':
      return 'GlobalLimit';
    case 'distinct':
    case 'deduplicate':
      return 'Deduplicate';
    case 'generate':
      return 'Generate';
    case 'windowExpand':
      return 'Expand';
    case 'scan':
      return 'LocalRelation';
    default:
      return p.kind.charAt(0).toUpperCase() + p.kind.slice(1);
  }
}
