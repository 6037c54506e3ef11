import { AnalysisError, NotImplementedError } from '../errors.js';
import type { Expr } from '../expr/expression.js';
import { findWiderType } from '../expr/index.js';
import type { InlineTable, LateralView, Query, QueryTerm, Relation, SelectBody } from '../sql/ast.js';
import type { DataType, Row } from '../types/data-type.js';
import { compileExpr, isAggregateFunction, resolveExpr } from './expr-api.js';
import { exprExists, exprKey, GENERATOR_FUNCTIONS } from './expr-utils.js';
import type { LogicalPlan, SortOrder } from './logical/plan.js';

/** One row, no columns: the FROM of `SELECT 1`. */
export const ONE_ROW: LogicalPlan = {
  kind: 'localRelation',
  schema: { kind: 'struct', fields: [] },
  rows: [[]],
  label: 'OneRowRelation',
};

function pos(n: { span?: { line: number; column: number } }): { line: number; column: number } | undefined {
  return n.span ? { line: n.span.line, column: n.span.column } : undefined;
}

/** Evaluates a constant expression (LIMIT, VALUES cells). */
export function evalConstant(e: Expr, ansi = true): { value: unknown; dataType: DataType } {
  const b = resolveExpr(e, { fields: [] }, { ansi });
  return { value: compileExpr(b)([]), dataType: b.dataType };
}

/**
 * Converts the SQL front end's query AST into an unresolved logical plan. CTEs are inlined as
 * SubqueryAlias nodes (a CTE name shadows a temp view of the same name, as in Spark).
 */
export class SqlPlanner {
  constructor(private readonly ansi = true) {}

  query(q: Query, ctes: ReadonlyMap<string, LogicalPlan> = new Map()): LogicalPlan {
    let scope = ctes;
    if (q.with) {
      const m = new Map(ctes);
      for (const cte of q.with) {
        const plan = this.query(cte.query, m);
        m.set(cte.name.toLowerCase(), {
          kind: 'subqueryAlias',
          child: plan,
          alias: cte.name,
          ...(cte.columnAliases ? { columnAliases: cte.columnAliases } : {}),
        });
      }
      scope = m;
    }
    let plan = this.term(q.body, scope);
    const sortItems =
      q.orderBy ?? q.sortBy ?? q.clusterBy?.map((e) => ({ expr: e, ascending: true, nullsFirst: true }));
    if (sortItems && sortItems.length > 0) {
      const orders: SortOrder[] = sortItems.map((s) => ({
        expr: s.expr,
        ascending: s.ascending,
        nullsFirst: s.nullsFirst,
      }));
      plan = { kind: 'sort', child: plan, orders, global: true, sql: true };
    }
    if (q.limit || q.offset) {
      const limit = q.limit ? this.intConstant(q.limit, 'limit') : Number.MAX_SAFE_INTEGER;
      const offset = q.offset ? this.intConstant(q.offset, 'offset') : 0;
      plan = { kind: 'limit', child: plan, limit, ...(offset ? { offset } : {}) };
    }
    return plan;
  }

  private intConstant(e: Expr, what: string): number {
    let v: { value: unknown; dataType: DataType };
    try {
      v = evalConstant(e, this.ansi);
    } catch {
      throw new AnalysisError(
        'INVALID_LIMIT_LIKE_EXPRESSION.IS_UNFOLDABLE',
        `The ${what} like expression is invalid. The ${what} expression must evaluate to a constant value.`,
        pos(e),
      );
    }
    if (typeof v.value !== 'number' || !Number.isInteger(v.value))
      throw new AnalysisError(
        'INVALID_LIMIT_LIKE_EXPRESSION.DATA_TYPE',
        `The ${what} like expression is invalid. The ${what} expression must be integer type.`,
        pos(e),
      );
    if (v.value < 0)
      throw new AnalysisError(
        'INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE',
        `The ${what} like expression "${v.value}" is invalid. The ${what} expression must be equal to or greater than 0, but got ${v.value}.`,
        pos(e),
      );
    return v.value;
  }

  term(t: QueryTerm, ctes: ReadonlyMap<string, LogicalPlan>): LogicalPlan {
    switch (t.kind) {
      case 'query':
        return this.query(t, ctes);
      case 'select':
        return this.select(t, ctes);
      case 'setOperation':
        return {
          kind: 'setOperation',
          op: t.op,
          all: t.all,
          left: this.term(t.left, ctes),
          right: this.term(t.right, ctes),
          ...(t.byName ? { byName: true } : {}),
        };
      case 'values':
        return this.values(t);
      case 'table':
        return this.relation(t, ctes);
    }
  }

  select(s: SelectBody, ctes: ReadonlyMap<string, LogicalPlan>): LogicalPlan {
    let plan: LogicalPlan | undefined;
    for (const r of s.from) {
      const rp = this.relation(r, ctes);
      plan = plan ? { kind: 'join', left: plan, right: rp, joinType: 'cross' } : rp;
    }
    plan ??= ONE_ROW;
    for (const lv of s.lateralViews) plan = this.lateralView(plan, lv);
    if (s.where) plan = { kind: 'filter', child: plan, condition: s.where };
    const hasAgg = s.projection.some((e) => exprExists(e, isAggCall));
    if (s.groupBy || s.having || hasAgg) {
      let groupBy: Expr[] = [];
      let groupingSets: number[][] | undefined;
      if (s.groupBy?.kind === 'all') {
        groupBy = s.projection
          .filter((e) => e.type !== 'star' && !exprExists(e, isAggCall))
          .map((e) => (e.type === 'alias' ? e.operand : e));
      } else if (s.groupBy) {
        // Each element contributes alternatives (lists of expressions); the grouping sets are the
        // cross product of the elements' alternatives (Spark's mixed GROUP BY a, ROLLUP(b, c)).
        let sets: Expr[][] = [[]];
        let mixed = false;
        for (const item of s.groupBy.items) {
          let alts: Expr[][];
          if (item.kind === 'expr') alts = [[item.expr]];
          else {
            mixed = true;
            if (item.kind === 'rollup')
              alts = item.groups
                .map((_, i) => item.groups.slice(0, item.groups.length - i).flat())
                .concat([[]]);
            else if (item.kind === 'cube') {
              const n = item.groups.length;
              alts = [];
              for (let m = (1 << n) - 1; m >= 0; m--)
                alts.push(item.groups.filter((_, i) => (m >> (n - 1 - i)) & 1).flat());
            } else if (item.kind === 'groupingSets') alts = item.sets.map((x) => [...x]);
            else alts = [[]];
          }
          sets = sets.flatMap((prefix) => alts.map((a) => [...prefix, ...a]));
        }
        if (!mixed) groupBy = sets[0]!;
        else {
          const keys = new Map<string, number>();
          for (const set of sets)
            for (const e of set) {
              const k = exprKey(e);
              if (!keys.has(k)) {
                keys.set(k, groupBy.length);
                groupBy.push(e);
              }
            }
          groupingSets = sets.map((set) => [...new Set(set.map((e) => keys.get(exprKey(e))!))]);
        }
      }
      plan = {
        kind: 'aggregate',
        child: plan,
        groupBy,
        aggregates: s.projection,
        ...(s.having ? { having: s.having } : {}),
        ...(groupingSets ? { groupingSets } : {}),
        sql: true,
      };
    } else {
      plan = { kind: 'project', child: plan, exprs: s.projection };
    }
    if (s.distinct) plan = { kind: 'distinct', child: plan };
    return plan;
  }

  lateralView(child: LogicalPlan, lv: LateralView): LogicalPlan {
    const g = lv.generator;
    const outer = lv.outer || (g.type === 'function' && g.name.toLowerCase().endsWith('_outer'));
    return {
      kind: 'generate',
      child,
      generator: g,
      outer,
      ...(lv.tableAlias ? { tableAlias: lv.tableAlias } : {}),
      columnAliases: lv.columnAliases,
    };
  }

  relation(r: Relation, ctes: ReadonlyMap<string, LogicalPlan>): LogicalPlan {
    switch (r.kind) {
      case 'table': {
        const cte = r.name.length === 1 ? ctes.get(r.name[0]!.toLowerCase()) : undefined;
        const base: LogicalPlan = cte ?? {
          kind: 'unresolvedRelation',
          name: r.name,
          ...(r.span ? { span: r.span } : {}),
        };
        if (!r.alias && !r.columnAliases) return base;
        return {
          kind: 'subqueryAlias',
          child: base,
          alias: r.alias ?? r.name[r.name.length - 1]!,
          ...(r.columnAliases ? { columnAliases: r.columnAliases } : {}),
        };
      }
      case 'subquery': {
        if (r.lateral)
          throw new NotImplementedError(
            'UNSUPPORTED_FEATURE.LATERAL_JOIN',
            'LATERAL sub-queries are not supported yet.',
            pos(r),
          );
        const q = this.query(r.query, ctes);
        // Spark names an unaliased FROM sub-query `__auto_generated_subquery_name`; the alias also
        // keeps the outer query from seeing columns the sub-query does not return.
        return {
          kind: 'subqueryAlias',
          child: q,
          alias: r.alias ?? '__auto_generated_subquery_name',
          ...(r.columnAliases ? { columnAliases: r.columnAliases } : {}),
        };
      }
      case 'join':
        return {
          kind: 'join',
          left: this.relation(r.left, ctes),
          right: this.relation(r.right, ctes),
          joinType: r.joinType === 'inner' && !r.condition && !r.using && !r.natural ? 'cross' : r.joinType,
          ...(r.condition ? { condition: r.condition } : {}),
          ...(r.using ? { using: r.using } : {}),
          ...(r.natural ? { natural: true } : {}),
        };
      case 'values':
        return this.values(r);
      case 'tableFunction': {
        const name = r.name.toLowerCase();
        let plan: LogicalPlan;
        if (name === 'range') {
          const args = r.args.map((a) => Number(evalConstant(a, this.ansi).value));
          const [a, b, c] = args;
          if (args.length === 0 || args.length > 4)
            throw new AnalysisError(
              'WRONG_NUM_ARGS.WITHOUT_SUGGESTION',
              `The \`range\` requires [1, 2, 3, 4] parameters but the actual number is ${args.length}.`,
              pos(r),
            );
          plan =
            args.length === 1
              ? { kind: 'range', start: 0, end: a!, step: 1 }
              : { kind: 'range', start: a!, end: b!, step: c ?? 1 };
        } else if (GENERATOR_FUNCTIONS.has(name)) {
          const gen: LogicalPlan = {
            kind: 'generate',
            child: ONE_ROW,
            generator: { type: 'function', name, args: r.args, ...(r.span ? { span: r.span } : {}) },
            outer: name.endsWith('_outer'),
            columnAliases: r.columnAliases ?? [],
          };
          plan = gen;
        } else {
          throw new AnalysisError(
            'UNRESOLVABLE_TABLE_VALUED_FUNCTION',
            `Could not resolve \`${r.name}\` to a table-valued function. Please make sure that \`${r.name}\` is defined as a table-valued function and that all required parameters are provided correctly.`,
            pos(r),
          );
        }
        if (!r.alias) return plan;
        return {
          kind: 'subqueryAlias',
          child: plan,
          alias: r.alias,
          ...(r.columnAliases && name === 'range' ? { columnAliases: r.columnAliases } : {}),
        };
      }
    }
  }

  /** `VALUES (1, 'a'), (2, 'b') AS t(x, y)`: constant rows with widened column types. */
  values(v: InlineTable): LogicalPlan {
    const width = v.rows[0]?.length ?? 0;
    const cells = v.rows.map((row) => {
      if (row.length !== width)
        throw new AnalysisError(
          'INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH',
          `Invalid inline table. Inline table expected ${width} columns but found ${row.length} columns in row ${v.rows.indexOf(row)}.`,
          pos(v),
        );
      return row.map((e) => {
        try {
          return evalConstant(e, this.ansi);
        } catch (err) {
          if (err instanceof AnalysisError) throw err;
          throw new AnalysisError(
            'INVALID_INLINE_TABLE.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE',
            `Invalid inline table. Cannot evaluate the expression in inline table definition.`,
            pos(e),
          );
        }
      });
    });
    const types: DataType[] = [];
    for (let c = 0; c < width; c++) {
      let t: DataType = { kind: 'null' };
      for (const row of cells) {
        const w = findWiderType(t, row[c]!.dataType, this.ansi);
        if (!w)
          throw new AnalysisError(
            'INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE',
            `Invalid inline table. Found incompatible types in the column \`col${c + 1}\` for inline table.`,
            pos(v),
          );
        t = w;
      }
      types.push(t);
    }
    const names = v.columnAliases ?? types.map((_, i) => `col${i + 1}`);
    if (names.length !== width)
      throw new AnalysisError(
        'ASSIGNMENT_ARITY_MISMATCH',
        `Number of column aliases does not match number of columns. Number of column aliases: ${names.length}; number of columns: ${width}.`,
        pos(v),
      );
    // Cells of another type are cast to the column type by a projection over the raw cells.
    const rawTypes = types.map((t, c) =>
      cells.every((row) => sameType(row[c]!.dataType, t)) ? t : undefined,
    );
    const needsCast = rawTypes.some((t) => t === undefined);
    let plan: LogicalPlan;
    if (!needsCast) {
      const rows: Row[] = cells.map((row) => row.map((x) => x.value));
      plan = {
        kind: 'localRelation',
        schema: {
          kind: 'struct',
          fields: names.map((n, i) => ({
            name: n,
            dataType: types[i]!,
            nullable: cells.some((r) => r[i]!.value === null),
          })),
        },
        rows,
      };
    } else {
      // Evaluate each cell cast to the widened type.
      const rows: Row[] = v.rows.map((row) =>
        row.map((e, c) => evalConstant({ type: 'cast', operand: e, dataType: types[c]! }, this.ansi).value),
      );
      plan = {
        kind: 'localRelation',
        schema: {
          kind: 'struct',
          fields: names.map((n, i) => ({
            name: n,
            dataType: types[i]!,
            nullable: rows.some((r) => r[i] === null),
          })),
        },
        rows,
      };
    }
    return v.alias ? { kind: 'subqueryAlias', child: plan, alias: v.alias } : plan;
  }
}

function sameType(a: DataType, b: DataType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isAggCall(e: Expr): boolean {
  return e.type === 'function' && isAggregateFunction(e.name.toLowerCase());
}
