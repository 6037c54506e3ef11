/**
 * The function registry: every built-in scalar, aggregate and generator function by its lower-case
 * Spark name, plus the helpers function families use to bind arguments (implicit casts, call nodes).
 */
import { AnalysisError } from '../errors.js';
import type { BoundExpr, BoundLambda, CallImpl, ScopeField, TimeWindowSpec } from '../expr/bound.js';
import { canCast, makeCast } from '../expr/cast.js';
import { compileExpr } from '../expr/codegen.js';
import type { Expr } from '../expr/expression.js';
import type { DataType, Row } from '../types/data-type.js';
import { isIntegral, isNumeric, sameType, sqlTypeName, T } from '../types/types.js';

/** What a function binder can ask of the resolver. */
export interface BindContext {
  readonly ansi: boolean;
  /** Query start time in microseconds (current_timestamp and friends are constant within a query). */
  readonly now: number;
  /** Binds a lambda argument given its parameters' types (higher-order functions). */
  bindLambda(e: Expr, params: readonly { dataType: DataType; nullable: boolean }[]): BoundLambda;
  /** Binds a plain argument (used by `bindRaw` functions for their non-lambda arguments). */
  bind(e: Expr): BoundExpr;
}

/** Abstract argument types for implicit casts (Spark's AbstractDataType). */
export type ArgType =
  | DataType
  | 'any'
  | 'numeric'
  | 'integral'
  | 'array'
  | 'map'
  | 'struct'
  | 'stringOrBinary'
  | 'dateOrTimestamp';

/** A bound aggregate's behaviour, created per group. */
export interface Accumulator {
  /** Adds the argument values of one row (nulls included; the accumulator decides). */
  add(values: readonly unknown[]): void;
  /** Fast path for one-argument aggregates: the argument value of one row. */
  add1?(value: unknown): void;
  /** Fast path for `count(*)`-like aggregates that ignore argument values. */
  addRow?(): void;
  merge(other: Accumulator): void;
  result(): unknown;
  toState(): unknown;
}

export interface AggregateSpec {
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** Arguments after implicit casts. */
  readonly args: readonly BoundExpr[];
  create(): Accumulator;
  fromState(state: unknown): Accumulator;
  /** Whether DISTINCT changes nothing (min, max) — the buffer then skips the distinct set. */
  readonly distinctInsensitive?: boolean;
}

export interface GeneratorSpec {
  readonly outputFields: ScopeField[];
  readonly args: readonly BoundExpr[];
  /** Rows produced from the argument values (null-tolerant). */
  generate(values: readonly unknown[]): Row[];
}

export interface FunctionDef {
  readonly name: string;
  readonly kind: 'scalar' | 'aggregate' | 'generator';
  /** Minimum and maximum argument counts (max Infinity for varargs). */
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Scalar: bind resolved arguments to a call; `calledName` is the name (or alias) the query used. */
  bind?(args: BoundExpr[], ctx: BindContext, calledName?: string): BoundExpr;
  /** Scalar with lambda arguments: bind from the unresolved arguments. */
  bindRaw?(args: readonly Expr[], ctx: BindContext, calledName?: string): BoundExpr;
  bindAggregate?(args: BoundExpr[], ctx: BindContext): AggregateSpec;
  bindGenerator?(args: BoundExpr[], ctx: BindContext): GeneratorSpec;
}

const registry = new Map<string, FunctionDef>();

export function registerFunction(def: FunctionDef, ...aliases: string[]): void {
  registry.set(def.name, def);
  for (const a of aliases) registry.set(a, { ...def, name: a });
}

export function lookupFunction(name: string): FunctionDef | undefined {
  return registry.get(name.toLowerCase());
}

/** Every registered function name, sorted. */
export function functionNames(): string[] {
  // Anonymous UDFs live under hidden names (`\u0002udf<n>`): never listed.
  return [...registry.keys()].filter((n) => !n.startsWith('\u0002')).sort();
}

export function isAggregateFunction(name: string): boolean {
  return registry.get(name.toLowerCase())?.kind === 'aggregate';
}

export function isGeneratorFunction(name: string): boolean {
  return registry.get(name.toLowerCase())?.kind === 'generator';
}

// ---------------------------------------------------------------------------------------------
// Building call nodes

export interface CallOptions {
  nullable?: boolean;
  sql?: string;
  timeWindow?: TimeWindowSpec;
  sessionWindow?: { timeColumn: BoundExpr; gap: BoundExpr };
}

export function defaultSql(name: string, args: readonly BoundExpr[]): string {
  return `${name}(${args.map((a) => a.sql).join(', ')})`;
}

/** A call node; nullable defaults to "any argument nullable" for strict calls and true otherwise. */
export function makeCall(
  name: string,
  args: readonly BoundExpr[],
  dataType: DataType,
  impl: CallImpl,
  opts: CallOptions = {},
): BoundExpr {
  const nullable = opts.nullable ?? (impl.nulls === 'raw' || impl.gen ? true : args.some((a) => a.nullable));
  return {
    kind: 'call',
    name,
    args,
    impl,
    dataType,
    nullable,
    sql: opts.sql ?? defaultSql(name, args),
    ...(opts.timeWindow ? { timeWindow: opts.timeWindow } : {}),
    ...(opts.sessionWindow ? { sessionWindow: opts.sessionWindow } : {}),
  };
}

export function literal(value: unknown, dataType: DataType, sql?: string): BoundExpr {
  return { kind: 'literal', value, dataType, nullable: value === null, sql: sql ?? String(value) };
}

/**
 * A cast node. `explicit` casts print as `CAST(x AS T)`; implicit ones keep the child's name as Spark's
 * pretty names do. `ansi` false gives null on bad input (also TRY_CAST).
 */
export function castExpr(
  e: BoundExpr,
  to: DataType,
  ansi: boolean,
  explicit = false,
  tryCast = false,
): BoundExpr {
  const sql = explicit ? `${tryCast ? 'TRY_CAST' : 'CAST'}(${e.sql} AS ${sqlTypeName(to)})` : e.sql;
  if (sameType(e.dataType, to) && sameType(to, e.dataType)) {
    return explicit ? { ...e, sql } : e;
  }
  if (e.kind === 'literal' && e.value === null)
    return { kind: 'literal', value: null, dataType: to, nullable: true, sql };
  if (!canCast(e.dataType, to, false)) {
    throw typeMismatch(
      `CAST(${e.sql} AS ${sqlTypeName(to)})`,
      `cannot cast "${sqlTypeName(e.dataType)}" to "${sqlTypeName(to)}"`,
      'CAST_WITHOUT_SUGGESTION',
    );
  }
  const fn = makeCast(e.dataType, to, ansi, tryCast);
  if (!fn) return { ...e, dataType: to, sql } as BoundExpr;
  const mayFail = !ansi && e.dataType.kind !== to.kind;
  const nullable = e.nullable || mayFail || (e.dataType.kind === 'date' && isNumeric(to));
  return makeCall('cast', [e], to, { fn }, { nullable, sql });
}

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];

export function ordinal(i: number): string {
  return ORDINALS[i] ?? `${i + 1}th`;
}

function argTypeText(t: ArgType): string {
  if (typeof t === 'object') return `"${sqlTypeName(t)}"`;
  switch (t) {
    case 'numeric':
      return '"NUMERIC"';
    case 'integral':
      return '"INTEGRAL"';
    case 'array':
      return '"ARRAY"';
    case 'map':
      return '"MAP"';
    case 'struct':
      return '"STRUCT"';
    case 'stringOrBinary':
      return '("STRING" or "BINARY")';
    case 'dateOrTimestamp':
      return '("DATE" or "TIMESTAMP")';
    default:
      return '"ANY"';
  }
}

export function typeMismatch(
  callSql: string,
  detail: string,
  subclass = 'UNEXPECTED_INPUT_TYPE',
): AnalysisError {
  return new AnalysisError(
    `DATATYPE_MISMATCH.${subclass}`,
    `Cannot resolve "${callSql}" due to data type mismatch: ${detail}.`,
  );
}

function implicitTarget(from: DataType, t: ArgType): DataType | null {
  if (typeof t === 'object') {
    if (sameType(from, t)) return from;
    if (from.kind === 'null') return t;
    if (isNumeric(from) && isNumeric(t)) return t;
    if (
      t.kind === 'string' &&
      (isNumeric(from) ||
        from.kind === 'date' ||
        from.kind === 'timestamp' ||
        from.kind === 'boolean' ||
        from.kind === 'binary')
    )
      return t;
    if (
      from.kind === 'string' &&
      (isNumeric(t) ||
        t.kind === 'date' ||
        t.kind === 'timestamp' ||
        t.kind === 'binary' ||
        t.kind === 'boolean' ||
        t.kind === 'interval')
    )
      return t;
    if (from.kind === 'date' && t.kind === 'timestamp') return t;
    if (from.kind === 'timestamp' && t.kind === 'date') return t;
    if (from.kind === 'array' && t.kind === 'array') {
      const e = implicitTarget(from.elementType, t.elementType);
      return e ? { kind: 'array', elementType: e, containsNull: from.containsNull } : null;
    }
    return null;
  }
  switch (t) {
    case 'any':
      return from;
    case 'numeric':
      if (isNumeric(from)) return from;
      if (from.kind === 'string') return T.double;
      if (from.kind === 'null') return T.double;
      return null;
    case 'integral':
      if (isIntegral(from)) return from;
      if (from.kind === 'string' || from.kind === 'null') return T.long;
      return null;
    case 'array':
    case 'map':
    case 'struct':
      return from.kind === t ? from : null;
    case 'stringOrBinary':
      if (from.kind === 'string' || from.kind === 'binary') return from;
      if (
        from.kind === 'null' ||
        isNumeric(from) ||
        from.kind === 'date' ||
        from.kind === 'timestamp' ||
        from.kind === 'boolean'
      )
        return T.string;
      return null;
    case 'dateOrTimestamp':
      if (from.kind === 'date' || from.kind === 'timestamp') return from;
      if (from.kind === 'string' || from.kind === 'null') return T.timestamp;
      return null;
  }
}

/** Casts argument i to the expected type as Spark's ImplicitCastInputTypes does, or raises DATATYPE_MISMATCH. */
export function coerceArg(
  fnName: string,
  args: readonly BoundExpr[],
  i: number,
  expected: ArgType,
  ctx: { ansi: boolean },
): BoundExpr {
  const a = args[i]!;
  const target = implicitTarget(a.dataType, expected);
  if (!target) {
    throw typeMismatch(
      defaultSql(fnName, args),
      `The ${ordinal(i)} parameter requires the ${argTypeText(expected)} type, however "${a.sql}" has the type "${sqlTypeName(a.dataType)}"`,
    );
  }
  return castExpr(a, target, ctx.ansi);
}

/** Coerces every argument to its expected type (the last expected type repeats for varargs). */
export function coerceArgs(
  fnName: string,
  args: readonly BoundExpr[],
  expected: readonly ArgType[],
  ctx: { ansi: boolean },
): BoundExpr[] {
  return args.map((_, i) =>
    coerceArg(fnName, args, i, expected[Math.min(i, expected.length - 1)] ?? 'any', ctx),
  );
}

export interface SimpleSpec {
  args: readonly ArgType[];
  /** Required argument count range; defaults to args.length. */
  min?: number;
  max?: number;
  ret: DataType | ((args: readonly BoundExpr[], ctx: BindContext) => DataType);
  fn?: (...args: any[]) => unknown;
  inline?: CallImpl['inline'];
  nulls?: 'strict' | 'raw';
  nullable?: boolean | ((args: readonly BoundExpr[]) => boolean);
  nondeterministic?: boolean;
  /** Builds the implementation knowing the coerced argument types (e.g. type-specific comparators). */
  make?: (args: readonly BoundExpr[], ctx: BindContext) => CallImpl;
  sql?: (args: readonly BoundExpr[]) => string;
  /** Texts of omitted trailing arguments, shown in the auto-generated name as Spark does (`substring(s, 5, 2147483647)`). */
  sqlDefaults?: readonly string[];
  /** Name calls by the primary name even when called through an alias (Spark's `dateadd` → `date_add(...)`). */
  canonical?: boolean;
}

/** Registers a scalar function with implicit argument casts and a fixed or computed result type. */
export function defineScalar(name: string, spec: SimpleSpec, ...aliases: string[]): void {
  registerFunction(
    {
      name,
      kind: 'scalar',
      minArgs: spec.min ?? spec.args.length,
      maxArgs: spec.max ?? spec.args.length,
      bind(raw, ctx, calledName) {
        const shown = spec.canonical || !calledName ? name : calledName;
        const args = coerceArgs(name, raw, spec.args, ctx);
        const impl: CallImpl = spec.make
          ? spec.make(args, ctx)
          : {
              ...(spec.fn ? { fn: spec.fn } : {}),
              ...(spec.inline ? { inline: spec.inline } : {}),
              ...(spec.nulls ? { nulls: spec.nulls } : {}),
              ...(spec.nondeterministic ? { nondeterministic: true } : {}),
            };
        const dataType = typeof spec.ret === 'function' ? spec.ret(args, ctx) : spec.ret;
        const nullable = typeof spec.nullable === 'function' ? spec.nullable(args) : spec.nullable;
        let sql = spec.sql ? spec.sql(args) : undefined;
        if (!sql && (shown !== name || spec.sqlDefaults)) {
          const parts = args.map((a) => a.sql);
          const min = spec.min ?? spec.args.length;
          if (spec.sqlDefaults)
            for (let i = args.length; i < min + spec.sqlDefaults.length; i++)
              parts.push(spec.sqlDefaults[i - min]!);
          sql = `${shown}(${parts.join(', ')})`;
        }
        return makeCall(name, args, dataType, impl, {
          ...(nullable !== undefined ? { nullable } : {}),
          ...(sql ? { sql } : {}),
        });
      },
    },
    ...aliases,
  );
}

function foldable(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'literal':
      return true;
    case 'call':
      return !e.impl.nondeterministic && e.args.every(foldable);
    default:
      return false;
  }
}

/** A foldable integer argument (`round(x, 2)`), or DATATYPE_MISMATCH. */
export function intConstantArg(fnName: string, e: BoundExpr): number {
  const v = constantArg(fnName, e);
  const n = typeof v === 'number' ? v : Number.NaN;
  if (!Number.isInteger(n) || !isIntegral(e.dataType)) {
    throw typeMismatch(
      fnName,
      `The parameter "${e.sql}" requires an integer literal of the "INT" type, however it has the type "${sqlTypeName(e.dataType)}"`,
    );
  }
  return n;
}

/** The value of a foldable argument (literals and deterministic calls over literals), or throws. */
export function constantArg(fnName: string, e: BoundExpr): unknown {
  if (e.kind === 'literal') return e.value;
  if (foldable(e)) return compileExpr(e)([]);
  throw new AnalysisError(
    'DATATYPE_MISMATCH.NON_FOLDABLE_INPUT',
    `Cannot resolve "${fnName}" due to data type mismatch: the input "${e.sql}" should be a foldable expression.`,
  );
}
