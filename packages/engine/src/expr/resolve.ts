/**
 * The expression analyzer: resolves column names against a Scope (qualifiers, struct fields, lambda
 * variables, outer scopes), coerces types as Spark does and binds functions from the registry.
 */
import { AnalysisError, NotImplementedError, SluiceError } from '../errors.js';
import '../functions/index.js';
import {
  type BindContext,
  castExpr,
  defaultSql,
  lookupFunction,
  makeCall,
  typeMismatch,
} from '../functions/registry.js';
import type { DataType } from '../types/data-type.js';
import { castToString } from '../types/format.js';
import { Interval } from '../types/interval.js';
import { sqlTypeName, T } from '../types/types.js';
import { extractField, extractSubscript } from './access.js';
import { makeAggregate } from './aggregate.js';
import type { BoundExpr, BoundLambda, LambdaParam, Scope, ScopeField } from './bound.js';
import { canCast } from './cast.js';
import { bindBetween, bindCase, bindIn, bindLike } from './conditional.js';
import type { Expr, SourceSpan } from './expression.js';
import {
  bindArithmetic,
  bindBitwise,
  bindComparison,
  bindLogical,
  bindNegate,
  bindNot,
} from './operators.js';

export interface ResolveOptions {
  /** ANSI mode (Spark 4 default: true). */
  ansi?: boolean;
  /** Whether aggregate calls are allowed (SELECT list / HAVING of an aggregation). */
  allowAggregates?: boolean;
  /** Query start time in microseconds since the epoch (current_timestamp); defaults to now. */
  now?: number;
  /** Case-sensitive name resolution (spark.sql.caseSensitive, default false). */
  caseSensitive?: boolean;
  /** Resolves `(SELECT ...)`, `EXISTS (...)`, `x IN (SELECT ...)`; provided by the planner. */
  resolveSubquery?: (
    e: Extract<Expr, { type: 'subquery' }>,
    scope: Scope,
    operand: BoundExpr | undefined,
  ) => BoundExpr;
}

/** Spark's literal text in auto-generated names: strings unquoted, `NULL`, `DATE '...'`. */
export function literalSql(value: unknown, t: DataType): string {
  if (value === null) return 'NULL';
  switch (t.kind) {
    case 'date':
      return `DATE '${castToString(value, t)}'`;
    case 'timestamp':
      return `TIMESTAMP '${castToString(value, t)}'`;
    case 'interval':
      return `INTERVAL '${castToString(value, t)}'`;
    case 'binary':
      return `X'${Buffer.from(value as Uint8Array)
        .toString('hex')
        .toUpperCase()}'`;
    default:
      return castToString(value, t);
  }
}

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

function quoteIdent(s: string): string {
  return `\`${s.replace(/`/g, '``')}\``;
}

function qualifiedName(f: ScopeField): string {
  return [...f.qualifier, f.name].map(quoteIdent).join('.');
}

/** Up to 5 candidate names ordered by similarity to `name` (Spark's orderSuggestedIdentifiersBySimilarity). */
export function suggestNames(name: string, fields: readonly ScopeField[]): string[] {
  const target = name.toLowerCase();
  return fields
    .map((f, i) => ({ text: qualifiedName(f), d: levenshtein(target, f.name.toLowerCase()), i }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .slice(0, 5)
    .map((x) => x.text);
}

export function unresolvedColumn(
  nameParts: readonly string[],
  fields: readonly ScopeField[],
  span?: SourceSpan,
): AnalysisError {
  const name = nameParts.map(quoteIdent).join('.');
  const pos = span ? { line: span.line, column: span.column } : undefined;
  if (fields.length === 0) {
    return new AnalysisError(
      'UNRESOLVED_COLUMN.WITHOUT_SUGGESTION',
      `A column, variable, or function parameter with name ${name} cannot be resolved.`,
      pos,
    );
  }
  const suggestions = suggestNames(nameParts[nameParts.length - 1]!, fields);
  return new AnalysisError(
    'UNRESOLVED_COLUMN.WITH_SUGGESTION',
    `A column, variable, or function parameter with name ${name} cannot be resolved. Did you mean one of the following? [${suggestions.join(', ')}].`,
    pos,
  );
}

let lambdaIds = 0;

/** Functions whose auto-generated names Spark prints in upper case (`SQRT(4)`, `POWER(2, 3)`, but `pow(2, 3)`). */
const UPPERCASE_NAMES = new Set([
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atan2',
  'atanh',
  'cbrt',
  'ceil',
  'cos',
  'cosh',
  'cot',
  'csc',
  'e',
  'exp',
  'expm1',
  'floor',
  'hypot',
  'log10',
  'log1p',
  'log2',
  'log',
  'pi',
  'power',
  'sec',
  'signum',
  'sin',
  'sinh',
  'sqrt',
  'tan',
  'tanh',
  'degrees',
  'radians',
  'spark_partition_id',
  'regexp',
  'regexp_like',
]);

class Resolver implements BindContext {
  readonly ansi: boolean;
  readonly now: number;
  private readonly allowAggregates: boolean;
  private readonly caseSensitive: boolean;
  private inAggregate = false;
  private readonly lambdaScopes: LambdaParam[][] = [];

  constructor(
    private readonly scope: Scope,
    private readonly options: ResolveOptions,
  ) {
    this.ansi = options.ansi ?? true;
    this.now = options.now ?? Date.now() * 1000;
    this.allowAggregates = options.allowAggregates ?? false;
    this.caseSensitive = options.caseSensitive ?? false;
  }

  private eq(a: string, b: string): boolean {
    return this.caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
  }

  bind(e: Expr): BoundExpr {
    try {
      return this.resolve(e);
    } catch (err) {
      if (
        err instanceof SluiceError &&
        !err.position &&
        e.span &&
        (err instanceof AnalysisError || err instanceof NotImplementedError)
      ) {
        const Ctor = err.constructor as new (
          c: string,
          m: string,
          p: { line: number; column: number },
        ) => SluiceError;
        const msg = err.message.startsWith(`[${err.errorClass}] `)
          ? err.message.slice(err.errorClass.length + 3)
          : err.message;
        throw new Ctor(err.errorClass, msg, { line: e.span.line, column: e.span.column });
      }
      throw err;
    }
  }

  bindLambda(e: Expr, params: readonly { dataType: DataType; nullable: boolean }[]): BoundLambda {
    if (e.type !== 'lambda') {
      throw new AnalysisError(
        'INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION',
        `Invalid lambda function call. A lambda function should only be used in a higher order function. However, its class is ${e.type}, which is not a lambda function.`,
      );
    }
    if (e.params.length > params.length || e.params.length === 0) {
      throw new AnalysisError(
        'INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH',
        `Invalid lambda function call. A higher order function expects ${params.length} arguments, but got ${e.params.length}.`,
      );
    }
    const ps: LambdaParam[] = e.params.map((name, i) => ({
      id: lambdaIds++,
      name,
      dataType: params[i]!.dataType,
      nullable: params[i]!.nullable,
    }));
    this.lambdaScopes.push(ps);
    try {
      const body = this.bind(e.body);
      const sql = `lambdafunction(${body.sql}, ${ps.map(() => 'namedlambdavariable()').join(', ')})`;
      return { kind: 'lambda', params: ps, body, dataType: body.dataType, nullable: body.nullable, sql };
    } finally {
      this.lambdaScopes.pop();
    }
  }

  private resolve(e: Expr): BoundExpr {
    switch (e.type) {
      case 'column':
        return this.column(e.nameParts, e.span);
      case 'star':
        throw new AnalysisError(
          'INVALID_USAGE_OF_STAR_OR_REGEX',
          `Invalid usage of '*' in expression \`${e.qualifier ? `${e.qualifier.join('.')}.*` : '*'}\`.`,
        );
      case 'literal':
        return {
          kind: 'literal',
          value: e.value === undefined ? null : e.value,
          dataType: e.dataType,
          nullable: e.value === null || e.value === undefined,
          sql: literalSql(e.value ?? null, e.dataType),
        };
      case 'function':
        return this.func(e);
      case 'binary':
        return this.binary(e.op, this.bind(e.left), this.bind(e.right));
      case 'unary': {
        const x = this.bind(e.operand);
        switch (e.op) {
          case '-':
            if (
              x.kind === 'literal' &&
              typeof x.value === 'number' &&
              x.value !== 0 &&
              x.dataType.kind !== 'byte'
            ) {
              return { ...x, value: -x.value, sql: `-${x.sql}` };
            }
            return bindNegate(x, this.ansi);
          case '+':
            return { ...x, sql: `(+ ${x.sql})` };
          case 'not':
            return bindNot(x, this.ansi);
          case '~':
            return bindBitwise('~', x, null);
        }
        break;
      }
      case 'isNull': {
        const x = this.bind(e.operand);
        const sql = `(${x.sql} IS ${e.negated ? 'NOT ' : ''}NULL)`;
        if (!x.nullable)
          return { kind: 'literal', value: e.negated, dataType: T.boolean, nullable: false, sql };
        return makeCall(
          e.negated ? 'isnotnull' : 'isnull',
          [x],
          T.boolean,
          {
            nulls: 'raw',
            inline: ([v]) => `(${v} ${e.negated ? '!==' : '==='} null)`,
          },
          { sql, nullable: false },
        );
      }
      case 'isBool': {
        const x = castExpr(this.bind(e.operand), T.boolean, this.ansi);
        const word = e.value === null ? 'UNKNOWN' : e.value ? 'TRUE' : 'FALSE';
        const sql = `(${x.sql} IS ${e.negated ? 'NOT ' : ''}${word})`;
        const target = e.value === null ? 'null' : String(e.value);
        return makeCall(
          'isbool',
          [x],
          T.boolean,
          {
            nulls: 'raw',
            inline: ([v]) => `(${v} ${e.negated ? '!==' : '==='} ${target})`,
          },
          { sql, nullable: false },
        );
      }
      case 'case': {
        const operand = e.operand ? this.bind(e.operand) : undefined;
        const branches = e.branches.map((b) => {
          const w = this.bind(b.when);
          return {
            when: operand ? bindComparison('=', operand, w, this.ansi) : w,
            value: this.bind(b.then),
            rawWhen: w,
          };
        });
        const otherwise = e.otherwise ? this.bind(e.otherwise) : undefined;
        const sql = `CASE${operand ? ` ${operand.sql}` : ''}${branches.map((b) => ` WHEN ${b.rawWhen.sql} THEN ${b.value.sql}`).join('')}${otherwise ? ` ELSE ${otherwise.sql}` : ''} END`;
        return bindCase(branches, otherwise, this.ansi, sql);
      }
      case 'cast': {
        const x = this.bind(e.operand);
        const sql = `${e.safe ? 'TRY_CAST' : 'CAST'}(${x.sql} AS ${sqlTypeName(e.dataType)})`;
        if (!canCast(x.dataType, e.dataType, this.ansi)) {
          throw typeMismatch(
            sql,
            `cannot cast "${sqlTypeName(x.dataType)}" to "${sqlTypeName(e.dataType)}"`,
            'CAST_WITHOUT_SUGGESTION',
          );
        }
        return castExpr(x, e.dataType, this.ansi && !e.safe, true, e.safe ?? false);
      }
      case 'in': {
        const x = this.bind(e.operand);
        return bindIn(
          x,
          e.list.map((l) => this.bind(l)),
          e.negated,
          this.ansi,
        );
      }
      case 'between':
        return bindBetween(this.bind(e.operand), this.bind(e.low), this.bind(e.high), e.negated, this.ansi);
      case 'like':
        return bindLike(e.kind, this.bind(e.operand), this.bind(e.pattern), e.escape, e.negated, this.ansi);
      case 'lambda':
        throw new AnalysisError(
          'INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION',
          'Invalid lambda function call. A lambda function should only be used in a higher order function.',
        );
      case 'alias': {
        const x = this.bind(e.operand);
        return { ...x, sql: e.names.join(', '), alias: e.names.join(', ') } as BoundExpr;
      }
      case 'field':
        return extractField(this.bind(e.operand), e.field, this.caseSensitive);
      case 'subscript':
        return extractSubscript(this.bind(e.operand), this.bind(e.index), this.ansi);
      case 'subquery': {
        if (!this.options.resolveSubquery) {
          throw new NotImplementedError(
            'UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY',
            'Sub-query expressions are not supported here.',
          );
        }
        const operand = e.operand ? this.bind(e.operand) : undefined;
        return this.options.resolveSubquery(e, this.scope, operand);
      }
    }
    throw new AnalysisError('INTERNAL_ERROR', `unknown expression ${(e as { type: string }).type}`);
  }

  private binary(op: string, l: BoundExpr, r: BoundExpr): BoundExpr {
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case 'div':
        return bindArithmetic(op, l, r, this.ansi);
      case '=':
      case '==':
      case '<=>':
      case '!=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return bindComparison(op, l, r, this.ansi);
      case 'and':
      case 'or':
        return bindLogical(op, l, r, this.ansi);
      case '&':
      case '|':
      case '^':
        return bindBitwise(op, l, r);
      case '||': {
        const def = lookupFunction('concat')!;
        const call = def.bind!([l, r], this);
        return { ...call, sql: `concat(${l.sql}, ${r.sql})` } as BoundExpr;
      }
    }
    throw new AnalysisError('INTERNAL_ERROR', `unknown operator ${op}`);
  }

  private findInFields(
    fields: readonly ScopeField[],
    parts: readonly string[],
  ): { index: number; rest: readonly string[] } | null {
    const maxQual = Math.min(parts.length - 1, Math.max(0, ...fields.map((f) => f.qualifier.length)));
    for (let k = maxQual; k >= 0; k--) {
      const qual = parts.slice(0, k);
      const name = parts[k]!;
      const matches: number[] = [];
      fields.forEach((f, i) => {
        if (!this.eq(f.name, name)) return;
        if (k > 0) {
          if (f.qualifier.length < k) return;
          const tail = f.qualifier.slice(f.qualifier.length - k);
          if (!tail.every((q, j) => this.eq(q, qual[j]!))) return;
        }
        matches.push(i);
      });
      if (matches.length === 1) return { index: matches[0]!, rest: parts.slice(k + 1) };
      if (matches.length > 1) {
        throw new AnalysisError(
          'AMBIGUOUS_REFERENCE',
          `Reference ${parts.map(quoteIdent).join('.')} is ambiguous, could be: [${matches.map((i) => qualifiedName(fields[i]!)).join(', ')}].`,
        );
      }
    }
    return null;
  }

  private column(parts: readonly string[], span?: SourceSpan): BoundExpr {
    for (let s = this.lambdaScopes.length - 1; s >= 0; s--) {
      const p = this.lambdaScopes[s]!.find((x) => this.eq(x.name, parts[0]!));
      if (p) {
        let e: BoundExpr = {
          kind: 'lambdaVar',
          id: p.id,
          name: p.name,
          dataType: p.dataType,
          nullable: p.nullable,
          sql: 'namedlambdavariable()',
        };
        for (const f of parts.slice(1)) e = extractField(e, f, this.caseSensitive);
        return e;
      }
    }
    const found = this.findInFields(this.scope.fields, parts);
    if (found) {
      const f = this.scope.fields[found.index]!;
      let e: BoundExpr = {
        kind: 'ref',
        index: found.index,
        name: f.name,
        qualifier: f.qualifier,
        dataType: f.dataType,
        nullable: f.nullable,
        sql: f.name,
      };
      for (const x of found.rest) e = extractField(e, x, this.caseSensitive);
      return e;
    }
    let outer = this.scope.outer;
    let depth = 1;
    while (outer) {
      const o = this.findInFields(outer.fields, parts);
      if (o) {
        const f = outer.fields[o.index]!;
        let e: BoundExpr = {
          kind: 'outerRef',
          depth,
          index: o.index,
          name: f.name,
          dataType: f.dataType,
          nullable: f.nullable,
          sql: `outer(${f.name})`,
        };
        for (const x of o.rest) e = extractField(e, x, this.caseSensitive);
        return e;
      }
      outer = outer.outer;
      depth++;
    }
    throw unresolvedColumn(parts, this.scope.fields, span);
  }

  private func(e: Extract<Expr, { type: 'function' }>): BoundExpr {
    const name = e.name.toLowerCase();
    const def = lookupFunction(name);
    if (!def) {
      throw new AnalysisError(
        'UNRESOLVED_ROUTINE',
        `Cannot resolve routine ${quoteIdent(e.name)} on search path [\`system\`.\`builtin\`, \`system\`.\`session\`, \`spark_catalog\`.\`default\`].`,
      );
    }
    let rawArgs = e.args;
    const isCountStar = name === 'count' && rawArgs.length === 1 && rawArgs[0]!.type === 'star';
    if (isCountStar) rawArgs = [];
    if (!isCountStar && (rawArgs.length < def.minArgs || rawArgs.length > def.maxArgs)) {
      const expected =
        def.minArgs === def.maxArgs
          ? `${def.minArgs}`
          : def.maxArgs === Number.POSITIVE_INFINITY
            ? `> ${def.minArgs - 1}`
            : `[${Array.from({ length: def.maxArgs - def.minArgs + 1 }, (_, i) => def.minArgs + i).join(', ')}]`;
      throw new AnalysisError(
        'WRONG_NUM_ARGS.WITHOUT_SUGGESTION',
        `The \`${name}\` requires ${expected} parameters but the actual number is ${rawArgs.length}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.`,
      );
    }
    if (def.kind === 'aggregate') {
      if (!this.allowAggregates) {
        throw new AnalysisError(
          'UNSUPPORTED_EXPR_FOR_OPERATOR',
          `Aggregate function ${quoteIdent(name)} is not allowed here: aggregates are allowed only in the SELECT list, HAVING and ORDER BY of an aggregation.`,
        );
      }
      if (this.inAggregate) {
        throw new AnalysisError(
          'NESTED_AGGREGATE_FUNCTION',
          'It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.',
        );
      }
      this.inAggregate = true;
      try {
        const args = rawArgs.map((a) => this.bind(a));
        const filter = e.filter ? castExpr(this.bind(e.filter), T.boolean, this.ansi) : undefined;
        const agg = makeAggregate(
          def,
          name === 'array_agg' ? 'collect_list' : name,
          args,
          e.distinct ?? false,
          filter,
          this,
          e.ignoreNulls ?? false,
        );
        return { kind: 'aggregate', agg, dataType: agg.dataType, nullable: agg.nullable, sql: agg.sql };
      } finally {
        this.inAggregate = false;
      }
    }
    if (e.filter || e.distinct) {
      throw new AnalysisError(
        'INVALID_SQL_SYNTAX',
        `Invalid SQL syntax: ${e.distinct ? 'DISTINCT' : 'FILTER'} is only allowed in aggregate functions, not in ${quoteIdent(name)}.`,
      );
    }
    if (def.kind === 'generator') {
      throw new AnalysisError(
        'UNSUPPORTED_GENERATOR.OUTSIDE_SELECT',
        `The generator is not supported: outside the SELECT clause, found: ${name}.`,
      );
    }
    if (def.bindRaw) return def.bindRaw(rawArgs, this, name);
    const args = rawArgs.map((a) => this.bind(a));
    const bound = def.bind!(args, this, name);
    if (UPPERCASE_NAMES.has(name) && bound.sql.startsWith(`${name}(`)) {
      return { ...bound, sql: name.toUpperCase() + bound.sql.slice(name.length) } as BoundExpr;
    }
    return bound;
  }
}

/** Resolves an expression against a scope: names → ordinals, types coerced, functions bound. */
export function resolveExpr(expr: Expr, scope: Scope, options: ResolveOptions = {}): BoundExpr {
  return new Resolver(scope, options).bind(expr);
}

/** The BindContext of a scope, for binding generator and aggregate calls outside resolveExpr. */
export function bindContext(scope: Scope, options: ResolveOptions = {}): BindContext {
  return new Resolver(scope, options);
}

export { defaultSql, Interval };
