import { AnalysisError, ExecutionError, guardRecursion } from '../errors.js';

import { planPhysical } from '../exec/planner.js';
import type { Expr } from '../expr/expression.js';
import { MAX_MATERIALIZED_ROWS } from '../functions/limits.js';
import { DataFrameWriter } from '../io/writer.js';
import { analyze, schemaOf } from '../plan/analyzer.js';
import { loadAsyncLeaves } from '../plan/async-leaves.js';
import type { BoundPlan } from '../plan/bound-plan.js';
import { type ExplainMode, explainString } from '../plan/explain.js';
import { formatValue, intervalToMillis } from '../plan/expr-api.js';
import { colExpr, exprExists, unalias } from '../plan/expr-utils.js';
import type { JoinType, LogicalPlan, SortOrder } from '../plan/logical/plan.js';
import { containsStreamingLeaf } from '../plan/logical/plan.js';
import { optimize } from '../plan/optimizer.js';
import type { Session } from '../session/session.js';
import { streamingSupport } from '../session/streaming-hooks.js';
import { parseExpression, parseNamedExpression } from '../sql/index.js';
import type { DataStreamWriter } from '../streaming/data-stream-writer.js';
import type { Row as RowValues, StructType } from '../types/data-type.js';
import { simpleString } from '../types/types.js';
import { Column, columnExpr, toColumn, toExpr } from './column.js';
import { Dataset } from './dataset.js';
import { DataFrameNaFunctions } from './na.js';
import { Row, toRows } from './row.js';
import { showString, treeString } from './show.js';

type ColOrName = Column | string;

/**
 * Spark's DataFrame: an immutable logical plan plus the session that runs it. Transformations
 * return new DataFrames; actions (`collect`, `count`, `show`, …) analyze, optimize, plan and
 * execute the plan. A DataFrame whose plan has a streaming leaf is streaming (`isStreaming`) and
 * runs through `writeStream`.
 */
export class DataFrame {
  private boundCache: BoundPlan | undefined;

  constructor(
    readonly session: Session,
    readonly plan: LogicalPlan,
  ) {}

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.session, plan);
  }

  /** The analyzed plan (cached). Throws AnalysisError. */
  analyzed(): BoundPlan {
    if (!this.boundCache) this.boundCache = analyze(this.plan, this.session.analyzerContext());
    return this.boundCache;
  }

  /** The analyzed and optimized plan. */
  optimized(): BoundPlan {
    return guardRecursion('optimization', () => optimize(this.analyzed()));
  }

  get schema(): StructType {
    return schemaOf(this.analyzed().output);
  }

  get columns(): string[] {
    return this.analyzed().output.map((f) => f.name);
  }

  /** `[name, simpleString type]` pairs, like Spark's `dtypes`. */
  get dtypes(): [string, string][] {
    return this.analyzed().output.map((f) => [f.name, simpleString(f.dataType)]);
  }

  get isStreaming(): boolean {
    return containsStreamingLeaf(this.plan) || isStreamingBound(this);
  }

  // ---------------------------------------------------------------- transformations

  select(...cols: (ColOrName | ColOrName[])[]): DataFrame {
    const list = cols.flat().map((c) => toColumn(c).expr);
    return this.with({ kind: 'project', child: this.plan, exprs: list });
  }

  /** SQL expressions with optional aliases: `selectExpr('a + 1 AS b', '*')`. */
  selectExpr(...exprs: (string | string[])[]): DataFrame {
    return this.with({
      kind: 'project',
      child: this.plan,
      exprs: exprs.flat().map((e) => parseNamedExpression(e)),
    });
  }

  /**
   * Rows matching a condition: a Column, a SQL expression, or a TypeScript function over each row as
   * an object (Spark's `filter(Row => Boolean)`), run as a UDF.
   */
  filter(condition: Column | string | ((row: Record<string, unknown>) => boolean)): DataFrame {
    if (typeof condition === 'function')
      return new Dataset<Record<string, unknown>>(this).filter(condition).toDF();
    const e = typeof condition === 'string' ? parseExpression(condition) : condition.expr;
    return this.with({ kind: 'filter', child: this.plan, condition: e });
  }

  where(condition: Column | string | ((row: Record<string, unknown>) => boolean)): DataFrame {
    return this.filter(condition);
  }

  withColumn(name: string, col: Column): DataFrame {
    return this.withColumns({ [name]: col });
  }

  /** Adds or replaces columns (replacing keeps the column's position, as Spark does). */
  withColumns(cols: Record<string, Column> | Map<string, Column>): DataFrame {
    const entries = cols instanceof Map ? [...cols.entries()] : Object.entries(cols);
    const names = this.columns;
    const exprs: Expr[] = names.map((n, i) => {
      const hit = entries.find(([k]) => k.toLowerCase() === n.toLowerCase());
      return hit ? { type: 'alias', operand: hit[1].expr, names: [hit[0]] } : ordinalColumn(this, i);
    });
    for (const [k, c] of entries)
      if (!names.some((n) => n.toLowerCase() === k.toLowerCase()))
        exprs.push({ type: 'alias', operand: c.expr, names: [k] });
    return this.with({ kind: 'project', child: this.plan, exprs });
  }

  withColumnRenamed(existing: string, newName: string): DataFrame {
    return this.withColumnsRenamed({ [existing]: newName });
  }

  withColumnsRenamed(renames: Record<string, string>): DataFrame {
    const names = this.columns;
    const lower = Object.fromEntries(Object.entries(renames).map(([k, v]) => [k.toLowerCase(), v]));
    if (!names.some((n) => lower[n.toLowerCase()] !== undefined)) return this;
    const exprs: Expr[] = names.map((n, i) => {
      const to = lower[n.toLowerCase()];
      const c = ordinalColumn(this, i);
      return to !== undefined ? { type: 'alias', operand: c, names: [to] } : c;
    });
    return this.with({ kind: 'project', child: this.plan, exprs });
  }

  /** Drops columns by name (unknown names are ignored, as in Spark) or by Column. */
  drop(...cols: ColOrName[]): DataFrame {
    const out = this.analyzed().output;
    const dropIdx = new Set<number>();
    for (const c of cols) {
      if (typeof c === 'string') {
        out.forEach((f, i) => {
          if (f.name.toLowerCase() === c.toLowerCase()) dropIdx.add(i);
        });
      } else {
        const e = c.expr;
        if (e.type === 'column') {
          const known = new Set(out.map((f) => f.qualifier[f.qualifier.length - 1]));
          const parts = e.nameParts
            .filter((p, i) => !(i === 0 && p.startsWith(DF_TAG) && !known.has(p)))
            .map((p) => p.toLowerCase());
          out.forEach((f, i) => {
            const name = parts[parts.length - 1];
            const qual = parts.slice(0, -1);
            const fq = f.qualifier.map((q) => q.toLowerCase());
            if (f.name.toLowerCase() === name && qual.every((q, j) => fq[fq.length - qual.length + j] === q))
              dropIdx.add(i);
          });
        }
      }
    }
    if (dropIdx.size === 0) return this;
    const exprs = out.flatMap((_, i) => (dropIdx.has(i) ? [] : [ordinalColumn(this, i)]));
    return this.with({ kind: 'project', child: this.plan, exprs });
  }

  toDF(...names: string[]): DataFrame {
    return this.with({ kind: 'toDF', child: this.plan, names });
  }

  alias(name: string): DataFrame {
    return this.with({ kind: 'subqueryAlias', child: this.plan, alias: name });
  }

  /**
   * `as('alias')` names the DataFrame (Spark's `df.as("a")`); `as<T>()` gives a typed Dataset whose
   * elements are the rows as objects of type T (Spark's `df.as[T]`).
   */
  as(name: string): DataFrame;
  as<T = Record<string, unknown>>(): Dataset<T>;
  as<T>(name?: string): DataFrame | Dataset<T> {
    return name === undefined ? new Dataset<T>(this) : this.alias(name);
  }

  groupBy(...cols: (ColOrName | ColOrName[])[]): GroupedData {
    return new GroupedData(
      this,
      cols.flat().map((c) => toColumn(c).expr),
    );
  }

  groupby(...cols: (ColOrName | ColOrName[])[]): GroupedData {
    return this.groupBy(...cols);
  }

  /** Global aggregation: `df.agg(max('a'), count('*'))` or `df.agg({a: 'max'})`. */
  agg(...exprs: (Column | Record<string, string>)[]): DataFrame {
    return this.groupBy().agg(...exprs);
  }

  /**
   * `join(other)` (cross), `join(other, 'id' | ['id', …], how?)` (USING), `join(other, condition, how?)`.
   * `how`: inner, cross, outer/full/fullouter/full_outer, left/leftouter/left_outer,
   * right/rightouter/right_outer, semi/leftsemi/left_semi, anti/leftanti/left_anti.
   */
  join(other: DataFrame, on?: string | string[] | Column, how = 'inner'): DataFrame {
    const joinType = parseJoinType(how);
    if (on === undefined)
      return this.with({
        kind: 'join',
        left: this.plan,
        right: other.plan,
        joinType: joinType === 'inner' ? 'cross' : joinType,
      });
    if (typeof on === 'string' || Array.isArray(on))
      return this.with({
        kind: 'join',
        left: this.plan,
        right: other.plan,
        joinType,
        using: typeof on === 'string' ? [on] : on,
      });
    // `df1.col('id').equalTo(df2.col('id'))`: each side referenced through its DataFrame gets that
    // DataFrame's tag as its qualifier, so same-named columns resolve to the right side.
    const uses = (tag: string) => exprExists(on.expr, (x) => x.type === 'column' && x.nameParts[0] === tag);
    const tagged = (df: DataFrame): LogicalPlan =>
      df.plan.kind !== 'subqueryAlias' && uses(df.tag)
        ? { kind: 'subqueryAlias', child: df.plan, alias: df.tag }
        : df.plan;
    const left = tagged(this);
    const right = other.tag === this.tag ? other.plan : tagged(other);
    return this.with({ kind: 'join', left, right, joinType, condition: on.expr });
  }

  crossJoin(other: DataFrame): DataFrame {
    return this.with({ kind: 'join', left: this.plan, right: other.plan, joinType: 'cross' });
  }

  union(other: DataFrame): DataFrame {
    return this.with({ kind: 'setOperation', op: 'union', all: true, left: this.plan, right: other.plan });
  }

  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    return this.with({
      kind: 'setOperation',
      op: 'union',
      all: true,
      left: this.plan,
      right: other.plan,
      byName: true,
      allowMissingColumns,
    });
  }

  intersect(other: DataFrame): DataFrame {
    return this.with({
      kind: 'setOperation',
      op: 'intersect',
      all: false,
      left: this.plan,
      right: other.plan,
    });
  }

  intersectAll(other: DataFrame): DataFrame {
    return this.with({
      kind: 'setOperation',
      op: 'intersect',
      all: true,
      left: this.plan,
      right: other.plan,
    });
  }

  except(other: DataFrame): DataFrame {
    return this.with({ kind: 'setOperation', op: 'except', all: false, left: this.plan, right: other.plan });
  }

  exceptAll(other: DataFrame): DataFrame {
    return this.with({ kind: 'setOperation', op: 'except', all: true, left: this.plan, right: other.plan });
  }

  subtract(other: DataFrame): DataFrame {
    return this.except(other);
  }

  /** Sort by columns or names; `{ ascending: false }` as the last argument flips plain names. */
  orderBy(...cols: (ColOrName | ColOrName[] | { ascending: boolean | boolean[] })[]): DataFrame {
    let asc: boolean | boolean[] = true;
    const last = cols[cols.length - 1];
    if (last && typeof last === 'object' && !(last instanceof Column) && !Array.isArray(last)) {
      asc = last.ascending;
      cols = cols.slice(0, -1);
    }
    const list = (cols as (ColOrName | ColOrName[])[]).flat();
    const orders: SortOrder[] = list.map((c, i) => {
      const col = toColumn(c);
      if (col.sort) return { expr: col.expr, ...col.sort };
      const a = Array.isArray(asc) ? (asc[i] ?? true) : asc;
      return { expr: col.expr, ascending: a, nullsFirst: a };
    });
    return this.with({ kind: 'sort', child: this.plan, orders, global: true });
  }

  sort(...cols: (ColOrName | ColOrName[] | { ascending: boolean | boolean[] })[]): DataFrame {
    return this.orderBy(...cols);
  }

  sortWithinPartitions(...cols: ColOrName[]): DataFrame {
    return this.orderBy(...cols);
  }

  limit(n: number): DataFrame {
    return this.with({ kind: 'limit', child: this.plan, limit: n });
  }

  offset(n: number): DataFrame {
    return this.with({ kind: 'limit', child: this.plan, limit: Number.MAX_SAFE_INTEGER, offset: n });
  }

  distinct(): DataFrame {
    return this.with({ kind: 'distinct', child: this.plan });
  }

  dropDuplicates(cols?: string[] | string, ...more: string[]): DataFrame {
    const list = cols === undefined ? [] : typeof cols === 'string' ? [cols, ...more] : cols;
    return this.with({ kind: 'deduplicate', child: this.plan, columns: list });
  }

  drop_duplicates(cols?: string[]): DataFrame {
    return this.dropDuplicates(cols);
  }

  dropDuplicatesWithinWatermark(cols?: string[] | string, ...more: string[]): DataFrame {
    const list = cols === undefined ? [] : typeof cols === 'string' ? [cols, ...more] : cols;
    return this.with({ kind: 'deduplicate', child: this.plan, columns: list, withinWatermark: true });
  }

  /** `withWatermark('eventTime', '10 minutes')`. */
  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    const delayMs = intervalToMillis(delayThreshold);
    if (delayMs < 0)
      throw new AnalysisError(
        'INVALID_WATERMARK_DELAY',
        `Watermark delay must not be negative: ${delayThreshold}.`,
      );
    return this.with({
      kind: 'withWatermark',
      child: this.plan,
      column: eventTime,
      delay: delayThreshold,
      delayMs,
    });
  }

  /** LATERAL VIEW-style explode as a DataFrame method (Spark's deprecated `explode`). */
  hint(_name: string, ..._params: unknown[]): DataFrame {
    return this;
  }

  repartition(..._args: unknown[]): DataFrame {
    return this;
  }

  coalesce(_n: number): DataFrame {
    return this;
  }

  cache(): DataFrame {
    return this;
  }

  persist(): DataFrame {
    return this;
  }

  unpersist(): DataFrame {
    return this;
  }

  /** `df.transform(f)` chains a function. */
  transform(f: (df: DataFrame) => DataFrame): DataFrame {
    return f(this);
  }

  /**
   * Spark's `describe(cols…)`: count, mean, stddev, min and max of numeric and string columns
   * (all such columns by default), as strings in a `summary` column.
   */
  describe(...cols: string[]): DataFrame {
    const fields = this.schema.fields.filter(
      (f) =>
        (cols.length === 0 || cols.some((c) => c.toLowerCase() === f.name.toLowerCase())) &&
        ['byte', 'short', 'int', 'long', 'float', 'double', 'decimal', 'string'].includes(f.dataType.kind),
    );
    const stats = ['count', 'mean', 'stddev', 'min', 'max'];
    const aggs: Column[] = [];
    for (const f of fields)
      for (const st of stats) {
        const numeric = f.dataType.kind !== 'string';
        const fn = st === 'mean' ? 'avg' : st;
        const arg: Expr = columnExpr(`\`${f.name.replace(/`/g, '``')}\``);
        const e: Expr =
          !numeric && (st === 'mean' || st === 'stddev')
            ? { type: 'literal', value: null, dataType: { kind: 'string' } }
            : {
                type: 'cast',
                operand: { type: 'function', name: fn, args: [arg] },
                dataType: { kind: 'string' },
              };
        aggs.push(new Column(e));
      }
    const values = aggs.length > 0 ? this.agg(...aggs).collectValuesNow()[0]! : [];
    const rows = stats.map((st, i) => [st, ...fields.map((_, j) => values[j * stats.length + i] ?? null)]);
    return this.session.createDataFrame(rows, {
      kind: 'struct',
      fields: [
        { name: 'summary', dataType: { kind: 'string' }, nullable: true },
        ...fields.map((f) => ({ name: f.name, dataType: { kind: 'string' } as const, nullable: true })),
      ],
    });
  }

  /** Spark's `df.na` (drop / fill / replace). */
  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions(this);
  }

  /** `dropna(how, thresh, subset)` = `na.drop`. */
  dropna(how: 'any' | 'all' = 'any', thresh?: number, subset?: string[]): DataFrame {
    return this.na.drop(how, thresh, subset);
  }

  /** `fillna(value, subset)` = `na.fill`. */
  fillna(
    value: number | string | boolean | Record<string, number | string | boolean>,
    subset?: string[],
  ): DataFrame {
    return this.na.fill(value, subset);
  }

  /** The Column of a name in this DataFrame (`df.col('a')`, Spark's `df("a")`). */
  col(name: string): Column {
    // Columns taken from a DataFrame remember it (Spark binds `df("id")` to df's attribute): an
    // aliased DataFrame qualifies with its alias, another one with its tag, which join() turns into
    // a qualifier of that side and the analyzer ignores where no input carries it.
    if (name === '*' || name.includes('.') || name.includes('`')) return new Column(columnExpr(name));
    const q = this.plan.kind === 'subqueryAlias' ? this.plan.alias : this.tag;
    return new Column({ type: 'column', nameParts: [q, name] });
  }

  /** This DataFrame's qualifier tag for `col()` references (see join). */
  get tag(): string {
    let t = dfTags.get(this.plan);
    if (t === undefined) {
      t = `${DF_TAG}${nextTag++}`;
      dfTags.set(this.plan, t);
    }
    return t;
  }

  // ---------------------------------------------------------------- actions

  private checkBatch(action: string): void {
    if (this.isStreaming)
      throw new AnalysisError(
        'UNSUPPORTED_OPERATION',
        `Queries with streaming sources must be executed with writeStream.start(); ${action}() is not supported on a streaming DataFrame.`,
      );
  }

  /**
   * Runs before every action: the batch check, and the plan's asynchronous leaves (a batch Kafka
   * read) loaded (docs/decisions/0005-async-actions.md). Resolves to the optimized plan to execute.
   */
  private async prepareAction(action: string): Promise<BoundPlan> {
    this.checkBatch(action);
    const plan = this.optimized();
    await loadAsyncLeaves(plan);
    return plan;
  }

  /** Executes the plan and resolves to positional rows (the engine's runtime values). */
  async collectValues(): Promise<RowValues[]> {
    return this.collectValuesNow(await this.prepareAction('collect'));
  }

  /**
   * The rows of a plan whose asynchronous leaves are loaded (or that has none): `describe()` computes
   * its statistics eagerly, as Spark's does.
   */
  private collectValuesNow(plan: BoundPlan = this.optimized()): RowValues[] {
    // Spark bounds what a driver collects (spark.driver.maxResultSize); here the result lives in the
    // same process as everything else, so an oversized collect fails the action instead of the process.
    const limit = Number(this.session.conf.get('spark.sluice.collect.maxRows') ?? MAX_MATERIALIZED_ROWS);
    const out: RowValues[] = [];
    planPhysical(plan).forEachRow((row) => {
      if (out.length >= limit) {
        throw new ExecutionError(
          'COLLECT_ROW_LIMIT_EXCEEDED',
          `The result has more than ${limit} rows, the most an action collects (spark.sluice.collect.maxRows). Aggregate or filter first, use limit(), or write it out with df.write.`,
        );
      }
      out.push(row);
    });
    return out;
  }

  /** All rows as Row objects (positional arrays with named access). */
  async collect(): Promise<Row[]> {
    return toRows(await this.collectValues(), this.schema);
  }

  /**
   * The rows one at a time (Spark's toLocalIterator), as an async iterator that lets the event loop
   * run between slices of rows.
   */
  async *toLocalIterator(): AsyncIterableIterator<Row> {
    const rows = await this.collect();
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && i % 4096 === 0) await new Promise((r) => setImmediate(r));
      yield rows[i]!;
    }
  }

  /** Rows as plain positional arrays. */
  async toArray(): Promise<unknown[][]> {
    return await this.collectValues();
  }

  /** Rows as `{column: value}` objects (nested structs become objects). */
  async toObjects(): Promise<Record<string, unknown>[]> {
    return (await this.collect()).map((r) => r.asDict(true));
  }

  /** A DataFrame with one `value` string column holding each row as JSON (Spark's toJSON). */
  toJSON(): DataFrame {
    return this.select(
      new Column({
        type: 'function',
        name: 'to_json',
        args: [{ type: 'function', name: 'struct', args: [{ type: 'star' }] }],
      }).alias('value'),
    );
  }

  async count(): Promise<number> {
    this.checkBatch('count');
    const r = await this.agg(
      new Column({
        type: 'function',
        name: 'count',
        args: [{ type: 'literal', value: 1, dataType: { kind: 'int' } }],
      }),
    ).collectValues();
    return Number(r[0]?.[0] ?? 0);
  }

  async take(n: number): Promise<Row[]> {
    return await this.limit(n).collect();
  }

  head(): Promise<Row | null>;
  head(n: number): Promise<Row[]>;
  async head(n?: number): Promise<Row | Row[] | null> {
    if (n === undefined) return (await this.take(1))[0] ?? null;
    return await this.take(n);
  }

  async first(): Promise<Row | null> {
    return (await this.take(1))[0] ?? null;
  }

  async tail(n: number): Promise<Row[]> {
    const all = await this.collect();
    return all.slice(Math.max(0, all.length - n));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  /** Calls f for each row (awaiting it when it returns a promise). */
  async foreach(f: (row: Row) => void | Promise<void>): Promise<void> {
    for await (const r of this.toLocalIterator()) await f(r);
  }

  /**
   * Spark's `showString`: `show(n = 20, truncate = true, vertical = false)` — truncate `true` cuts
   * cells to 20 characters, a number to that many, `false` not at all.
   */
  async showString(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    const t = truncate === true ? 20 : truncate === false ? 0 : truncate;
    const rows = await this.limit(n + 1).collectValues();
    return showString(this.schema, rows, n, t, vertical);
  }

  /** Prints the first n rows as Spark's table; resolves to the printed text too. */
  async show(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    const s = await this.showString(n, truncate, vertical);
    // Spark prints with println, so a blank line follows the table.
    process.stdout.write(`${s}\n`);
    return s;
  }

  /** Spark's schema tree. */
  schemaString(level?: number): string {
    return treeString(this.schema, level);
  }

  printSchema(level?: number): string {
    const s = this.schemaString(level);
    process.stdout.write(`${s}\n`);
    return s;
  }

  /** EXPLAIN text: `simple` (physical plan), `extended` (all four plans), `formatted`/`cost`/`codegen` as simple. */
  explainString(mode: ExplainMode | boolean = 'simple'): string {
    const m: ExplainMode = mode === true ? 'extended' : mode === false ? 'simple' : mode;
    return explainString(this.plan, () => this.analyzed(), m);
  }

  explain(mode: ExplainMode | boolean = 'simple'): string {
    const s = this.explainString(mode);
    process.stdout.write(`${s}\n`);
    return s;
  }

  createOrReplaceTempView(name: string): void {
    this.session.catalog.registerView(name, this.plan, true);
  }

  createTempView(name: string): void {
    this.session.catalog.registerView(name, this.plan, false);
  }

  createOrReplaceGlobalTempView(name: string): void {
    this.session.catalog.registerView(name, this.plan, true);
  }

  get write(): DataFrameWriter {
    this.checkBatch('write');
    return new DataFrameWriter(this);
  }

  /** The streaming writer (`df.writeStream.format(...).start()`), provided by the streaming layer. */
  get writeStream(): DataStreamWriter {
    return streamingSupport().writeStream(this) as DataStreamWriter;
  }

  /** Renders cells as show() does (for tests and tools). */
  static formatCell(v: unknown, t: StructType['fields'][number]['dataType']): string {
    return v === null ? 'NULL' : formatValue(v, t);
  }
}

/** Prefix of DataFrame tags (never a user identifier). */
export const DF_TAG = '\u0002df';
const dfTags = new WeakMap<LogicalPlan, string>();
let nextTag = 0;

function isStreamingBound(df: DataFrame): boolean {
  // Views may hide a streaming leaf behind a name: ask the session catalog.
  return df.session.catalog.planIsStreaming(df.plan);
}

/** Column Expr for position i of the DataFrame's output that survives duplicate names. */
function ordinalColumn(df: DataFrame, i: number): Expr {
  const f = df.analyzed().output[i]!;
  const dupes = df.analyzed().output.filter((g) => g.name.toLowerCase() === f.name.toLowerCase()).length;
  if (dupes === 1) return colExpr(f.name);
  return colExpr(...f.qualifier, f.name);
}

export function parseJoinType(how: string): JoinType {
  switch (how.toLowerCase().replace(/_/g, '')) {
    case 'inner':
      return 'inner';
    case 'cross':
      return 'cross';
    case 'outer':
    case 'full':
    case 'fullouter':
      return 'full';
    case 'left':
    case 'leftouter':
      return 'left';
    case 'right':
    case 'rightouter':
      return 'right';
    case 'semi':
    case 'leftsemi':
      return 'semi';
    case 'anti':
    case 'leftanti':
      return 'anti';
    default:
      throw new AnalysisError(
        'UNSUPPORTED_JOIN_TYPE',
        `Unsupported join type '${how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.`,
      );
  }
}

/** `df.groupBy(...)`: aggregate with `agg`, `count`, `sum`, `avg`, `min`, `max`, `mean`. */
export class GroupedData {
  constructor(
    readonly df: DataFrame,
    readonly groupingExprs: readonly Expr[],
  ) {}

  /** `agg(F.sum('x').as('s'), F.count('*'))` or `agg({x: 'sum', y: 'max'})`. */
  agg(...exprs: (Column | Record<string, string>)[]): DataFrame {
    const aggs: Expr[] = [];
    for (const e of exprs) {
      if (e instanceof Column) aggs.push(e.expr);
      else
        for (const [name, fn] of Object.entries(e)) {
          const f = fn.toLowerCase() === 'mean' ? 'avg' : fn.toLowerCase();
          aggs.push({
            type: 'function',
            name: f,
            args: [
              name === '*' ? { type: 'literal', value: 1, dataType: { kind: 'int' } } : columnExpr(name),
            ],
          });
        }
    }
    // Spark's output: the grouping columns, then the aggregates.
    const keys = this.groupingExprs.map((g) => g);
    return new DataFrame(this.df.session, {
      kind: 'aggregate',
      child: this.df.plan,
      groupBy: this.groupingExprs.map(unalias),
      aggregates: [...keys, ...aggs],
    });
  }

  count(): DataFrame {
    return this.agg(
      new Column({
        type: 'function',
        name: 'count',
        args: [{ type: 'literal', value: 1, dataType: { kind: 'int' } }],
      }).alias('count'),
    );
  }

  private simple(fn: string, cols: string[]): DataFrame {
    return this.agg(...cols.map((c) => new Column({ type: 'function', name: fn, args: [columnExpr(c)] })));
  }

  sum(...cols: string[]): DataFrame {
    return this.simple('sum', cols);
  }
  avg(...cols: string[]): DataFrame {
    return this.simple('avg', cols);
  }
  mean(...cols: string[]): DataFrame {
    return this.simple('avg', cols);
  }
  min(...cols: string[]): DataFrame {
    return this.simple('min', cols);
  }
  max(...cols: string[]): DataFrame {
    return this.simple('max', cols);
  }

  /** Spark's `pivot` is not supported yet. */
  pivot(): never {
    throw new AnalysisError('UNSUPPORTED_FEATURE', 'pivot is not supported.');
  }
}

export { Row, toExpr };
