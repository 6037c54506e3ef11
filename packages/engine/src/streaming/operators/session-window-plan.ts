import { NotImplementedError } from '../../errors.js';
import type { BoundAggregatePlan, BoundSessionWindow } from '../../plan/bound-plan.js';
import type { OutputMode } from '../../sinks/sink.js';
import type { SessionWindowAggregateConfig } from './session-window-exec.js';

/**
 * The session-window operator's config for `aggregate(sessionWindow(child))`: the grouping key that
 * is the session column (the one the session-window node appends to its child's row).
 */
export function sessionAggregateConfig(
  agg: BoundAggregatePlan,
  sw: BoundSessionWindow,
  operatorId: number,
  outputMode: OutputMode,
): { kind: 'sessionAggregate' } & SessionWindowAggregateConfig {
  const column = sw.child.output.length;
  const sessionIndex = agg.groupings.findIndex((g) => g.kind === 'ref' && g.index === column);
  if (sessionIndex < 0) {
    throw new NotImplementedError(
      'STREAMING_SESSION_WINDOW',
      'A streaming session_window must be a grouping key by itself (not inside another expression).',
    );
  }
  return {
    kind: 'sessionAggregate',
    operatorId,
    groupings: agg.groupings,
    sessionIndex,
    eventWindow: sw.eventWindow,
    aggregates: agg.aggregates,
    outputMode,
  };
}
