import type { BoundExpr } from '../../expr/bound.js';
import type { BoundPlan } from '../../plan/bound-plan.js';

/** An event-time column: a watermarked timestamp, or a time window over one (compared by its end). */
export interface EventTimeColumn {
  readonly kind: 'timestamp' | 'window';
  readonly delayMs: number;
}

const WATERMARK_KEY = 'spark.watermarkDelayMs';

/**
 * Whether column `index` of `p`'s output carries event time, as Spark's `spark.watermarkDelayMs`
 * attribute metadata does: the `withWatermark` column itself, and what is derived from it without
 * changing its meaning — references and aliases through projections, filters, unions and grouping
 * keys, `window(...)` over it, `window_time(window)`.
 */
export function eventTimeOf(p: BoundPlan, index: number): EventTimeColumn | undefined {
  const field = p.output[index];
  if (!field) return undefined;
  const delay = field.metadata?.[WATERMARK_KEY];
  if (typeof delay === 'number' && field.dataType.kind === 'timestamp')
    return { kind: 'timestamp', delayMs: delay };
  switch (p.kind) {
    case 'watermark':
      if (p.column === index) return { kind: 'timestamp', delayMs: p.delayMs };
      return eventTimeOf(p.child, index);
    case 'filter':
    case 'sort':
    case 'limit':
    case 'distinct':
    case 'deduplicate':
      return eventTimeOf(p.child, index);
    case 'project':
      return exprEventTime(p.exprs[index], p.child);
    case 'aggregate':
      return index < p.groupings.length ? exprEventTime(p.groupings[index], p.child) : undefined;
    case 'windowExpand':
      if (index === p.child.output.length) {
        const t = exprEventTime(p.timeExpr, p.child);
        return t && { kind: 'window', delayMs: t.delayMs };
      }
      return eventTimeOf(p.child, index);
    case 'sessionWindow':
      // The session column is event time compared by its end, like a time window.
      if (index === p.child.output.length) {
        const t = exprEventTime(p.eventWindow, p.child);
        return t && { kind: 'window', delayMs: t.delayMs };
      }
      return eventTimeOf(p.child, index);
    case 'generate':
      return index < p.child.output.length ? eventTimeOf(p.child, index) : undefined;
    case 'union':
      return p.children[0] && eventTimeOf(p.children[0], index);
    case 'join': {
      // Both sides' columns keep their watermark metadata (the nullable side's too), as in Spark.
      const n = p.left.output.length;
      if (index < n) return eventTimeOf(p.left, index);
      return p.joinType === 'semi' || p.joinType === 'anti' ? undefined : eventTimeOf(p.right, index - n);
    }
    default:
      return undefined;
  }
}

function exprEventTime(e: BoundExpr | undefined, child: BoundPlan): EventTimeColumn | undefined {
  if (!e) return undefined;
  if (e.kind === 'ref') return eventTimeOf(child, e.index);
  if (e.kind === 'call') {
    if (e.timeWindow) {
      const t = exprEventTime(e.timeWindow.timeColumn, child);
      return t && { kind: 'window', delayMs: t.delayMs };
    }
    if (e.sessionWindow) {
      const t = exprEventTime(e.sessionWindow.timeColumn, child);
      return t && { kind: 'window', delayMs: t.delayMs };
    }
    if (e.name === 'window_time' && e.args[0]) {
      const t = exprEventTime(e.args[0], child);
      return t && { kind: 'timestamp', delayMs: t.delayMs };
    }
    if (e.name === 'alias' && e.args[0]) return exprEventTime(e.args[0], child);
  }
  return undefined;
}

/** The first event-time column among `exprs` (grouping keys), with its position. */
export function eventTimeKey(
  exprs: readonly BoundExpr[],
  child: BoundPlan,
): { index: number; column: EventTimeColumn } | undefined {
  for (let i = 0; i < exprs.length; i++) {
    const c = exprEventTime(exprs[i], child);
    if (c) return { index: i, column: c };
  }
  return undefined;
}

/** The first event-time column of `p`'s output. */
export function eventTimeColumnOf(p: BoundPlan): { index: number; column: EventTimeColumn } | undefined {
  for (let i = 0; i < p.output.length; i++) {
    const c = eventTimeOf(p, i);
    if (c) return { index: i, column: c };
  }
  return undefined;
}

/**
 * The event time (microseconds) Spark compares with the watermark: a timestamp itself, a
 * window's end (`window.end <= watermark` means the window is complete). Null: never late.
 */
export function eventTimeMicros(value: unknown, kind: EventTimeColumn['kind']): number | null {
  if (value === null || value === undefined) return null;
  if (kind === 'timestamp') return value as number;
  const end = (value as unknown[])[1];
  return end === null || end === undefined ? null : (end as number);
}
