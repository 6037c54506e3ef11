/**
 * The slice of the EXPR engineer's API (`expr/index.ts`) the planner uses, in one place so the
 * plan/exec code adapts to it here only.
 */
import { AnalysisError } from '../errors.js';
import type { Expr } from '../expr/expression.js';
import { resolveGenerator } from '../expr/generator.js';
import type { BoundAggregate, BoundExpr, BoundGenerator, Scope } from '../expr/index.js';
import { findWiderType, Interval, intervalToMicros, parseIntervalString } from '../expr/index.js';
import { resolveExpr } from '../expr/resolve.js';
import type { DataType } from '../types/data-type.js';

export type {
  AggregateBuffer,
  BoundAggregate,
  BoundExpr,
  BoundGenerator,
  Scope,
  ScopeField,
} from '../expr/index.js';
export {
  compileExpr,
  compilePredicate,
  compileProjection,
  formatValue,
  isAggregateFunction,
  makeComparator,
  resolveExpr,
  valueKey,
} from '../expr/index.js';

/** Spark's SQL text of a bound expression (auto-generated column names, EXPLAIN). */
export function describe(e: { readonly sql: string }): string {
  return e.sql;
}

/** The row ordinal a bound expression reads when it is a plain column reference. */
export function refIndex(e: BoundExpr): number | undefined {
  return e.kind === 'ref' ? e.index : undefined;
}

/** Binds an aggregate call (`sum(x)`, `count(DISTINCT y)`) over the scope. */
export function bindAggregate(e: Expr, scope: Scope, ansi: boolean): BoundAggregate {
  const b = resolveExpr(e, scope, { ansi, allowAggregates: true });
  if (b.kind !== 'aggregate')
    throw new AnalysisError('INTERNAL_ERROR', `Expected an aggregate function call, got ${b.sql}.`);
  return b.agg;
}

/** Binds a generator call (`explode(arr)`) over the scope. */
export function bindGenerator(e: Expr, scope: Scope, ansi: boolean, outer: boolean): BoundGenerator {
  void outer;
  return resolveGenerator(e, scope, { ansi });
}

/** The wider common type of two column types (UNION), or null. */
export function widerType(a: DataType, b: DataType): DataType | null {
  return findWiderType(a, b, true);
}

/** `'10 seconds'` / `'INTERVAL 1 MINUTE'` → milliseconds (months count as 31 days, as Spark's watermark). */
export function intervalToMillis(text: string): number {
  const i = parseIntervalString(text);
  return Math.floor(
    (i.months * 31 * 86_400_000_000 + intervalToMicros(new Interval(0, i.days, i.micros))) / 1000,
  );
}
