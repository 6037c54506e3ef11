import type { Expr } from '../../expr/expression.js';
import type { Row, StructType } from '../../types/data-type.js';

/**
 * The unresolved logical plan: what the DataFrame API and the SQL front end build. Nodes are plain
 * configs (JSON-serializable except LocalRelation's rows and StreamingRelation's source descriptor);
 * `analyze()` (plan/analyzer.ts) resolves them into a `BoundPlan`. `displayLogical(node)` gives the
 * one-line description EXPLAIN prints for each node.
 */
export type LogicalPlan =
  | UnresolvedRelation
  | LocalRelation
  | RangeRelation
  | StreamingRelation
  | Project
  | Filter
  | Aggregate
  | Join
  | SetOperation
  | Sort
  | Limit
  | Distinct
  | Deduplicate
  | Generate
  | SubqueryAlias
  | WithWatermark
  | ToDF
  | GroupsWithState;

/** A table or temporary view looked up by name in the session catalog. */
export interface UnresolvedRelation {
  readonly kind: 'unresolvedRelation';
  readonly name: readonly string[];
  readonly span?: Expr['span'];
}

/** In-memory rows with a schema (`createDataFrame`, `VALUES`, file reads). */
export interface LocalRelation {
  readonly kind: 'localRelation';
  readonly schema: StructType;
  readonly rows: readonly Row[];
  /** Shown by EXPLAIN instead of `LocalRelation` when the rows come from files (`FileScan json [path]`). */
  readonly label?: string;
  /**
   * Rows read asynchronously (a batch Kafka read): each action loads them before it runs
   * (plan/async-leaves.ts); `rows` is then unused.
   */
  readonly load?: () => Promise<readonly Row[]>;
}

/** `spark.range(start, end, step)`: one `id bigint` column. */
export interface RangeRelation {
  readonly kind: 'range';
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/**
 * A streaming leaf. `source` is the streaming engineer's SourceProvider descriptor; the micro-batch
 * engine replaces it with a scan of the current micro-batch (streaming/incremental-execution.ts).
 */
export interface StreamingRelation {
  readonly kind: 'streamingRelation';
  readonly source: unknown;
  readonly schema: StructType;
  /** e.g. `kafka`, `rate`, `memory` — shown by EXPLAIN. */
  readonly sourceName: string;
}

export interface Project {
  readonly kind: 'project';
  readonly child: LogicalPlan;
  readonly exprs: readonly Expr[];
}

export interface Filter {
  readonly kind: 'filter';
  readonly child: LogicalPlan;
  readonly condition: Expr;
}

/** GROUP BY: `groupBy` keys and the output list (which may mix grouping keys and aggregate calls). */
export interface Aggregate {
  readonly kind: 'aggregate';
  readonly child: LogicalPlan;
  readonly groupBy: readonly Expr[];
  readonly aggregates: readonly Expr[];
  /** HAVING, resolved over the aggregate's output and the child's grouping keys. */
  readonly having?: Expr;
  /** From SQL: GROUP BY ordinals (`GROUP BY 1`) and select aliases apply (Spark's groupByOrdinal/Aliases). */
  readonly sql?: boolean;
  /**
   * ROLLUP / CUBE / GROUPING SETS: each set lists indexes into `groupBy`; rows are aggregated once
   * per set with the other keys null (Spark's Expand + Aggregate on `spark_grouping_id`).
   */
  readonly groupingSets?: readonly (readonly number[])[];
}

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';

export interface Join {
  readonly kind: 'join';
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  readonly condition?: Expr;
  /** `USING (a, b)` or `df.join(other, ['a','b'])`: equality on these names, one output column each. */
  readonly using?: readonly string[];
  readonly natural?: boolean;
}

/** UNION / INTERSECT / EXCEPT; `all` keeps duplicates. `byName` matches columns by name (unionByName). */
export interface SetOperation {
  readonly kind: 'setOperation';
  readonly op: 'union' | 'intersect' | 'except';
  readonly all: boolean;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly byName?: boolean;
  readonly allowMissingColumns?: boolean;
}

export interface SortOrder {
  readonly expr: Expr;
  readonly ascending: boolean;
  /** Spark's default: nulls first when ascending, last when descending. */
  readonly nullsFirst: boolean;
}

export interface Sort {
  readonly kind: 'sort';
  readonly child: LogicalPlan;
  readonly orders: readonly SortOrder[];
  /** false for `sortWithinPartitions` (same thing in a single-partition engine). */
  readonly global: boolean;
  /** From SQL: ORDER BY ordinals apply (Spark's orderByOrdinal). */
  readonly sql?: boolean;
}

export interface Limit {
  readonly kind: 'limit';
  readonly child: LogicalPlan;
  readonly limit: number;
  readonly offset?: number;
}

/** `DISTINCT` / `df.distinct()`: deduplicate whole rows. */
export interface Distinct {
  readonly kind: 'distinct';
  readonly child: LogicalPlan;
}

/** `dropDuplicates(cols)` / `dropDuplicatesWithinWatermark(cols)`: keep the first row per key. */
export interface Deduplicate {
  readonly kind: 'deduplicate';
  readonly child: LogicalPlan;
  readonly columns: readonly string[];
  readonly withinWatermark?: boolean;
}

/** `LATERAL VIEW [OUTER] explode(x) t AS a` or a generator in a select list. */
export interface Generate {
  readonly kind: 'generate';
  readonly child: LogicalPlan;
  readonly generator: Expr;
  readonly outer: boolean;
  readonly tableAlias?: string;
  readonly columnAliases: readonly string[];
}

/** `FROM t AS x`, `(subquery) x`, `df.alias('x')`, a CTE reference. */
export interface SubqueryAlias {
  readonly kind: 'subqueryAlias';
  readonly child: LogicalPlan;
  readonly alias: string;
  /** `t(a, b)`: rename the child's columns. */
  readonly columnAliases?: readonly string[];
}

/** `withWatermark(column, delay)`: a marker the streaming engineer reads; a no-op in batch. */
export interface WithWatermark {
  readonly kind: 'withWatermark';
  readonly child: LogicalPlan;
  readonly column: string;
  readonly delay: string;
  readonly delayMs: number;
}

/** `df.toDF('a', 'b')`: rename all columns positionally. */
export interface ToDF {
  readonly kind: 'toDF';
  readonly child: LogicalPlan;
  readonly names: readonly string[];
}

/**
 * `groupByKey(f).[flat]MapGroupsWithState(...)` (Spark's FlatMapGroupsWithState): the rows grouped
 * by a user key function, each group handed with its state to a user function
 * (streaming/group-state.ts). `spec` holds the functions, which work on the child's rows.
 */
export interface GroupsWithState {
  readonly kind: 'groupsWithState';
  readonly child: LogicalPlan;
  readonly spec: GroupsWithStateSpec;
}

export interface GroupsWithStateSpec {
  /** The grouping key of a child row (a JavaScript value; equal keys have equal JSON). */
  readonly keyOf: (row: Row) => unknown;
  /** Calls the user function for one key; returns the output rows. */
  readonly call: (key: unknown, rows: readonly Row[], state: unknown) => Row[];
  readonly outputSchema: StructType;
  readonly timeout: 'NoTimeout' | 'ProcessingTimeTimeout' | 'EventTimeTimeout';
  /** The operation's own output mode (flatMapGroupsWithState's argument; update for mapGroupsWithState). */
  readonly outputMode: 'append' | 'update';
  readonly isMapGroups: boolean;
  /** `mapGroups`/`flatMapGroups` without state: a batch-only grouping (Spark's MapGroups). */
  readonly stateless?: boolean;
  /**
   * Set for Spark 4's `transformWithState`: `open()` starts a run of the StatefulProcessor
   * (streaming/stateful-processor.ts) and `call`/`timeout` are unused.
   */
  readonly transform?: {
    readonly timeMode: 'None' | 'ProcessingTime' | 'EventTime';
    readonly open: () => unknown;
  };
  /** The initial state (a batch KeyValueGroupedDataset of states): applied before the first batch. */
  readonly initialState?: {
    readonly isStreaming: boolean;
    readonly entries: () => { key: unknown; state: unknown }[];
  };
}

/** Children of a logical node, left to right. */
export function logicalChildren(p: LogicalPlan): LogicalPlan[] {
  switch (p.kind) {
    case 'unresolvedRelation':
    case 'localRelation':
    case 'range':
    case 'streamingRelation':
      return [];
    case 'join':
    case 'setOperation':
      return [p.left, p.right];
    default:
      return [p.child];
  }
}

/** True when any leaf is a streaming relation (DataFrame.isStreaming). Relations are resolved by the caller. */
export function containsStreamingLeaf(p: LogicalPlan): boolean {
  if (p.kind === 'streamingRelation') return true;
  return logicalChildren(p).some(containsStreamingLeaf);
}
