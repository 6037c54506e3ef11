import type { DataType } from '../types/data-type.js';

/**
 * The unresolved expression tree. The SQL parser (`sql/`), `expr()` / `selectExpr` and the
 * Column API (`col('a').plus(1)`) all build these nodes; the analyzer resolves names and types
 * against a schema, and `expr/compile` turns the resolved tree into one JavaScript function per
 * query. Nodes are plain serializable objects (JSON-safe except literal values such as Uint8Array).
 */
export interface SourceSpan {
  /** 1-based line and column of the first character, offsets into the SQL text. */
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly end: number;
}

interface Node {
  readonly span?: SourceSpan;
}

export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | 'div'
  | '='
  | '=='
  | '<=>'
  | '!='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or'
  | '||'
  | '&'
  | '|'
  | '^';

export type Expr =
  /** `a`, `t.a`, `s.field` — the analyzer decides which parts are qualifiers and which are struct fields. */
  | (Node & { readonly type: 'column'; readonly nameParts: readonly string[] })
  /** `*` or `t.*` */
  | (Node & { readonly type: 'star'; readonly qualifier?: readonly string[] })
  | (Node & { readonly type: 'literal'; readonly value: unknown; readonly dataType: DataType })
  /** Every named function, scalar or aggregate: `count(DISTINCT x) FILTER (WHERE ...)`, `window(ts, '10 seconds')`. */
  | (Node & {
      readonly type: 'function';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly distinct?: boolean;
      readonly filter?: Expr;
      readonly ignoreNulls?: boolean;
    })
  | (Node & {
      readonly type: 'binary';
      readonly op: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
    })
  | (Node & { readonly type: 'unary'; readonly op: '-' | '+' | 'not' | '~'; readonly operand: Expr })
  | (Node & { readonly type: 'isNull'; readonly operand: Expr; readonly negated: boolean })
  /** `IS [NOT] TRUE|FALSE|UNKNOWN` */
  | (Node & {
      readonly type: 'isBool';
      readonly operand: Expr;
      readonly value: boolean | null;
      readonly negated: boolean;
    })
  | (Node & {
      readonly type: 'case';
      /** `CASE x WHEN 1 THEN ...` has an operand; searched CASE has none. */
      readonly operand?: Expr;
      readonly branches: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly otherwise?: Expr;
    })
  /** `CAST(x AS t)`, `x::t`, `TRY_CAST(x AS t)` (safe = true: null instead of an error). */
  | (Node & {
      readonly type: 'cast';
      readonly operand: Expr;
      readonly dataType: DataType;
      readonly safe?: boolean;
    })
  | (Node & {
      readonly type: 'in';
      readonly operand: Expr;
      readonly list: readonly Expr[];
      readonly negated: boolean;
    })
  | (Node & {
      readonly type: 'between';
      readonly operand: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly negated: boolean;
    })
  | (Node & {
      readonly type: 'like';
      readonly kind: 'like' | 'ilike' | 'rlike';
      readonly operand: Expr;
      readonly pattern: Expr;
      readonly escape?: string;
      readonly negated: boolean;
    })
  /** `x -> x + 1`, `(acc, x) -> acc + x` in higher-order functions. */
  | (Node & { readonly type: 'lambda'; readonly params: readonly string[]; readonly body: Expr })
  /** `expr AS name`, `expr AS (a, b)` for generators. */
  | (Node & { readonly type: 'alias'; readonly operand: Expr; readonly names: readonly string[] })
  /** `expr.field` on a non-column expression (`named_struct(...).a`). */
  | (Node & { readonly type: 'field'; readonly operand: Expr; readonly field: string })
  /** `arr[0]`, `map['k']` */
  | (Node & { readonly type: 'subscript'; readonly operand: Expr; readonly index: Expr })
  /** `(SELECT ...)` scalar sub-query, `EXISTS (...)`, `x IN (SELECT ...)`; the plan is the SQL front end's query AST. */
  | (Node & {
      readonly type: 'subquery';
      readonly kind: 'scalar' | 'exists' | 'in';
      readonly query: unknown;
      readonly operand?: Expr;
      readonly negated?: boolean;
    });

export type ExprType = Expr['type'];
