import type { Expr, SourceSpan } from '../expr/expression.js';
import type { DataType } from '../types/data-type.js';

/**
 * The query AST produced by the Spark SQL parser (`parseQuery`, `parseStatements`).
 *
 * Expressions inside a query are the shared unresolved `Expr` tree of `expr/expression.ts`;
 * everything above expressions (SELECT blocks, relations, set operations, statements) lives here.
 * Nodes are plain serializable objects discriminated by `kind`; every node carries an optional
 * `span` (1-based line/column plus offsets into the SQL text) for error messages.
 *
 * Conventions the planner relies on:
 * - Identifiers keep the user's spelling (backticks removed); case-insensitive resolution is the
 *   analyzer's job. Multi-part names are `string[]` (`db.t` → `['db', 't']`).
 * - A projection item with an alias is an `{type: 'alias'}` Expr; `*` / `t.*` are `{type: 'star'}`.
 * - `GROUP BY 1` / `ORDER BY 2`: an ordinal is an Expr literal of type int at the top of the
 *   grouping / sort item (`{type: 'literal', dataType: {kind: 'int'}}`); the analyzer applies
 *   Spark's `groupByOrdinal` / `orderByOrdinal` rule (any other expression is not an ordinal).
 * - Defaults are filled in: sort items always have `ascending` and `nullsFirst` (Spark: ASC NULLS
 *   FIRST, DESC NULLS LAST); a set operation always has `all` (UNION = UNION DISTINCT).
 *
 * This file only grows: fields and node kinds are added, never renamed or removed.
 */

interface Node {
  readonly span?: SourceSpan;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/**
 * A full query: `[WITH ctes] body [ORDER BY ...] [LIMIT n] [OFFSET m]`. Also the node for a
 * parenthesized query inside a set operation (`(SELECT ... LIMIT 1) UNION ...`) and for every
 * sub-query (FROM sub-query, CTE body, scalar/EXISTS/IN sub-query expressions).
 */
export interface Query extends Node {
  readonly kind: 'query';
  /** Common table expressions, in declaration order (a later CTE may reference an earlier one). */
  readonly with?: readonly CommonTableExpression[];
  readonly body: QueryTerm;
  /** Query-level ORDER BY; for a set operation it sorts the combined result. */
  readonly orderBy?: readonly SortItem[];
  /** `SORT BY` (sort within partitions; a single-partition engine may treat it as ORDER BY). */
  readonly sortBy?: readonly SortItem[];
  /** `DISTRIBUTE BY` expressions (partitioning hint; may be ignored by a single-process engine). */
  readonly distributeBy?: readonly Expr[];
  /** `CLUSTER BY` = DISTRIBUTE BY + SORT BY ascending on the same expressions. */
  readonly clusterBy?: readonly Expr[];
  /** `LIMIT n`; absent for no limit and for `LIMIT ALL`. Any foldable expression. */
  readonly limit?: Expr;
  /** `OFFSET n`. */
  readonly offset?: Expr;
}

/** `name [(col, ...)] AS (query)` inside a WITH clause. */
export interface CommonTableExpression extends Node {
  readonly kind: 'cte';
  readonly name: string;
  readonly columnAliases?: readonly string[];
  readonly query: Query;
}

/** One operand of a query: a SELECT block, a set operation, VALUES, `TABLE t`, or a parenthesized query. */
export type QueryTerm = SelectBody | SetOperation | InlineTable | TableRelation | Query;

/**
 * `SELECT [DISTINCT|ALL] items FROM relations [LATERAL VIEW ...] WHERE ... GROUP BY ... HAVING ...`.
 * ORDER BY / LIMIT belong to the enclosing `Query`.
 */
export interface SelectBody extends Node {
  readonly kind: 'select';
  readonly distinct: boolean;
  /** Projection list; `{type:'alias'}` for `expr AS name`, `{type:'star'}` for `*` / `t.*`. */
  readonly projection: readonly Expr[];
  /**
   * The FROM list. Empty for `SELECT 1` (one row, no columns). Several entries
   * (`FROM a, b`) are an implicit cross join, left to right (a WHERE may later make it inner).
   */
  readonly from: readonly Relation[];
  /** `LATERAL VIEW [OUTER] gen(args) tbl AS c1, c2`, applied in order after the FROM relations. */
  readonly lateralViews: readonly LateralView[];
  readonly where?: Expr;
  readonly groupBy?: GroupByClause;
  readonly having?: Expr;
  /** Query hints from `SELECT /*+ BROADCAST(t) *\/ ...`; advisory. */
  readonly hints?: readonly Hint[];
}

/** `GROUP BY ALL` or a list of grouping elements. */
export type GroupByClause =
  | (Node & { readonly kind: 'all' })
  | (Node & { readonly kind: 'items'; readonly items: readonly GroupingElement[] });

/**
 * One element of GROUP BY. Plain expressions (and ordinals, see the file comment) are `expr`;
 * `ROLLUP(...)`, `CUBE(...)`, `GROUPING SETS(...)` and the trailing `WITH ROLLUP|CUBE` forms are
 * parsed into their sets (each inner array is one parenthesized group: `ROLLUP(a, (b, c))` →
 * `[[a], [b, c]]`; for GROUPING SETS each inner array is one grouping set, `()` = `[]`).
 */
export type GroupingElement =
  | (Node & { readonly kind: 'expr'; readonly expr: Expr })
  | (Node & { readonly kind: 'rollup' | 'cube'; readonly groups: readonly (readonly Expr[])[] })
  | (Node & { readonly kind: 'groupingSets'; readonly sets: readonly (readonly Expr[])[] });

/** `expr [ASC|DESC] [NULLS FIRST|LAST]` with Spark's defaults applied. */
export interface SortItem extends Node {
  readonly kind: 'sortItem';
  readonly expr: Expr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/**
 * `left UNION|INTERSECT|EXCEPT [ALL|DISTINCT] right` (`MINUS` = EXCEPT). Spark's precedence:
 * INTERSECT binds tighter than UNION and EXCEPT, which are left-associative at the same level.
 */
export interface SetOperation extends Node {
  readonly kind: 'setOperation';
  readonly op: 'union' | 'intersect' | 'except';
  /** true for `ALL`; false for `DISTINCT` and for no quantifier. */
  readonly all: boolean;
  readonly left: QueryTerm;
  readonly right: QueryTerm;
  /** Columns matched by name instead of position (reserved; the SQL parser never sets it). */
  readonly byName?: boolean;
}

/** `/*+ NAME(arg, ...) *\/` */
export interface Hint extends Node {
  readonly kind: 'hint';
  readonly name: string;
  readonly args: readonly Expr[];
}

// ---------------------------------------------------------------------------------------------
// Relations (FROM clause)
// ---------------------------------------------------------------------------------------------

export type Relation = TableRelation | SubqueryRelation | JoinRelation | InlineTable | TableFunctionRelation;

/** `db.t [AS] alias [(c1, c2)]` — a temp view, CTE, streaming source alias or catalog table. */
export interface TableRelation extends Node {
  readonly kind: 'table';
  readonly name: readonly string[];
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
}

/** `(query) [AS] alias [(c1, c2)]`; Spark allows the alias to be omitted. */
export interface SubqueryRelation extends Node {
  readonly kind: 'subquery';
  readonly query: Query;
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
  /** `LATERAL (subquery)` */
  readonly lateral?: boolean;
}

/** Join types; `LEFT SEMI` = 'semi', `LEFT ANTI` = 'anti', `[INNER] JOIN` = 'inner', `OUTER` is implied. */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross' | 'semi' | 'anti';

/**
 * `left [NATURAL] <type> JOIN right [ON cond | USING (c1, c2)]`. At most one of `condition` and
 * `using` is set; neither means no condition (cross join, or an inner join without ON).
 */
export interface JoinRelation extends Node {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly left: Relation;
  readonly right: Relation;
  readonly condition?: Expr;
  readonly using?: readonly string[];
  readonly natural?: boolean;
}

/**
 * `VALUES (1, 'a'), (2, 'b') [AS] t(c1, c2)` — as a relation in FROM or as a whole query term.
 * Spark names the columns `col1, col2, ...` when no column aliases are given. A row written
 * without parentheses (`VALUES 1, 2`) is a one-column row.
 */
export interface InlineTable extends Node {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
}

/** A table-valued function in FROM: `range(10)`, `explode(array(1, 2)) t(x)`. */
export interface TableFunctionRelation extends Node {
  readonly kind: 'tableFunction';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
}

/**
 * `LATERAL VIEW [OUTER] explode(arr) tbl AS c1, c2`. The generator is a `function` Expr.
 * `tableAlias` may be absent (Spark allows `LATERAL VIEW explode(x) AS c`); `columnAliases`
 * may be empty (the generator's default names apply: `col`, `pos`, `key`, `value`).
 */
export interface LateralView extends Node {
  readonly kind: 'lateralView';
  readonly generator: Expr;
  readonly outer: boolean;
  readonly tableAlias?: string;
  readonly columnAliases: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** Everything `parseQuery` / `parseStatements` can return. */
export type Statement =
  | Query
  | CreateViewStatement
  | DropViewStatement
  | ExplainStatement
  | DescribeStatement
  | ShowTablesStatement
  | ShowViewsStatement
  | ShowFunctionsStatement
  | ShowColumnsStatement
  | SetStatement
  | ResetStatement;

/**
 * `CREATE [OR REPLACE] [GLOBAL] TEMP[ORARY] VIEW [IF NOT EXISTS] name [(c1 [COMMENT 'x'], ...)]
 * [COMMENT 'x'] AS query`. `CREATE VIEW` without TEMPORARY parses with `temporary: false` (the
 * session decides whether it supports persistent views).
 */
export interface CreateViewStatement extends Node {
  readonly kind: 'createView';
  readonly name: readonly string[];
  readonly replace: boolean;
  readonly temporary: boolean;
  readonly global: boolean;
  readonly ifNotExists: boolean;
  readonly columns?: readonly { readonly name: string; readonly comment?: string }[];
  readonly comment?: string;
  readonly query: Query;
  /** The query's original SQL text (Spark keeps it as the view text). */
  readonly queryText: string;
}

/** `DROP VIEW [IF EXISTS] name` */
export interface DropViewStatement extends Node {
  readonly kind: 'dropView';
  readonly name: readonly string[];
  readonly ifExists: boolean;
}

/** `EXPLAIN [EXTENDED | FORMATTED | CODEGEN | COST | LOGICAL] statement` (`simple` when no mode). */
export interface ExplainStatement extends Node {
  readonly kind: 'explain';
  readonly mode: 'simple' | 'extended' | 'formatted' | 'codegen' | 'cost' | 'logical';
  readonly statement: Statement;
}

/**
 * `DESC[RIBE] [TABLE] [EXTENDED|FORMATTED] name [column]` or `DESC[RIBE] QUERY query` /
 * `DESCRIBE SELECT ...` (describes the query's output columns).
 */
export interface DescribeStatement extends Node {
  readonly kind: 'describe';
  readonly extended: boolean;
  readonly target:
    | { readonly kind: 'table'; readonly name: readonly string[]; readonly column?: readonly string[] }
    | { readonly kind: 'query'; readonly query: Query };
}

/** `SHOW TABLES [FROM|IN db] [[LIKE] 'pattern']` */
export interface ShowTablesStatement extends Node {
  readonly kind: 'showTables';
  readonly database?: readonly string[];
  readonly pattern?: string;
}

/** `SHOW VIEWS [FROM|IN db] [[LIKE] 'pattern']` */
export interface ShowViewsStatement extends Node {
  readonly kind: 'showViews';
  readonly database?: readonly string[];
  readonly pattern?: string;
}

/** `SHOW [USER|SYSTEM|ALL] FUNCTIONS [[LIKE] 'pattern' | name]` */
export interface ShowFunctionsStatement extends Node {
  readonly kind: 'showFunctions';
  readonly scope: 'all' | 'user' | 'system';
  readonly pattern?: string;
}

/** `SHOW COLUMNS (FROM|IN) table [(FROM|IN) db]` */
export interface ShowColumnsStatement extends Node {
  readonly kind: 'showColumns';
  readonly table: readonly string[];
}

/**
 * `SET` (list all), `SET -v`, `SET key` (show one), `SET key = value`. The key and value are the
 * raw text as Spark reads it (`SET spark.sql.ansi.enabled=false` → key `spark.sql.ansi.enabled`,
 * value `false`); a quoted value has its quotes removed.
 */
export interface SetStatement extends Node {
  readonly kind: 'set';
  readonly key?: string;
  readonly value?: string;
  /** `SET -v` */
  readonly verbose?: boolean;
}

/** `RESET` / `RESET key` */
export interface ResetStatement extends Node {
  readonly kind: 'reset';
  readonly key?: string;
}

// ---------------------------------------------------------------------------------------------
// Schema strings
// ---------------------------------------------------------------------------------------------

/** One column of a DDL schema string as parsed, before it becomes a StructField. */
export interface ColumnDefinition extends Node {
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
  readonly comment?: string;
}

/** The kinds of every statement, for exhaustive switches. */
export type StatementKind = Statement['kind'];
