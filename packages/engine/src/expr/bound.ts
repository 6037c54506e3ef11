/**
 * Resolved ("bound") expressions: names replaced by row ordinals, types known, functions bound to
 * implementations. `compile.ts` turns these trees into JavaScript functions.
 */
import type { DataType, Row } from '../types/data-type.js';
import type { CodeGen } from './codegen.js';

/** One column visible to an expression; row position i of the input row = `Scope.fields[i]`. */
export interface ScopeField {
  name: string;
  qualifier: readonly string[];
  dataType: DataType;
  nullable: boolean;
  metadata?: Record<string, unknown>;
}

/** The columns an expression can reference; `outer` is the enclosing query's scope (correlated sub-queries). */
export interface Scope {
  fields: readonly ScopeField[];
  outer?: Scope;
}

/** How a function call is turned into code. */
export interface CallImpl {
  /** Runtime implementation over argument values (constants passed into the generated code). */
  readonly fn?: (...args: any[]) => unknown;
  /** 'strict' (default): any null argument gives null and fn is not called. 'raw': fn receives nulls. */
  readonly nulls?: 'strict' | 'raw';
  /** A pure JS expression over non-null argument expressions, used instead of calling fn. */
  readonly inline?: (args: readonly string[], g: CodeGen) => string;
  /** Complete custom code generation (lazy evaluation: AND/OR, CASE, COALESCE, lambdas). */
  readonly gen?: (g: CodeGen, args: readonly BoundExpr[]) => string;
  /** Not deterministic (rand, uuid): never constant-folded. */
  readonly nondeterministic?: boolean;
}

interface BoundBase {
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** Spark's pretty SQL text of the expression, used for auto-generated column names and EXPLAIN. */
  readonly sql: string;
  /** Set when the expression was written `expr AS name` (struct field names, output column names). */
  readonly alias?: string;
}

export interface BoundRef extends BoundBase {
  readonly kind: 'ref';
  readonly index: number;
  readonly name: string;
  readonly qualifier: readonly string[];
}

/** A column of an enclosing query (depth 1 = the immediately enclosing scope). */
export interface BoundOuterRef extends BoundBase {
  readonly kind: 'outerRef';
  readonly depth: number;
  readonly index: number;
  readonly name: string;
}

export interface BoundLiteral extends BoundBase {
  readonly kind: 'literal';
  readonly value: unknown;
}

/** Time-window facts of a `window(...)` call, for the planner's Expand of sliding windows. */
export interface TimeWindowSpec {
  readonly timeColumn: BoundExpr;
  readonly sizeMicros: number;
  readonly slideMicros: number;
  readonly startMicros: number;
}

export interface BoundCall extends BoundBase {
  readonly kind: 'call';
  /** Lower-case function or operator name (`add`, `upper`, `cast`, `case`, `and`). */
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly impl: CallImpl;
  /** Set on `window(...)`. */
  readonly timeWindow?: TimeWindowSpec;
  /** Set on `session_window(ts, gap)`: a marker the streaming session-window operator handles. */
  readonly sessionWindow?: { readonly timeColumn: BoundExpr; readonly gap: BoundExpr };
  /** Set on `getfield` (`base.field` of a struct): the field's name. */
  readonly fieldName?: string;
  /**
   * Set on a PERMISSIVE `from_json`: the same call reading a narrower schema (the optimizer prunes
   * the fields nothing reads, as Spark's OptimizeCsvJsonExprs does).
   */
  readonly withJsonSchema?: (args: readonly BoundExpr[], schema: DataType) => BoundExpr;
}

export interface LambdaParam {
  readonly id: number;
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
}

export interface BoundLambda extends BoundBase {
  readonly kind: 'lambda';
  readonly params: readonly LambdaParam[];
  readonly body: BoundExpr;
}

export interface BoundLambdaVar extends BoundBase {
  readonly kind: 'lambdaVar';
  readonly id: number;
  readonly name: string;
}

/** An aggregate call inside an expression (`sum(a) + 1`); the planner replaces it by a reference to the aggregated value. */
export interface BoundAggregateCall extends BoundBase {
  readonly kind: 'aggregate';
  readonly agg: BoundAggregate;
}

export type BoundExpr =
  | BoundRef
  | BoundOuterRef
  | BoundLiteral
  | BoundCall
  | BoundLambda
  | BoundLambdaVar
  | BoundAggregateCall;

/** The running state of one aggregate for one group. */
export interface AggregateBuffer {
  /** Adds one input row (the aggregate evaluates its arguments and FILTER over it). */
  update(row: Row): void;
  /** Merges another buffer of the same aggregate into this one. */
  merge(other: AggregateBuffer): void;
  /** The aggregate's value. */
  result(): unknown;
  /** JSON-serializable state; `BoundAggregate.fromState` restores it (for the state store). */
  toState(): unknown;
}

/** A bound aggregate call: `count(DISTINCT x) FILTER (WHERE y > 0)`. */
export interface BoundAggregate {
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly distinct: boolean;
  readonly filter?: BoundExpr;
  readonly dataType: DataType;
  readonly nullable: boolean;
  readonly sql: string;
  create(): AggregateBuffer;
  fromState(state: unknown): AggregateBuffer;
}

/** A bound generator (`explode(arr)`): each input row yields zero or more output rows of `outputFields`. */
export interface BoundGenerator {
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly outputFields: ScopeField[];
  /** `_outer` variants: a row with no output yields one row of nulls. */
  readonly outer: boolean;
  readonly sql: string;
  generate(row: Row): Row[];
}
