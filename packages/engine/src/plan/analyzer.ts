import { AnalysisError, guardRecursion, NotImplementedError } from '../errors.js';
import type { Expr } from '../expr/expression.js';
import { checkRangeSize } from '../functions/limits.js';
import type { DataType, Row, StructType } from '../types/data-type.js';
import { loadedRows } from './async-leaves.js';
import type { BoundAggregatePlan, BoundJoin, BoundPlan, BoundProject, BoundSortOrder } from './bound-plan.js';
import {
  type BoundAggregate,
  type BoundExpr,
  bindAggregate,
  bindGenerator,
  describe,
  isAggregateFunction,
  refIndex,
  resolveExpr,
  type Scope,
  type ScopeField,
  widerType,
} from './expr-api.js';
import {
  colExpr,
  exprExists,
  exprKey,
  GENERATOR_FUNCTIONS,
  mapChildren,
  quoteIdent,
  unalias,
} from './expr-utils.js';
import type { Aggregate, Filter, Join, LogicalPlan, Project, SetOperation, Sort } from './logical/plan.js';

/** What the analyzer needs from the session. */
export interface AnalyzerContext {
  /** Temp views / tables by (multi-part) name; undefined when unknown. */
  lookupRelation(name: readonly string[]): LogicalPlan | undefined;
  /** Names of known relations, for suggestions. */
  relationNames?(): string[];
  /** spark.sql.ansi.enabled */
  readonly ansi: boolean;
  /** Evaluates an uncorrelated sub-query (SQL AST `Query`) to its rows and output fields. */
  runSubquery?(query: unknown): { rows: readonly Row[]; output: readonly ScopeField[] };
  /** The logical plan of a sub-query (SQL AST `Query`), for decorrelating EXISTS / IN into joins. */
  planSubquery?(query: unknown): LogicalPlan;
}

const WATERMARK_KEY = 'spark.watermarkDelayMs';

/** Fields of a schema as an unqualified scope. */
export function fieldsOf(schema: StructType, qualifier: readonly string[] = []): ScopeField[] {
  return schema.fields.map((f) => ({
    name: f.name,
    qualifier,
    dataType: f.dataType,
    nullable: f.nullable,
    ...(f.metadata ? { metadata: { ...f.metadata } } : {}),
  }));
}

/** The schema (StructType) of a plan's output. */
export function schemaOf(output: readonly ScopeField[]): StructType {
  return {
    kind: 'struct',
    fields: output.map((f) => ({
      name: f.name,
      dataType: f.dataType,
      nullable: f.nullable,
      ...(f.metadata && Object.keys(f.metadata).length > 0 ? { metadata: f.metadata } : {}),
    })),
  };
}

const renamedScopes = new WeakMap<readonly ScopeField[], Scope>();

/** A scope whose fields are named `\u0001<i>`, so a column Expr can address position i unambiguously. */
function ordinalScope(fields: readonly ScopeField[]): Scope {
  let s = renamedScopes.get(fields);
  if (!s) {
    s = { fields: fields.map((f, i) => ({ ...f, name: ordinalName(i), qualifier: [] })) };
    renamedScopes.set(fields, s);
  }
  return s;
}

/** Column Expr addressing position i of an `ordinalScope`. */
function ordinalCol(i: number): Expr {
  return colExpr(ordinalName(i));
}

/** A bound reference to field i of `fields`. */
export function boundRef(fields: readonly ScopeField[], i: number, ansi = true): BoundExpr {
  return fixNames(resolveExpr(ordinalCol(i), ordinalScope(fields), { ansi }), fields);
}

/** Binds `e` against fields where `ordinalCol(i)` means field i (for synthesized expressions). */
function resolveOrdinal(e: Expr, fields: readonly ScopeField[], ansi: boolean): BoundExpr {
  return fixNames(resolveExpr(e, ordinalScope(fields), { ansi }), fields);
}

function lower(s: string): string {
  return s.toLowerCase();
}

function qualifierMatches(field: ScopeField, qualifier: readonly string[]): boolean {
  if (qualifier.length > field.qualifier.length) return false;
  const off = field.qualifier.length - qualifier.length;
  return qualifier.every((q, i) => lower(q) === lower(field.qualifier[off + i] ?? ''));
}

/** Analyze a logical plan into a bound plan. Throws AnalysisError with Spark's error classes. */
export function analyze(plan: LogicalPlan, ctx: AnalyzerContext): BoundPlan {
  return guardRecursion('analysis', () => new Analyzer(ctx).plan(plan));
}

const viewStacks = new WeakMap<AnalyzerContext, string[]>();
function expandingViews(ctx: AnalyzerContext): string[] {
  let stack = viewStacks.get(ctx);
  if (!stack) {
    stack = [];
    viewStacks.set(ctx, stack);
  }
  return stack;
}

class Analyzer {
  constructor(private readonly ctx: AnalyzerContext) {}

  plan(p: LogicalPlan): BoundPlan {
    switch (p.kind) {
      case 'unresolvedRelation': {
        const target = this.ctx.lookupRelation(p.name);
        if (!target) {
          throw new AnalysisError(
            'TABLE_OR_VIEW_NOT_FOUND',
            `The table or view \`${p.name.join('`.`')}\` cannot be found. Verify the spelling and correctness of the schema and catalog.`,
            p.span ? { line: p.span.line, column: p.span.column } : undefined,
          );
        }
        // A view whose definition reaches itself would expand forever (a stack overflow); Spark
        // refuses it as RECURSIVE_VIEW. The stack is per context, so subqueries share it.
        const key = p.name.join('.').toLowerCase();
        const expanding = expandingViews(this.ctx);
        if (expanding.includes(key)) {
          const cycle = [...expanding.slice(expanding.indexOf(key)), key].map((v) => `\`${v}\``).join(' -> ');
          throw new AnalysisError(
            'RECURSIVE_VIEW',
            `Recursive view \`${key}\` detected (cycle: ${cycle}).`,
            p.span ? { line: p.span.line, column: p.span.column } : undefined,
          );
        }
        expanding.push(key);
        let inner: BoundPlan;
        try {
          inner = this.plan(target);
        } finally {
          expanding.pop();
        }
        const alias = p.name[p.name.length - 1]!;
        return { ...inner, output: inner.output.map((f) => ({ ...f, qualifier: [alias] })) } as BoundPlan;
      }
      case 'localRelation':
        return {
          kind: 'scan',
          rows: p.load ? () => loadedRows(p) : p.rows,
          label: p.label ?? 'LocalRelation',
          leaf: p,
          output: fieldsOf(p.schema),
        };
      case 'range': {
        const { start, end, step } = p;
        if (step === 0) throw new AnalysisError('FAILED_FUNCTION_CALL', 'range step must not be 0');
        return {
          kind: 'scan',
          label: `Range (${start}, ${end}, step=${step})`,
          leaf: p,
          rows: () => {
            checkRangeSize(Math.max(0, Math.ceil((end - start) / step)));
            const out: Row[] = [];
            if (step > 0) for (let i = start; i < end; i += step) out.push([i]);
            else for (let i = start; i > end; i += step) out.push([i]);
            return out;
          },
          output: [{ name: 'id', qualifier: [], dataType: { kind: 'long' }, nullable: false }],
        };
      }
      case 'streamingRelation':
        return { kind: 'streamingScan', leaf: p, output: fieldsOf(p.schema) };
      case 'project':
        return this.project(p, []).plan;
      case 'filter': {
        if (p.child.kind === 'aggregate' && exprExists(p.condition, isAggCall)) {
          // DataFrame-API HAVING: filter over aggregates.
          const { plan, visible } = this.aggregate(p.child, [p.condition]);
          const cond = boundRef(plan.output, visible, this.ctx.ansi);
          const filtered: BoundPlan = { kind: 'filter', child: plan, condition: cond, output: plan.output };
          return projectVisible(filtered, visible, this.ctx.ansi);
        }
        const decorrelated = this.decorrelate(p);
        if (decorrelated) return this.plan(decorrelated);
        const child = this.plan(p.child);
        if (p.child.kind === 'project' && !this.tryResolve(p.condition, child.output)) {
          // Spark's ResolveMissingReferences: a filter may read columns the projection dropped.
          const ext = this.project(p.child, [p.condition]);
          if (ext.plan.output.length > ext.visible) {
            const cond = boundRef(ext.plan.output, ext.visible, this.ctx.ansi);
            checkBoolean(cond, 'WHERE');
            const filtered: BoundPlan = {
              kind: 'filter',
              child: ext.plan,
              condition: cond,
              output: ext.plan.output,
            };
            return projectVisible(filtered, ext.visible, this.ctx.ansi);
          }
        }
        const condition = this.resolve(p.condition, child.output);
        checkBoolean(condition, 'WHERE');
        return { kind: 'filter', child, condition, output: child.output };
      }
      case 'aggregate': {
        const extras = p.having ? [p.having] : [];
        const { plan, visible } = this.aggregate(p, extras);
        if (!p.having) return plan;
        const cond = boundRef(plan.output, visible, this.ctx.ansi);
        checkBoolean(cond, 'HAVING');
        const filtered: BoundPlan = { kind: 'filter', child: plan, condition: cond, output: plan.output };
        return projectVisible(filtered, visible, this.ctx.ansi);
      }
      case 'join':
        return this.join(p);
      case 'setOperation':
        return this.setOperation(p);
      case 'sort':
        return this.sort(p);
      case 'limit': {
        const child = this.plan(p.child);
        if (!Number.isInteger(p.limit) || p.limit < 0)
          throw new AnalysisError(
            'INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE',
            `The limit like expression "${p.limit}" is invalid. The limit expression must be equal to or greater than 0, but got ${p.limit}.`,
          );
        return { kind: 'limit', child, limit: p.limit, offset: p.offset ?? 0, output: child.output };
      }
      case 'distinct': {
        const child = this.plan(p.child);
        return { kind: 'distinct', child, output: child.output };
      }
      case 'groupsWithState': {
        const child = this.plan(p.child);
        return { kind: 'groupsWithState', child, spec: p.spec, output: fieldsOf(p.spec.outputSchema) };
      }
      case 'deduplicate': {
        const child = this.plan(p.child);
        const keys =
          p.columns.length === 0
            ? child.output.map((_, i) => i)
            : p.columns.map((c) => this.columnIndex(c, child.output));
        return {
          kind: 'deduplicate',
          child,
          keys,
          withinWatermark: p.withinWatermark ?? false,
          output: child.output,
        };
      }
      case 'generate': {
        const child = this.plan(p.child);
        const gen = bindGenerator(
          expandArgStars(dropUnknownTags(p.generator, child.output), child.output),
          { fields: child.output },
          this.ctx.ansi,
          p.outer,
        );
        const names = p.columnAliases;
        if (names.length > 0 && names.length !== gen.outputFields.length)
          throw new AnalysisError(
            'UDTF_ALIAS_NUMBER_MISMATCH',
            `The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected ${gen.outputFields.length} aliases, but got ${names.map(quoteIdent).join(', ')}.`,
          );
        const qual = p.tableAlias ? [p.tableAlias] : [];
        const genFields = gen.outputFields.map((f, i) => ({
          ...f,
          name: names[i] ?? f.name,
          qualifier: qual,
          nullable: f.nullable || p.outer,
        }));
        return {
          kind: 'generate',
          child,
          generator: gen,
          outer: p.outer,
          output: [...child.output, ...genFields],
        };
      }
      case 'subqueryAlias': {
        const child = this.plan(p.child);
        const cols = p.columnAliases;
        if (cols && cols.length !== child.output.length)
          throw new AnalysisError(
            'ASSIGNMENT_ARITY_MISMATCH',
            `Number of column aliases does not match number of columns. Number of column aliases: ${cols.length}; number of columns: ${child.output.length}.`,
          );
        return {
          ...child,
          output: child.output.map((f, i) => ({ ...f, name: cols?.[i] ?? f.name, qualifier: [p.alias] })),
        } as BoundPlan;
      }
      case 'toDF': {
        const child = this.plan(p.child);
        if (p.names.length !== child.output.length)
          throw new AnalysisError(
            'INVALID_COLUMN_NAMES',
            `The number of columns doesn't match. Old column names (${child.output.length}): ${child.output.map((f) => f.name).join(', ')}. New column names (${p.names.length}): ${p.names.join(', ')}.`,
          );
        return { ...child, output: child.output.map((f, i) => ({ ...f, name: p.names[i]! })) } as BoundPlan;
      }
      case 'withWatermark': {
        const child = this.plan(p.child);
        const idx = this.columnIndex(p.column, child.output);
        const field = child.output[idx]!;
        if (field.dataType.kind !== 'timestamp')
          throw new AnalysisError(
            'EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE',
            `The event time \`${p.column}\` has the invalid type "${field.dataType.kind.toUpperCase()}", but expected "TIMESTAMP".`,
          );
        const output = child.output.map((f, i) =>
          i === idx ? { ...f, metadata: { ...(f.metadata ?? {}), [WATERMARK_KEY]: p.delayMs } } : f,
        );
        return { kind: 'watermark', child, column: idx, delayMs: p.delayMs, output };
      }
    }
  }

  /** Resolve an expression over fields, substituting uncorrelated sub-queries first. */
  resolve(e: Expr, fields: readonly ScopeField[], allowAggregates = false): BoundExpr {
    e = dropUnknownTags(e, fields);
    return resolveExpr(
      expandArgStars(this.subqueries(e), fields),
      { fields },
      { ansi: this.ctx.ansi, allowAggregates },
    );
  }

  tryResolve(e: Expr, fields: readonly ScopeField[]): BoundExpr | undefined {
    try {
      return this.resolve(e, fields);
    } catch (err) {
      if (err instanceof AnalysisError) return undefined;
      throw err;
    }
  }

  /** Replace sub-query expressions by their (eagerly computed) values. */
  subqueries(e: Expr): Expr {
    if (!exprExists(e, (x) => x.type === 'subquery')) return e;
    const rewrite = (x: Expr): Expr => {
      if (x.type !== 'subquery') return mapChildren(x, rewrite);
      if (!this.ctx.runSubquery)
        throw new NotImplementedError(
          'UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY',
          'Sub-queries are not supported here.',
        );
      const { rows, output } = this.ctx.runSubquery(x.query);
      if (x.kind === 'exists')
        return {
          type: 'literal',
          value: rows.length > 0 !== (x.negated ?? false),
          dataType: { kind: 'boolean' },
        };
      if (output.length !== 1)
        throw new AnalysisError(
          x.kind === 'scalar'
            ? 'INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN'
            : 'UNRESOLVED_IN_SUBQUERY',
          `Scalar subquery must return only one column, but got ${output.length}.`,
        );
      const dataType = output[0]!.dataType;
      if (x.kind === 'scalar') {
        if (rows.length > 1)
          throw new AnalysisError(
            'SCALAR_SUBQUERY_TOO_MANY_ROWS',
            'More than one row returned by a subquery used as an expression.',
          );
        return { type: 'literal', value: rows[0]?.[0] ?? null, dataType };
      }
      const operand = rewrite(x.operand!);
      if (rows.length === 0)
        return { type: 'literal', value: x.negated ?? false, dataType: { kind: 'boolean' } };
      return {
        type: 'in',
        operand,
        list: rows.map((r) => ({ type: 'literal', value: r[0] ?? null, dataType }) as Expr),
        negated: x.negated ?? false,
      };
    };
    return rewrite(e);
  }

  /**
   * Correlated `[NOT] EXISTS (SELECT … FROM x WHERE <correlated predicate>)` and
   * `v IN (SELECT e FROM x WHERE <correlated predicate>)` conjuncts of a WHERE become left semi /
   * anti joins with x on the sub-query's predicate (Spark's RewritePredicateSubquery). Returns the
   * rewritten filter, or undefined when no conjunct is a correlated sub-query.
   */
  decorrelate(p: Filter): LogicalPlan | undefined {
    if (!this.ctx.planSubquery || !this.ctx.runSubquery) return undefined;
    const parts = conjuncts(p.condition);
    let child = p.child;
    const rest: Expr[] = [];
    let changed = false;
    for (const c of parts) {
      const negatedExists =
        c.type === 'unary' && c.op === 'not' && c.operand.type === 'subquery' && c.operand.kind === 'exists';
      const sq = negatedExists ? (c as { operand: Expr }).operand : c;
      if (sq.type !== 'subquery' || sq.kind === 'scalar') {
        rest.push(c);
        continue;
      }
      try {
        this.ctx.runSubquery(sq.query);
        rest.push(c);
        continue;
      } catch (err) {
        if (!(err instanceof AnalysisError) || !err.errorClass.startsWith('UNRESOLVED_COLUMN')) throw err;
      }
      let sub = this.ctx.planSubquery(sq.query);
      let select: readonly Expr[] | undefined;
      if (sub.kind === 'project') {
        select = sub.exprs;
        sub = sub.child;
      }
      if (sub.kind !== 'filter')
        throw new NotImplementedError(
          'UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE',
          'Correlated sub-queries are supported as [NOT] EXISTS / IN with the correlation in the WHERE clause.',
        );
      let cond = sub.condition;
      const negated = negatedExists || (sq.negated ?? false);
      if (sq.kind === 'in') {
        if (negated)
          throw new NotImplementedError(
            'UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE',
            'Correlated NOT IN sub-queries are not supported; use NOT EXISTS.',
          );
        const item = select?.[0];
        if (!item || select!.length !== 1 || item.type === 'star')
          throw new AnalysisError(
            'INVALID_SUBQUERY_EXPRESSION',
            'The IN sub-query must return exactly one column.',
          );
        cond = {
          type: 'binary',
          op: 'and',
          left: { type: 'binary', op: '=', left: sq.operand!, right: unalias(item) },
          right: cond,
        };
      }
      child = {
        kind: 'join',
        left: child,
        right: sub.child,
        joinType: negated ? 'anti' : 'semi',
        condition: cond,
      };
      changed = true;
    }
    if (!changed) return undefined;
    if (rest.length === 0) return child;
    return {
      kind: 'filter',
      child,
      condition: rest.reduce((a, b) => ({ type: 'binary', op: 'and', left: a, right: b })),
    };
  }

  columnIndex(name: string, fields: readonly ScopeField[]): number {
    const b = this.resolve(colExpr(...splitName(name)), fields);
    const i = refIndex(b);
    if (i === undefined)
      throw new AnalysisError('UNRESOLVED_COLUMN.WITH_SUGGESTION', `Cannot resolve column name "${name}".`);
    return i;
  }

  /** Expand `*` / `t.*` into ordinal column Exprs over `fields` (marked with ordinal names). */
  expandStars(exprs: readonly Expr[], fields: readonly ScopeField[]): { expr: Expr; ordinal?: number }[] {
    const out: { expr: Expr; ordinal?: number }[] = [];
    for (const e of exprs) {
      if (e.type !== 'star') {
        out.push({ expr: e });
        continue;
      }
      let any = false;
      fields.forEach((f, i) => {
        if (f.name.startsWith('\u0001')) return;
        if (!e.qualifier || qualifierMatches(f, e.qualifier)) {
          out.push({ expr: ordinalCol(i), ordinal: i });
          any = true;
        }
      });
      if (!any && e.qualifier) {
        // `s.*` over a struct column expands to its fields (`from_json(...) AS data` then `data.*`).
        const b = this.tryResolve(colExpr(...e.qualifier), fields);
        if (b && b.dataType.kind === 'struct') {
          for (const f of b.dataType.fields)
            out.push({
              expr: {
                type: 'alias',
                operand: { type: 'field', operand: colExpr(...e.qualifier), field: f.name },
                names: [f.name],
              },
            });
          continue;
        }
      }
      if (!any && e.qualifier)
        throw new AnalysisError(
          'CANNOT_RESOLVE_STAR_EXPAND',
          `Cannot resolve \`${e.qualifier.join('.')}\`.* given input columns ${fields.map((f) => quoteIdent(f.name)).join(', ')}.`,
          e.span ? { line: e.span.line, column: e.span.column } : undefined,
        );
    }
    return out;
  }

  /** The output field for a select item. */
  outputField(e: Expr, b: BoundExpr, fields: readonly ScopeField[], ordinal?: number): ScopeField {
    const idx = ordinal ?? refIndex(b);
    const base = idx !== undefined ? fields[idx] : undefined;
    const meta = base?.metadata ? { metadata: base.metadata } : {};
    if (e.type === 'alias')
      return { name: e.names[0]!, qualifier: [], dataType: b.dataType, nullable: b.nullable, ...meta };
    if (base) return { ...base };
    let name: string;
    if (e.type === 'column') name = e.nameParts[e.nameParts.length - 1]!;
    else if (e.type === 'field') name = e.field;
    else name = castColumnName(e, b, fields) ?? describe(b);
    return { name, qualifier: [], dataType: b.dataType, nullable: b.nullable };
  }

  /**
   * SELECT list over a child. `extras` are hidden trailing columns (ORDER BY / HAVING references to
   * columns the select list drops); `visible` is the count of real output columns.
   */
  project(p: Project, extras: readonly Expr[]): { plan: BoundPlan; visible: number } {
    if (p.exprs.some((e) => exprExists(e, isAggCall))) {
      return this.aggregate({ kind: 'aggregate', child: p.child, groupBy: [], aggregates: p.exprs }, extras);
    }
    let child = this.plan(p.child);
    let items = this.expandStars(p.exprs, child.output);
    const genAt = items.findIndex((it) => isGenerator(unalias(it.expr)));
    if (genAt >= 0) {
      if (items.some((it, i) => i !== genAt && exprExists(it.expr, isGeneratorCall)))
        throw new AnalysisError(
          'UNSUPPORTED_GENERATOR.MULTI_GENERATOR',
          'The generator is not supported: only one generator allowed per SELECT clause.',
        );
      const item = items[genAt]!.expr;
      const genExpr = unalias(item) as Expr & { type: 'function' };
      const outer = genExpr.name.toLowerCase().endsWith('_outer');
      const gen = bindGenerator(
        expandArgStars(this.subqueries(dropUnknownTags(genExpr, child.output)), child.output),
        { fields: child.output },
        this.ctx.ansi,
        outer,
      );
      const names = item.type === 'alias' ? item.names : [];
      if (names.length > 0 && names.length !== gen.outputFields.length)
        throw new AnalysisError(
          'UDTF_ALIAS_NUMBER_MISMATCH',
          `The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected ${gen.outputFields.length} aliases, but got ${names.join(', ')}.`,
        );
      const n = child.output.length;
      const genFields = gen.outputFields.map((f, i) => ({ ...f, name: names[i] ?? f.name, qualifier: [] }));
      // Other select items still address the child's columns by name; the generator's columns by ordinal.
      const before = child.output;
      child = { kind: 'generate', child, generator: gen, outer, output: [...before, ...genFields] };
      const genItems = genFields.map((_, i) => ({ expr: ordinalCol(n + i), ordinal: n + i }));
      items = [...items.slice(0, genAt), ...genItems, ...items.slice(genAt + 1)];
    }
    const fields = child.output;
    const exprs: BoundExpr[] = [];
    const output: ScopeField[] = [];
    for (const it of items) {
      const b =
        it.ordinal !== undefined
          ? boundRef(fields, it.ordinal, this.ctx.ansi)
          : this.resolve(unalias(it.expr), fields);
      exprs.push(b);
      output.push(this.outputField(it.expr, b, fields, it.ordinal));
    }
    const visible = output.length;
    extras.forEach((x, k) => {
      const b = this.resolve(x, fields);
      exprs.push(b);
      output.push({ name: `\u0001x${k}`, qualifier: [], dataType: b.dataType, nullable: b.nullable });
    });
    const plan: BoundProject = { kind: 'project', child, exprs, output };
    return { plan, visible };
  }

  /**
   * GROUP BY: binds grouping keys over the child, extracts aggregate calls from the output list
   * (and from `extras`: HAVING / ORDER BY expressions), and returns Project(Aggregate(child)).
   */
  aggregate(p: Aggregate, extras: readonly Expr[]): { plan: BoundPlan; visible: number } {
    const ansi = this.ctx.ansi;
    let child = this.plan(p.child);
    const items = this.expandStars(p.aggregates, child.output);
    // Spark's groupByOrdinal / groupByAliases (SQL only: the SQL planner marks ordinals as int literals).
    let groupBy = p.groupBy.map((g) => {
      if (g.type === 'literal' && g.dataType.kind === 'int' && p.sql) {
        const n = Number(g.value);
        const item = items[n - 1];
        if (!item)
          throw new AnalysisError(
            'GROUP_BY_POS_OUT_OF_RANGE',
            `GROUP BY position ${n} is not in select list (valid range is [1, ${items.length}]).`,
            g.span ? { line: g.span.line, column: g.span.column } : undefined,
          );
        if (exprExists(item.expr, isAggCall))
          throw new AnalysisError(
            'GROUP_BY_POS_AGGREGATE',
            `GROUP BY ${n} refers to an expression ${describeItem(item.expr)} that contains an aggregate function. Aggregate functions are not allowed in GROUP BY.`,
          );
        return unalias(item.expr);
      }
      if (g.type === 'column' && g.nameParts.length === 1 && !this.tryResolve(g, child.output)) {
        const alias = items.find(
          (it) => it.expr.type === 'alias' && lower(it.expr.names[0]!) === lower(g.nameParts[0]!),
        );
        if (alias && !exprExists(alias.expr, isAggCall)) return unalias(alias.expr);
      }
      return g;
    });
    groupBy = groupBy.map((g) => this.subqueries(g));
    // Sliding windows expand each row into every window it belongs to (Spark's Expand).
    const windowKeys = new Map<string, number>();
    groupBy = groupBy.map((g) => {
      if (g.type !== 'function' || g.name.toLowerCase() !== 'window') return g;
      const bw = this.resolve(g, child.output);
      const w = bw.kind === 'call' ? bw.timeWindow : undefined;
      if (!w) return g;
      const n = child.output.length;
      child = {
        kind: 'windowExpand',
        child,
        timeExpr: w.timeColumn,
        sizeMicros: w.sizeMicros,
        slideMicros: w.slideMicros,
        startMicros: w.startMicros,
        output: [...child.output, { name: 'window', qualifier: [], dataType: bw.dataType, nullable: true }],
      };
      windowKeys.set(exprKey(g), n);
      return ordinalMarker(n);
    });
    // Session windows (batch): rows are grouped by the other keys, sorted by time, and events whose
    // [ts, ts + gap) windows overlap merge into one session (Spark's MergingSessionsExec).
    const si = groupBy.findIndex((g) => g.type === 'function' && g.name.toLowerCase() === 'session_window');
    if (si >= 0) {
      const g = groupBy[si]!;
      const bw = this.resolve(g, child.output);
      if (bw.kind !== 'call' || !bw.sessionWindow)
        throw new AnalysisError('INTERNAL_ERROR', 'session_window did not resolve to a session window.');
      const others = groupBy.flatMap((x, i) => {
        if (i === si) return [];
        const m = markerOrdinal(x);
        return [m !== undefined ? boundRef(child.output, m, ansi) : this.resolve(x, child.output)];
      });
      const n = child.output.length;
      child = {
        kind: 'sessionWindow',
        child,
        eventWindow: bw,
        keys: others,
        output: [
          ...child.output,
          { name: 'session_window', qualifier: [], dataType: bw.dataType, nullable: true },
        ],
      };
      windowKeys.set(exprKey(g), n);
      groupBy = groupBy.map((x, i) => (i === si ? ordinalMarker(n) : x));
    }
    // ROLLUP / CUBE / GROUPING SETS: Expand each row once per set (other keys null) with the
    // grouping id, then group by the expanded keys and the id.
    const sets = p.groupingSets;
    const setKeys = groupBy;
    const setBase = child.output.length;
    if (sets) {
      const base = child.output;
      const bound = groupBy.map((g) => {
        const m = markerOrdinal(g);
        return m !== undefined ? boundRef(base, m, ansi) : this.resolve(g, base);
      });
      const k = bound.length;
      const lit = (value: unknown, dataType: DataType) =>
        resolveExpr({ type: 'literal', value, dataType }, { fields: [] }, { ansi });
      const projections = sets.map((set) => {
        let gid = 0;
        for (let j = 0; j < k; j++) if (!set.includes(j)) gid |= 1 << (k - 1 - j);
        return [
          ...base.map((_, i) => boundRef(base, i, ansi)),
          ...bound.map((b, j) => (set.includes(j) ? b : lit(null, b.dataType))),
          lit(gid, { kind: 'long' }),
        ];
      });
      child = {
        kind: 'expand',
        child,
        projections,
        output: [
          ...base,
          ...bound.map((b, j) => ({
            name: `\u0001gs${j}`,
            qualifier: [],
            dataType: b.dataType,
            nullable: true,
          })),
          { name: 'spark_grouping_id', qualifier: [], dataType: { kind: 'long' }, nullable: false },
        ],
      };
      groupBy = [...bound.map((_, j) => ordinalMarker(setBase + j)), ordinalMarker(setBase + k)];
    }
    const childFields = child.output;
    // Bind grouping keys.
    const groupings: BoundExpr[] = [];
    const groupFields: ScopeField[] = [];
    const groupKeyIndex = new Map<string, number>();
    const groupRefIndex = new Map<number, number>();
    groupBy.forEach((g, i) => {
      const marker = markerOrdinal(g);
      const b = marker !== undefined ? boundRef(childFields, marker, ansi) : this.resolve(g, childFields);
      if (exprExists(g, isAggCall))
        throw new AnalysisError(
          'GROUP_BY_AGGREGATE',
          `Aggregate functions are not allowed in GROUP BY, but found ${describeItem(g)}.`,
        );
      groupings.push(b);
      const ref = refIndex(b);
      const base = ref !== undefined ? childFields[ref] : undefined;
      const isWindow = g.type === 'function' && ['window', 'session_window'].includes(g.name.toLowerCase());
      groupFields.push(
        base
          ? { ...base }
          : {
              name: isWindow ? (g as { name: string }).name.toLowerCase() : describe(b),
              qualifier: [],
              dataType: b.dataType,
              nullable: b.nullable,
            },
      );
      groupKeyIndex.set(exprKey(g), i);
      if (ref !== undefined && !groupRefIndex.has(ref)) groupRefIndex.set(ref, i);
    });
    for (const [key, n] of windowKeys) {
      const gi = groupRefIndex.get(n);
      if (gi !== undefined) groupKeyIndex.set(key, gi);
    }
    if (sets) {
      // Select items name the original keys: map them (and the child columns they read) to the expanded keys.
      setKeys.forEach((g, j) => {
        groupKeyIndex.set(exprKey(g), j);
        const m = markerOrdinal(g);
        const b = m !== undefined ? undefined : this.tryResolve(g, childFields.slice(0, setBase));
        const ref = m ?? (b ? refIndex(b) : undefined);
        if (ref !== undefined) {
          groupRefIndex.set(ref, j);
          groupFields[j] = { ...childFields[ref]!, nullable: true };
        } else if (b)
          groupFields[j] = { name: describe(b), qualifier: [], dataType: b.dataType, nullable: true };
      });
    }
    // Extract aggregate calls; every reference to the child becomes a reference to a grouping key.
    const aggregates: BoundAggregate[] = [];
    const aggKeys = new Map<string, number>();
    const G = groupings.length;
    const marker = (i: number): Expr => colExpr(ordinalName(i));
    const rewrite = (e: Expr): Expr => {
      const key = exprKey(e);
      const gi = groupKeyIndex.get(key);
      if (gi !== undefined) return marker(gi);
      if (e.type === 'function' && sets && ['grouping', 'grouping_id'].includes(e.name.toLowerCase())) {
        const k = setKeys.length;
        const gid = marker(k);
        if (e.name.toLowerCase() === 'grouping_id') return gid;
        const j = e.args.length === 1 ? setKeys.findIndex((g) => exprKey(g) === exprKey(e.args[0]!)) : -1;
        if (j < 0)
          throw new AnalysisError(
            'GROUPING_COLUMN_MISMATCH',
            `Column of grouping (${e.args.map(describeItem).join(', ')}) can't be found in grouping columns.`,
          );
        const one = (v: number): Expr => ({ type: 'literal', value: v, dataType: { kind: 'int' } });
        return {
          type: 'cast',
          operand: {
            type: 'binary',
            op: '&',
            left: { type: 'function', name: 'shiftright', args: [gid, one(k - 1 - j)] },
            right: { type: 'literal', value: 1, dataType: { kind: 'long' } },
          },
          dataType: { kind: 'byte' },
        };
      }
      if (e.type === 'function' && isAggregateFunction(e.name.toLowerCase())) {
        let k = aggKeys.get(key);
        if (k === undefined) {
          for (const a of e.args)
            if (exprExists(a, isAggCall))
              throw new AnalysisError(
                'NESTED_AGGREGATE_FUNCTION',
                'It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.',
                e.span ? { line: e.span.line, column: e.span.column } : undefined,
              );
          const bound = bindAggregate(this.subqueries(e), { fields: childFields }, ansi);
          k = aggregates.length;
          aggregates.push(bound);
          aggKeys.set(key, k);
        }
        return marker(G + k);
      }
      if (e.type === 'column') {
        if (e.nameParts.length === 1 && e.nameParts[0]!.startsWith('\u0001')) {
          const ord = parseOrdinalName(e.nameParts[0]!)!;
          const gi2 = groupRefIndex.get(ord);
          if (gi2 !== undefined) return marker(gi2);
          throw missingAggregation(childFields[ord]?.name ?? '?');
        }
        for (let n = e.nameParts.length; n >= 1; n--) {
          const prefix: Expr = {
            type: 'column',
            nameParts: e.nameParts.slice(0, n),
            ...(e.span ? { span: e.span } : {}),
          };
          const b = n === 1 ? this.resolve(prefix, childFields) : this.tryResolve(prefix, childFields);
          if (!b) continue;
          const ref = refIndex(b);
          const gi2 = ref !== undefined ? groupRefIndex.get(ref) : groupKeyIndex.get(exprKey(prefix));
          if (gi2 === undefined) {
            if (ref === undefined && n > 1) continue;
            throw missingAggregation(e.nameParts.join('.'));
          }
          let out: Expr = marker(gi2);
          for (const f of e.nameParts.slice(n)) out = { type: 'field', operand: out, field: f };
          return out;
        }
        throw missingAggregation(e.nameParts.join('.'));
      }
      if (e.type === 'lambda') return e;
      return mapChildren(e, rewrite);
    };
    const rewritten = items.map((it) => rewrite(this.subqueries(unalias(it.expr))));
    const extraRewritten = extras.map((x) =>
      rewrite(this.subqueries(this.substituteAliases(x, items, childFields))),
    );
    const aggOutput: ScopeField[] = [
      ...groupFields,
      ...aggregates.map((a) => ({
        name: describe(a as unknown as BoundExpr),
        qualifier: [],
        dataType: a.dataType,
        nullable: a.nullable,
      })),
    ];
    const agg: BoundAggregatePlan = { kind: 'aggregate', child, groupings, aggregates, output: aggOutput };
    const postFields = ordinalScope(aggOutput).fields;
    const exprs: BoundExpr[] = [];
    const output: ScopeField[] = [];
    rewritten.forEach((r, i) => {
      const orig = items[i]!;
      const b = fixNames(resolveExpr(r, { fields: postFields }, { ansi }), aggOutput);
      exprs.push(b);
      const ref = refIndex(b);
      if (orig.expr.type === 'alias') {
        output.push({ name: orig.expr.names[0]!, qualifier: [], dataType: b.dataType, nullable: b.nullable });
      } else if (
        ref !== undefined &&
        ref < G &&
        (orig.ordinal !== undefined || orig.expr.type === 'column')
      ) {
        output.push({ ...aggOutput[ref]! });
      } else if (orig.expr.type === 'column' || orig.expr.type === 'field') {
        const name =
          orig.expr.type === 'column'
            ? orig.expr.nameParts[orig.expr.nameParts.length - 1]!
            : orig.expr.field;
        output.push({ name, qualifier: [], dataType: b.dataType, nullable: b.nullable });
      } else if (ref !== undefined) {
        output.push({ ...aggOutput[ref]!, qualifier: [] });
      } else {
        // Spark names the column after the original expression over the child.
        let name: string;
        try {
          name = describe(
            resolveExpr(this.subqueries(orig.expr), { fields: childFields }, { ansi, allowAggregates: true }),
          );
        } catch {
          name = describe(b);
        }
        output.push({ name, qualifier: [], dataType: b.dataType, nullable: b.nullable });
      }
    });
    const visible = output.length;
    extraRewritten.forEach((r, k) => {
      const b = fixNames(resolveExpr(r, { fields: postFields }, { ansi }), aggOutput);
      exprs.push(b);
      output.push({ name: `\u0001x${k}`, qualifier: [], dataType: b.dataType, nullable: b.nullable });
    });
    const plan: BoundProject = { kind: 'project', child: agg, exprs, output };
    return { plan, visible };
  }

  /** HAVING / ORDER BY may name a select alias that is not a child column. */
  substituteAliases(e: Expr, items: readonly { expr: Expr }[], childFields: readonly ScopeField[]): Expr {
    const sub = (x: Expr): Expr => {
      if (x.type === 'column' && x.nameParts.length === 1 && !this.tryResolve(x, childFields)) {
        const it = items.find(
          (i) => i.expr.type === 'alias' && lower(i.expr.names[0]!) === lower(x.nameParts[0]!),
        );
        if (it) return unalias(it.expr);
      }
      if (x.type === 'lambda') return x;
      return mapChildren(x, sub);
    };
    return sub(e);
  }

  sort(p: Sort): BoundPlan {
    const ansi = this.ctx.ansi;
    const inner = p.child;
    const sql = p.sql;
    // ORDER BY ordinal (SQL only).
    let orders = p.orders;
    if (sql && (inner.kind === 'project' || inner.kind === 'aggregate')) {
      const list = inner.kind === 'project' ? inner.exprs : inner.aggregates;
      // With a `*` the positions are those of the expanded list: checked against the output below.
      const hasStar = list.some((item) => item.type === 'star');
      orders = orders.map((o) => {
        if (o.expr.type === 'literal' && o.expr.dataType.kind === 'int') {
          const n = Number(o.expr.value);
          const item = list[n - 1];
          if (hasStar && n >= 1) return { ...o, expr: ordinalMarker(n - 1), ordinalSpan: o.expr.span };
          if (!item || item.type === 'star')
            throw new AnalysisError(
              'ORDER_BY_POS_OUT_OF_RANGE',
              `ORDER BY position ${n} is not in select list (valid range is [1, ${list.length}]).`,
              o.expr.span ? { line: o.expr.span.line, column: o.expr.span.column } : undefined,
            );
          return { ...o, expr: ordinalMarker(n - 1) };
        }
        return o;
      });
    }
    const base = this.plan(inner);
    const bound = orders.map((o) => {
      const m = markerOrdinal(o.expr);
      if (m !== undefined && m >= base.output.length) {
        const span = (o as { ordinalSpan?: { line: number; column: number } }).ordinalSpan;
        throw new AnalysisError(
          'ORDER_BY_POS_OUT_OF_RANGE',
          `ORDER BY position ${m + 1} is not in select list (valid range is [1, ${base.output.length}]).`,
          span ? { line: span.line, column: span.column } : undefined,
        );
      }
      if (m !== undefined) return boundRef(base.output, m, ansi);
      return this.tryResolve(o.expr, base.output);
    });
    if (bound.every((b) => b !== undefined)) {
      const bo: BoundSortOrder[] = orders.map((o, i) => ({
        expr: bound[i]!,
        ascending: o.ascending,
        nullsFirst: o.nullsFirst,
      }));
      return { kind: 'sort', child: base, orders: bo, output: base.output };
    }
    if (inner.kind !== 'project' && inner.kind !== 'aggregate') {
      // Re-resolve to raise the real error.
      for (const o of orders) this.resolve(o.expr, base.output);
    }
    const missing = orders.map((o, i) => (bound[i] === undefined ? o.expr : undefined));
    const extras = missing.filter((x): x is Expr => x !== undefined);
    const ext =
      inner.kind === 'project'
        ? this.project(inner as Project, extras)
        : this.aggregate(inner as Aggregate, extras);
    let k = 0;
    const bo: BoundSortOrder[] = orders.map((o, i) => {
      const b = bound[i];
      const expr = b
        ? refIndex(b) !== undefined
          ? boundRef(ext.plan.output, refIndex(b)!, ansi)
          : this.resolve(o.expr, ext.plan.output.slice(0, ext.visible))
        : boundRef(ext.plan.output, ext.visible + k++, ansi);
      return { expr, ascending: o.ascending, nullsFirst: o.nullsFirst };
    });
    const sorted: BoundPlan = { kind: 'sort', child: ext.plan, orders: bo, output: ext.plan.output };
    return projectVisible(sorted, ext.visible, ansi);
  }

  join(p: Join): BoundPlan {
    const ansi = this.ctx.ansi;
    const left = this.plan(p.left);
    const right = this.plan(p.right);
    const joinType = p.joinType;
    let using = p.using ? [...p.using] : undefined;
    if (p.natural) {
      const rightNames = new Set(right.output.map((f) => lower(f.name)));
      using = left.output.filter((f) => rightNames.has(lower(f.name))).map((f) => f.name);
    }
    const combined = [...left.output, ...right.output];
    const L = left.output.length;
    if (using) {
      const pairs = using.map((name) => {
        const li = findUnique(left.output, name, 'left');
        const ri = findUnique(right.output, name, 'right');
        return [li, ri] as const;
      });
      const leftKeys = pairs.map(([li]) => boundRef(left.output, li, ansi));
      const rightKeys = pairs.map(([, ri]) => boundRef(right.output, ri, ansi));
      const joined: BoundJoin = {
        kind: 'join',
        left,
        right,
        joinType: joinType === 'cross' ? 'inner' : joinType,
        leftKeys,
        rightKeys,
        output: joinOutput(joinType, left.output, right.output),
      };
      if (joinType === 'semi' || joinType === 'anti') return joined;
      // Spark's USING output: the key columns first (coalesced for full outer), then the rest.
      const usedL = new Set(pairs.map(([li]) => li));
      const usedR = new Set(pairs.map(([, ri]) => ri));
      const exprs: BoundExpr[] = [];
      const output: ScopeField[] = [];
      const jf = joined.output;
      for (const [li, ri] of pairs) {
        if (joinType === 'full') {
          const b = resolveOrdinal(
            { type: 'function', name: 'coalesce', args: [ordinalCol(li), ordinalCol(L + ri)] },
            jf,
            ansi,
          );
          exprs.push(b);
          output.push({ ...left.output[li]!, qualifier: [], dataType: b.dataType, nullable: b.nullable });
        } else if (joinType === 'right') {
          exprs.push(boundRef(jf, L + ri, ansi));
          output.push({ ...jf[L + ri]! });
        } else {
          exprs.push(boundRef(jf, li, ansi));
          output.push({ ...jf[li]! });
        }
      }
      left.output.forEach((_, i) => {
        if (usedL.has(i)) return;
        exprs.push(boundRef(jf, i, ansi));
        output.push({ ...jf[i]! });
      });
      right.output.forEach((_, i) => {
        if (usedR.has(i)) return;
        exprs.push(boundRef(jf, L + i, ansi));
        output.push({ ...jf[L + i]! });
      });
      return { kind: 'project', child: joined, exprs, output };
    }
    const leftKeys: BoundExpr[] = [];
    const rightKeys: BoundExpr[] = [];
    const residual: Expr[] = [];
    if (p.condition) {
      const cond = this.subqueries(p.condition);
      // Validate the whole condition first so errors name the real problem.
      const whole = this.resolve(cond, combined);
      checkBoolean(whole, 'JOIN');
      for (const c of conjuncts(cond)) {
        const pair =
          c.type === 'binary' && (c.op === '=' || c.op === '==')
            ? this.equiPair(c.left, c.right, left, right)
            : undefined;
        if (pair) {
          leftKeys.push(pair[0]);
          rightKeys.push(pair[1]);
        } else residual.push(c);
      }
    }
    const condition =
      residual.length > 0
        ? this.resolve(
            residual.reduce((a, b) => ({ type: 'binary', op: 'and', left: a, right: b })),
            combined,
          )
        : undefined;
    return {
      kind: 'join',
      left,
      right,
      joinType: joinType === 'cross' ? 'inner' : joinType,
      leftKeys,
      rightKeys,
      ...(condition ? { condition } : {}),
      output: joinOutput(joinType, left.output, right.output),
    };
  }

  /** `a = b` where one side binds over the left input only and the other over the right only. */
  equiPair(a: Expr, b: Expr, left: BoundPlan, right: BoundPlan): [BoundExpr, BoundExpr] | undefined {
    const al = this.tryResolve(a, left.output);
    const br = this.tryResolve(b, right.output);
    const ar = this.tryResolve(a, right.output);
    const bl = this.tryResolve(b, left.output);
    let pair: [BoundExpr, BoundExpr] | undefined;
    if (al && br && !ar && !bl) pair = [al, br];
    else if (ar && bl && !al && !br) pair = [bl, ar];
    if (!pair) return undefined;
    if (!sameKeyType(pair[0].dataType, pair[1].dataType)) return undefined;
    return pair;
  }

  setOperation(p: SetOperation): BoundPlan {
    const ansi = this.ctx.ansi;
    let left = this.plan(p.left);
    let right = this.plan(p.right);
    if (p.byName) {
      const lnames = left.output.map((f) => lower(f.name));
      const rnames = right.output.map((f) => lower(f.name));
      if (p.allowMissingColumns) {
        const extraR = right.output.filter((f) => !lnames.includes(lower(f.name)));
        if (extraR.length > 0) left = appendNulls(left, extraR, ansi);
        const extraL = left.output.filter((f) => !rnames.includes(lower(f.name)));
        if (extraL.length > 0) right = appendNulls(right, extraL, ansi);
      }
      const rn = right.output.map((f) => lower(f.name));
      const order = left.output.map((f) => {
        const i = rn.indexOf(lower(f.name));
        if (i < 0)
          throw new AnalysisError(
            'NUM_COLUMNS_MISMATCH',
            `UNION can only be performed on inputs with the same number of columns, but the first input has ${left.output.length} columns and the second input has ${right.output.length} columns.`,
          );
        return i;
      });
      if (order.length !== right.output.length)
        throw new AnalysisError(
          'NUM_COLUMNS_MISMATCH',
          `UNION can only be performed on inputs with the same number of columns, but the first input has ${left.output.length} columns and the second input has ${right.output.length} columns.`,
        );
      const r = right;
      right = {
        kind: 'project',
        child: r,
        exprs: order.map((i) => boundRef(r.output, i, ansi)),
        output: order.map((i) => r.output[i]!),
      };
    }
    const opName = p.op.toUpperCase();
    if (left.output.length !== right.output.length)
      throw new AnalysisError(
        'NUM_COLUMNS_MISMATCH',
        `${opName} can only be performed on inputs with the same number of columns, but the first input has ${left.output.length} columns and the second input has ${right.output.length} columns.`,
      );
    const types = left.output.map((f, i) => {
      const r = right.output[i]!;
      const t = widerType(f.dataType, r.dataType);
      if (!t)
        throw new AnalysisError(
          'INCOMPATIBLE_COLUMN_TYPE',
          `${opName} can only be performed on tables with compatible column types. The ${ordinalWord(i + 1)} column of the second table is "${typeName(r.dataType)}" type which is not compatible with "${typeName(f.dataType)}" at the same column of the first table.`,
        );
      return t;
    });
    left = castTo(left, types, ansi);
    right = castTo(right, types, ansi);
    const output = left.output.map((f, i) => ({
      ...f,
      dataType: types[i]!,
      nullable: f.nullable || right.output[i]!.nullable,
    }));
    if (p.op === 'union') {
      const union: BoundPlan = { kind: 'union', children: [left, right], output };
      return p.all ? union : { kind: 'distinct', child: union, output };
    }
    return { kind: p.op, all: p.all, left, right, output };
  }
}

/**
 * `df.col('x')` carries the DataFrame's tag as a qualifier (`\u0002df<n>`); where no input field
 * has that qualifier (the DataFrame was not joined), the reference is the plain column name.
 */
function dropUnknownTags(e: Expr, fields: readonly ScopeField[]): Expr {
  if (!exprExists(e, (x) => x.type === 'column' && x.nameParts[0]?.startsWith('\u0002df') === true)) return e;
  const known = new Set(fields.map((f) => f.qualifier[f.qualifier.length - 1]));
  const rewrite = (x: Expr): Expr => {
    if (x.type === 'column' && x.nameParts[0]?.startsWith('\u0002df') && !known.has(x.nameParts[0]))
      return { ...x, nameParts: x.nameParts.slice(1) };
    return mapChildren(x, rewrite);
  };
  return rewrite(e);
}

/** `struct(*)`, `concat(t.*)`, `hash(*)`: a star argument of a function (not count) expands to columns. */
function expandArgStars(e: Expr, fields: readonly ScopeField[]): Expr {
  if (!exprExists(e, (x) => x.type === 'function' && x.args.some((a) => a.type === 'star'))) return e;
  const rewrite = (x: Expr): Expr => {
    if (x.type === 'function' && x.name.toLowerCase() !== 'count' && x.args.some((a) => a.type === 'star')) {
      const args = x.args.flatMap((a) => {
        if (a.type !== 'star') return [rewrite(a)];
        return fields
          .filter((f) => !f.name.startsWith('\u0001') && (!a.qualifier || qualifierMatches(f, a.qualifier)))
          .map((f) => colExpr(...f.qualifier, f.name));
      });
      return { ...x, args };
    }
    return mapChildren(x, rewrite);
  };
  return rewrite(e);
}

function appendNulls(p: BoundPlan, fields: readonly ScopeField[], ansi: boolean): BoundPlan {
  const exprs = p.output.map((_, i) => boundRef(p.output, i, ansi));
  for (const f of fields)
    exprs.push(resolveExpr({ type: 'literal', value: null, dataType: f.dataType }, { fields: [] }, { ansi }));
  return {
    kind: 'project',
    child: p,
    exprs,
    output: [...p.output, ...fields.map((f) => ({ ...f, nullable: true, qualifier: [] }))],
  };
}

function castTo(p: BoundPlan, types: readonly DataType[], ansi: boolean): BoundPlan {
  if (p.output.every((f, i) => sameType(f.dataType, types[i]!))) return p;
  const exprs = p.output.map((f, i) =>
    sameType(f.dataType, types[i]!)
      ? boundRef(p.output, i, ansi)
      : resolveOrdinal({ type: 'cast', operand: ordinalCol(i), dataType: types[i]! }, p.output, ansi),
  );
  return {
    kind: 'project',
    child: p,
    exprs,
    output: p.output.map((f, i) => ({ ...f, dataType: types[i]! })),
  };
}

function sameType(a: DataType, b: DataType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const NUMERIC = new Set(['byte', 'short', 'int', 'long', 'float', 'double']);

function sameKeyType(a: DataType, b: DataType): boolean {
  if (NUMERIC.has(a.kind) && NUMERIC.has(b.kind)) return true;
  if (a.kind === 'decimal' || b.kind === 'decimal') return false;
  return (
    a.kind === b.kind &&
    (a.kind === 'string' || a.kind === 'boolean' || a.kind === 'date' || a.kind === 'timestamp')
  );
}

function joinOutput(joinType: string, l: readonly ScopeField[], r: readonly ScopeField[]): ScopeField[] {
  if (joinType === 'semi' || joinType === 'anti') return [...l];
  const ln = joinType === 'right' || joinType === 'full';
  const rn = joinType === 'left' || joinType === 'full';
  return [
    ...l.map((f) => (ln ? { ...f, nullable: true } : f)),
    ...r.map((f) => (rn ? { ...f, nullable: true } : f)),
  ];
}

function findUnique(fields: readonly ScopeField[], name: string, side: string): number {
  const hits = fields.flatMap((f, i) => (lower(f.name) === lower(name) ? [i] : []));
  if (hits.length === 0)
    throw new AnalysisError(
      'UNRESOLVED_USING_COLUMN_FOR_JOIN',
      `USING column \`${name}\` cannot be resolved on the ${side} side of the join. The ${side}-side columns: [${fields.map((f) => quoteIdent(f.name)).join(', ')}].`,
    );
  if (hits.length > 1)
    throw new AnalysisError(
      'AMBIGUOUS_REFERENCE',
      `Reference \`${name}\` is ambiguous on the ${side} side of the join.`,
    );
  return hits[0]!;
}

/** Split a condition on AND. */
export function conjuncts(e: Expr): Expr[] {
  if (e.type === 'binary' && e.op === 'and') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

function projectVisible(p: BoundPlan, visible: number, ansi: boolean): BoundPlan {
  const output = p.output.slice(0, visible);
  return { kind: 'project', child: p, exprs: output.map((_, i) => boundRef(p.output, i, ansi)), output };
}

function checkBoolean(b: BoundExpr, _clause: string): void {
  if (b.dataType.kind !== 'boolean' && b.dataType.kind !== 'null')
    throw new AnalysisError(
      'DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN',
      `Cannot resolve "${describe(b)}" due to data type mismatch: Filter expression "${describe(b)}" of type "${typeName(b.dataType)}" is not a boolean.`,
    );
}

function typeName(t: DataType): string {
  switch (t.kind) {
    case 'long':
      return 'BIGINT';
    case 'short':
      return 'SMALLINT';
    case 'byte':
      return 'TINYINT';
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'array':
      return `ARRAY<${typeName(t.elementType)}>`;
    case 'map':
      return `MAP<${typeName(t.keyType)}, ${typeName(t.valueType)}>`;
    case 'struct':
      return `STRUCT<${t.fields.map((f) => `${f.name}: ${typeName(f.dataType)}`).join(', ')}>`;
    case 'null':
      return 'VOID';
    default:
      return t.kind.toUpperCase();
  }
}

function ordinalWord(n: number): string {
  const words = [
    'zeroth',
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
  return words[n] ?? `${n}th`;
}

function missingAggregation(name: string): AnalysisError {
  return new AnalysisError(
    'MISSING_AGGREGATION',
    `The non-aggregating expression "${name}" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(${name})" if you do not care which of the values within a group is returned.`,
  );
}

function isAggCall(e: Expr): boolean {
  return e.type === 'function' && isAggregateFunction(e.name.toLowerCase());
}

function isGenerator(e: Expr): e is Expr & { type: 'function' } {
  return e.type === 'function' && GENERATOR_FUNCTIONS.has(e.name.toLowerCase());
}

function isGeneratorCall(e: Expr): boolean {
  return isGenerator(e);
}

function describeItem(e: Expr): string {
  return e.type === 'function' ? `${e.name}(...)` : e.type;
}

function ordinalMarker(i: number): Expr {
  return colExpr(ordinalName(i));
}

function markerOrdinal(e: Expr): number | undefined {
  return e.type === 'column' && e.nameParts.length === 1 ? parseOrdinalName(e.nameParts[0]!) : undefined;
}

/** The synthetic column name addressing row position i (see ordinalScope). */
function ordinalName(i: number): string {
  return `\u0001${i}\u0002`;
}

function parseOrdinalName(s: string): number | undefined {
  const m = /^\u0001(\d+)\u0002$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** Rewrites the synthetic ordinal names inside a bound expression's SQL text to the real column names. */
function fixNames(b: BoundExpr, fields: readonly ScopeField[]): BoundExpr {
  const fix = (t: string) =>
    t.includes('\u0001') ? t.replace(/\u0001(\d+)\u0002/g, (_, d) => fields[Number(d)]?.name ?? d) : t;
  const walk = (e: BoundExpr): BoundExpr => {
    const sql = fix(e.sql);
    switch (e.kind) {
      case 'ref':
      case 'outerRef':
      case 'lambdaVar':
        return { ...e, sql, name: fix(e.name) };
      case 'call':
        return {
          ...e,
          sql,
          args: e.args.map(walk),
          ...(e.timeWindow
            ? { timeWindow: { ...e.timeWindow, timeColumn: walk(e.timeWindow.timeColumn) } }
            : {}),
        };
      case 'lambda':
        return { ...e, sql, body: walk(e.body) };
      default:
        return sql === e.sql ? e : { ...e, sql };
    }
  };
  return walk(b);
}

/** `'a.b'` → `['a', 'b']`; backticks keep dots (`'`a.b`'` → `['a.b']`). */
export function splitName(name: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === '`') {
      if (quoted && name[i + 1] === '`') {
        cur += '`';
        i++;
      } else quoted = !quoted;
    } else if (c === '.' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/**
 * Spark's ResolveAliases names `CAST(col AS t)` after the column (`Cast(ne: NamedExpression)` gets
 * `Alias(c, ne.name)`), which is what makes `selectExpr('CAST(value AS STRING)')` feed a sink that
 * needs a `value` column. Casts of anything but a plain column keep their SQL text as the name.
 */
function castColumnName(e: Expr, b: BoundExpr, fields: readonly ScopeField[]): string | undefined {
  if (e.type !== 'cast' || e.operand.type !== 'column') return undefined;
  if (b.kind !== 'call' || b.name !== 'cast') return undefined;
  const arg = b.args[0];
  return arg?.kind === 'ref' ? fields[arg.index]?.name : undefined;
}
