/**
 * The expression layer's public API: resolution (names → ordinals, Spark's type coercion, function
 * binding), compilation of bound trees to JavaScript functions, aggregates, generators, time windows,
 * intervals and Spark's value formatting.
 */

export { parseJsonSchema } from '../functions/json.js';
export { castExpr, functionNames, isAggregateFunction, isGeneratorFunction } from '../functions/registry.js';
export { Decimal } from '../types/decimal.js';
export {
  castToString,
  formatDouble,
  formatFloat,
  formatValue,
  valueFromJson,
  valueToJson,
} from '../types/format.js';
export { Interval, intervalToMicros, parseIntervalString } from '../types/interval.js';
export type {
  AggregateBuffer,
  BoundAggregate,
  BoundAggregateCall,
  BoundCall,
  BoundExpr,
  BoundGenerator,
  BoundLambda,
  BoundLiteral,
  BoundRef,
  CallImpl,
  LambdaParam,
  Scope,
  ScopeField,
  TimeWindowSpec,
} from './bound.js';
export { canCast, makeCast } from './cast.js';
export { CodeGen, type CompiledExpr, compileExpr, compilePredicate, compileProjection } from './codegen.js';
export { comparisonType, findWiderType, findWiderTypeOfAll, widerNumeric } from './coercion.js';
export { type Comparator, makeComparator, makeEquals, valueKey } from './compare.js';
export type { Expr, SourceSpan } from './expression.js';
export { resolveGenerator } from './generator.js';
export {
  bindContext,
  literalSql,
  type ResolveOptions,
  resolveExpr,
  suggestNames,
  unresolvedColumn,
} from './resolve.js';
export { tumblingWindowStart, windowStarts } from './window.js';

import type { BoundExpr } from './bound.js';

/** Spark's pretty SQL text of a bound expression: `(a + 1)`, `count(1)`, `CAST(x AS STRING)`, `upper(name)`. */
export function describe(e: BoundExpr | { readonly sql: string }): string {
  return e.sql;
}

/** Whether an expression has no column references and is deterministic (constant-foldable). */
export function isFoldable(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'literal':
      return true;
    case 'call':
      return !e.impl.nondeterministic && e.args.every(isFoldable);
    default:
      return false;
  }
}
