import { AnalysisError } from '../errors.js';
import type { Expr } from '../expr/expression.js';
import { colExpr } from '../plan/expr-utils.js';
import type { DataType } from '../types/data-type.js';
import { Column, literalExpr } from './column.js';
import type { DataFrame } from './dataframe.js';

const NUMERIC = new Set(['byte', 'short', 'int', 'long', 'float', 'double', 'decimal']);

function fits(value: unknown, t: DataType): boolean {
  if (typeof value === 'number') return NUMERIC.has(t.kind);
  if (typeof value === 'string') return t.kind === 'string';
  if (typeof value === 'boolean') return t.kind === 'boolean';
  return false;
}

/** `df.na`: Spark's DataFrameNaFunctions (`drop`, `fill`, `replace`). */
export class DataFrameNaFunctions {
  constructor(private readonly df: DataFrame) {}

  /**
   * Drops rows with nulls (or NaN) in the given columns (all by default): `how` `any` (default) or
   * `all`; `thresh` keeps rows with at least that many non-null values (and overrides `how`).
   */
  drop(how: 'any' | 'all' = 'any', thresh?: number, subset?: string[]): DataFrame {
    const fields = this.df.schema.fields;
    const cols = subset ?? fields.map((f) => f.name);
    const present = cols.map((c) => {
      const f = fields.find((x) => x.name.toLowerCase() === c.toLowerCase());
      if (!f)
        throw new AnalysisError(
          'UNRESOLVED_COLUMN.WITH_SUGGESTION',
          `A column or function parameter with name \`${c}\` cannot be resolved.`,
        );
      const ref = colExpr(f.name);
      const notNull: Expr = { type: 'isNull', operand: ref, negated: true };
      if (f.dataType.kind === 'double' || f.dataType.kind === 'float')
        return {
          type: 'binary',
          op: 'and',
          left: notNull,
          right: { type: 'unary', op: 'not', operand: { type: 'function', name: 'isnan', args: [ref] } },
        } as Expr;
      return notNull;
    });
    const min = thresh ?? (how === 'all' ? 1 : present.length);
    if (present.length === 0) return this.df;
    const count = present
      .map(
        (p): Expr => ({
          type: 'case',
          // biome-ignore lint/suspicious/noThenProperty: the Expr contract names a CASE branch result `then`
          branches: [{ when: p, then: literalExpr(1) }],
          otherwise: literalExpr(0),
        }),
      )
      .reduce((a, b) => ({ type: 'binary', op: '+', left: a, right: b }));
    return this.df.filter(new Column({ type: 'binary', op: '>=', left: count, right: literalExpr(min) }));
  }

  /**
   * Replaces nulls: `fill(0)` in numeric columns, `fill('x')` in string columns, `fill(true)` in
   * boolean columns, optionally only in `subset`; `fill({col: value, …})` per column.
   */
  fill(
    value: number | string | boolean | Record<string, number | string | boolean>,
    subset?: string[],
  ): DataFrame {
    const fields = this.df.schema.fields;
    const per =
      typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]))
        : undefined;
    const chosen = subset?.map((s) => s.toLowerCase());
    const exprs: Expr[] = fields.map((f) => {
      const key = f.name.toLowerCase();
      const v = per ? per[key] : value;
      const applies =
        v !== undefined && (per ? true : !chosen || chosen.includes(key)) && fits(v, f.dataType);
      const ref = colExpr(f.name);
      if (!applies) return ref;
      const lit: Expr = { type: 'cast', operand: literalExpr(v), dataType: f.dataType };
      const repl: Expr =
        f.dataType.kind === 'double' || f.dataType.kind === 'float'
          ? {
              type: 'function',
              name: 'nanvl',
              args: [{ type: 'function', name: 'coalesce', args: [ref, lit] }, lit],
            }
          : { type: 'function', name: 'coalesce', args: [ref, lit] };
      return { type: 'alias', operand: repl, names: [f.name] };
    });
    return this.df.session.dataFrame({ kind: 'project', child: this.df.plan, exprs });
  }

  /** Replaces values: `replace({old: new, …}, subset?)` in columns of the values' type. */
  replace(mapping: Record<string, string | number | boolean | null>, subset?: string[]): DataFrame {
    const fields = this.df.schema.fields;
    const chosen = subset?.map((s) => s.toLowerCase());
    const entries = Object.entries(mapping);
    const exprs: Expr[] = fields.map((f) => {
      const ref = colExpr(f.name);
      if ((chosen && !chosen.includes(f.name.toLowerCase())) || entries.length === 0) return ref;
      const isNum = NUMERIC.has(f.dataType.kind);
      const branches = entries
        .filter(([k]) => (isNum ? k.trim() !== '' && !Number.isNaN(Number(k)) : f.dataType.kind === 'string'))
        .map(([k, v]) => ({
          when: { type: 'binary', op: '=', left: ref, right: literalExpr(isNum ? Number(k) : k) } as Expr,
          // biome-ignore lint/suspicious/noThenProperty: the Expr contract names a CASE branch result `then`
          then:
            v === null
              ? ({ type: 'literal', value: null, dataType: f.dataType } as Expr)
              : ({ type: 'cast', operand: literalExpr(v), dataType: f.dataType } as Expr),
        }));
      if (branches.length === 0) return ref;
      return { type: 'alias', operand: { type: 'case', branches, otherwise: ref }, names: [f.name] };
    });
    return this.df.session.dataFrame({ kind: 'project', child: this.df.plan, exprs });
  }
}
