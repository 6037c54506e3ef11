import { AnalysisError } from '../errors.js';
import type { BinaryOperator, Expr } from '../expr/expression.js';
import { splitName } from '../plan/analyzer.js';
import { parseDataType } from '../sql/index.js';
import type { DataType } from '../types/data-type.js';

/** A value a Column method accepts: another Column or a JS literal (number, string, boolean, null, Date…). */
export type ColumnLike = Column | unknown;

/**
 * Spark's Column: an unresolved expression (`expr`) plus, for sort keys, the sort direction.
 * Build with `col('a')`, `lit(1)`, `expr('a + 1')` or the `functions` module; combine with Spark's
 * method names (`plus`, `gt`, `and`, `alias`, `cast`, `desc`, …).
 */
export class Column {
  constructor(
    readonly expr: Expr,
    /** Set by asc()/desc() and friends. */
    readonly sort?: { readonly ascending: boolean; readonly nullsFirst: boolean },
  ) {}

  private bin(op: BinaryOperator, other: ColumnLike): Column {
    return new Column({ type: 'binary', op, left: this.expr, right: toExpr(other) });
  }

  plus(o: ColumnLike): Column {
    return this.bin('+', o);
  }
  minus(o: ColumnLike): Column {
    return this.bin('-', o);
  }
  multiply(o: ColumnLike): Column {
    return this.bin('*', o);
  }
  divide(o: ColumnLike): Column {
    return this.bin('/', o);
  }
  mod(o: ColumnLike): Column {
    return this.bin('%', o);
  }
  equalTo(o: ColumnLike): Column {
    return this.bin('=', o);
  }
  eq(o: ColumnLike): Column {
    return this.bin('=', o);
  }
  notEqual(o: ColumnLike): Column {
    return this.bin('!=', o);
  }
  ne(o: ColumnLike): Column {
    return this.bin('!=', o);
  }
  eqNullSafe(o: ColumnLike): Column {
    return this.bin('<=>', o);
  }
  gt(o: ColumnLike): Column {
    return this.bin('>', o);
  }
  lt(o: ColumnLike): Column {
    return this.bin('<', o);
  }
  geq(o: ColumnLike): Column {
    return this.bin('>=', o);
  }
  ge(o: ColumnLike): Column {
    return this.bin('>=', o);
  }
  leq(o: ColumnLike): Column {
    return this.bin('<=', o);
  }
  le(o: ColumnLike): Column {
    return this.bin('<=', o);
  }
  and(o: ColumnLike): Column {
    return this.bin('and', o);
  }
  or(o: ColumnLike): Column {
    return this.bin('or', o);
  }
  bitwiseAND(o: ColumnLike): Column {
    return this.bin('&', o);
  }
  bitwiseOR(o: ColumnLike): Column {
    return this.bin('|', o);
  }
  bitwiseXOR(o: ColumnLike): Column {
    return this.bin('^', o);
  }
  not(): Column {
    return new Column({ type: 'unary', op: 'not', operand: this.expr });
  }
  negate(): Column {
    return new Column({ type: 'unary', op: '-', operand: this.expr });
  }
  isNull(): Column {
    return new Column({ type: 'isNull', operand: this.expr, negated: false });
  }
  isNotNull(): Column {
    return new Column({ type: 'isNull', operand: this.expr, negated: true });
  }
  isNaN(): Column {
    return new Column({ type: 'function', name: 'isnan', args: [this.expr] });
  }
  isin(...values: ColumnLike[]): Column {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
    return new Column({ type: 'in', operand: this.expr, list: list.map(toExpr), negated: false });
  }
  between(low: ColumnLike, high: ColumnLike): Column {
    return new Column({
      type: 'between',
      operand: this.expr,
      low: toExpr(low),
      high: toExpr(high),
      negated: false,
    });
  }
  like(pattern: string): Column {
    return new Column({
      type: 'like',
      kind: 'like',
      operand: this.expr,
      pattern: toExpr(pattern),
      negated: false,
    });
  }
  ilike(pattern: string): Column {
    return new Column({
      type: 'like',
      kind: 'ilike',
      operand: this.expr,
      pattern: toExpr(pattern),
      negated: false,
    });
  }
  rlike(pattern: string): Column {
    return new Column({
      type: 'like',
      kind: 'rlike',
      operand: this.expr,
      pattern: toExpr(pattern),
      negated: false,
    });
  }
  startsWith(o: ColumnLike): Column {
    return call('startswith', this.expr, toExpr(o));
  }
  endsWith(o: ColumnLike): Column {
    return call('endswith', this.expr, toExpr(o));
  }
  contains(o: ColumnLike): Column {
    return call('contains', this.expr, toExpr(o));
  }
  substr(pos: ColumnLike, len: ColumnLike): Column {
    return call('substring', this.expr, toExpr(pos), toExpr(len));
  }
  getItem(key: ColumnLike): Column {
    return new Column({ type: 'subscript', operand: this.expr, index: toExpr(key) });
  }
  getField(name: string): Column {
    return new Column({ type: 'field', operand: this.expr, field: name });
  }
  /** `alias('a')`, or several names for a generator (`alias('k', 'v')`). */
  alias(...names: string[]): Column {
    return new Column({ type: 'alias', operand: this.expr, names }, this.sort);
  }
  as(...names: string[]): Column {
    return this.alias(...names);
  }
  name(n: string): Column {
    return this.alias(n);
  }
  /** `cast('int')`, `cast('array<string>')` or a DataType. */
  cast(to: string | DataType): Column {
    const dataType = typeof to === 'string' ? parseDataType(to) : to;
    return new Column({ type: 'cast', operand: this.expr, dataType });
  }
  astype(to: string | DataType): Column {
    return this.cast(to);
  }
  try_cast(to: string | DataType): Column {
    const dataType = typeof to === 'string' ? parseDataType(to) : to;
    return new Column({ type: 'cast', operand: this.expr, dataType, safe: true });
  }
  /** CASE WHEN chained on a `when(...)` column. */
  when(condition: Column, value: ColumnLike): Column {
    const e = this.expr;
    if (e.type !== 'case' || e.otherwise)
      throw new AnalysisError(
        'INVALID_WHEN_USAGE',
        'when() can only be applied on a Column previously generated by when() function, and cannot be applied once otherwise() is applied.',
      );
    // biome-ignore lint/suspicious/noThenProperty: the Expr contract names a CASE branch result `then`
    return new Column({ ...e, branches: [...e.branches, { when: condition.expr, then: toExpr(value) }] });
  }
  otherwise(value: ColumnLike): Column {
    const e = this.expr;
    if (e.type !== 'case' || e.otherwise)
      throw new AnalysisError(
        'INVALID_OTHERWISE_USAGE',
        'otherwise() can only be applied on a Column previously generated by when(), and only once.',
      );
    return new Column({ ...e, otherwise: toExpr(value) });
  }
  asc(): Column {
    return new Column(this.expr, { ascending: true, nullsFirst: true });
  }
  asc_nulls_first(): Column {
    return new Column(this.expr, { ascending: true, nullsFirst: true });
  }
  asc_nulls_last(): Column {
    return new Column(this.expr, { ascending: true, nullsFirst: false });
  }
  desc(): Column {
    return new Column(this.expr, { ascending: false, nullsFirst: false });
  }
  desc_nulls_first(): Column {
    return new Column(this.expr, { ascending: false, nullsFirst: true });
  }
  desc_nulls_last(): Column {
    return new Column(this.expr, { ascending: false, nullsFirst: false });
  }
  toString(): string {
    return `Column<'${JSON.stringify(this.expr)}'>`;
  }
}

function call(name: string, ...args: Expr[]): Column {
  return new Column({ type: 'function', name, args });
}

/** A column reference by (possibly dotted or backticked) name; `*` and `t.*` become stars. */
export function columnExpr(name: string): Expr {
  if (name === '*') return { type: 'star' };
  if (name.endsWith('.*')) return { type: 'star', qualifier: splitName(name.slice(0, -2)) };
  return { type: 'column', nameParts: splitName(name) };
}

/** Literal Expr of a JS value with Spark's inferred type (number: int when integral in range, else double). */
export function literalExpr(v: unknown): Expr {
  if (v === null || v === undefined) return { type: 'literal', value: null, dataType: { kind: 'null' } };
  if (typeof v === 'boolean') return { type: 'literal', value: v, dataType: { kind: 'boolean' } };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)
      return { type: 'literal', value: v, dataType: { kind: 'int' } };
    if (Number.isInteger(v)) return { type: 'literal', value: v, dataType: { kind: 'long' } };
    return { type: 'literal', value: v, dataType: { kind: 'double' } };
  }
  if (typeof v === 'bigint') return { type: 'literal', value: Number(v), dataType: { kind: 'long' } };
  if (typeof v === 'string') return { type: 'literal', value: v, dataType: { kind: 'string' } };
  if (v instanceof Date)
    return { type: 'literal', value: v.getTime() * 1000, dataType: { kind: 'timestamp' } };
  if (v instanceof Uint8Array) return { type: 'literal', value: v, dataType: { kind: 'binary' } };
  if (Array.isArray(v)) return { type: 'function', name: 'array', args: v.map(toExpr) };
  if (v instanceof Map)
    return {
      type: 'function',
      name: 'map',
      args: [...v.entries()].flatMap(([k, x]) => [toExpr(k), toExpr(x)]),
    };
  throw new AnalysisError(
    'UNSUPPORTED_LITERAL',
    `Unsupported literal type ${Object.prototype.toString.call(v)}: ${String(v)}.`,
  );
}

/** A Column or a literal value as an Expr. */
export function toExpr(v: ColumnLike): Expr {
  return v instanceof Column ? v.expr : literalExpr(v);
}

/** A Column or a column name as a Column (Spark's `Column | String` parameters). */
export function toColumn(v: Column | string): Column {
  return v instanceof Column ? v : new Column(columnExpr(v));
}
