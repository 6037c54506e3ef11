import { InternalError, ParseError, SluiceError } from '../errors.js';
import type { Expr } from '../expr/expression.js';
import type { DataType, StructType } from '../types/data-type.js';
import type { Query, SortItem, Statement } from './ast.js';
import { parseColumnList, parseDataTypeAt } from './data-type-parser.js';
import { parseNamedExpr, parseSortItem } from './expr-parser.js';
import type { SqlParameters } from './parameters.js';
import { sqlExcerpt } from './parse-error.js';
import { Parser } from './parser.js';
import { parseQueryAt } from './query.js';
import { tableName } from './relation.js';
import { parseStatementAt } from './statement.js';

/**
 * The Spark SQL front end. Every function throws `ParseError` (Spark's `[PARSE_SYNTAX_ERROR]` wording,
 * 1-based line/column in `error.position`, a caret excerpt in the message) for malformed input, and
 * `NotImplementedError` for valid Spark syntax Sluice does not support (window functions, INSERT, ...).
 */

export type * from './ast.js';
export { type SqlParameters, valueToExpr } from './parameters.js';
export { sqlExcerpt } from './parse-error.js';
export { levenshtein, nearestNames } from './suggest.js';
export { dataTypeToSql, exprToSql, queryToSql, quoteIdentifier, quoteString } from './to-sql.js';

/** Runs a parse, turning an unexpected JavaScript exception (a parser bug) into an InternalError. */
/** Options of the parse entry points. */
export interface ParseOptions {
  /**
   * Values for parameter markers, as Spark's `spark.sql(sqlText, args)`: an object for `:name`
   * markers or an array for `?` markers. A marker without a value is `[UNBOUND_SQL_PARAMETER]`.
   */
  readonly args?: SqlParameters;
}

function guarded<T>(text: string, fn: (p: Parser) => T, options?: ParseOptions): T {
  if (typeof text !== 'string') {
    throw new ParseError('PARSE_EMPTY_STATEMENT', 'Syntax error, unexpected empty statement.');
  }
  try {
    return fn(new Parser(text, options?.args));
  } catch (e) {
    if (e instanceof SluiceError) throw e;
    if (e instanceof RangeError) {
      // Call stack exhausted on pathological input despite the depth guard.
      throw new ParseError('PARSE_SYNTAX_ERROR', 'Syntax error: the statement is nested too deeply.', {
        line: 1,
        column: 1,
      });
    }
    throw new InternalError('INTERNAL_ERROR', `The SQL parser failed unexpectedly: ${String(e)}`, undefined, {
      cause: e,
    });
  }
}

function expectEnd(p: Parser): void {
  if (!p.atEnd()) throw p.error();
}

function emptyStatement(p: Parser): ParseError {
  const t = p.peek();
  return new ParseError(
    'PARSE_EMPTY_STATEMENT',
    `Syntax error, unexpected empty statement.\n${sqlExcerpt(p.text, t.line, t.column)}`,
    { line: t.line, column: t.column },
  );
}

/**
 * One statement: a query (`SELECT`, `WITH`, `VALUES`, `TABLE`, set operations) or `CREATE TEMP VIEW`,
 * `DROP VIEW`, `EXPLAIN`, `DESCRIBE`, `SHOW TABLES|VIEWS|FUNCTIONS|COLUMNS`, `SET`, `RESET`.
 * A trailing `;` is allowed.
 */
export function parseQuery(sql: string, options?: ParseOptions): Statement {
  return guarded(
    sql,
    (p) => {
      while (p.acceptOp(';'));
      if (p.atEnd()) throw emptyStatement(p);
      const stmt = parseStatementAt(p);
      while (p.acceptOp(';'));
      expectEnd(p);
      return stmt;
    },
    options,
  );
}

/** A `;`-separated script; empty statements are skipped. */
export function parseStatements(sql: string, options?: ParseOptions): Statement[] {
  return guarded(
    sql,
    (p) => {
      const out: Statement[] = [];
      for (;;) {
        while (p.acceptOp(';'));
        if (p.atEnd()) return out;
        out.push(parseStatementAt(p));
        if (!p.atEnd() && !p.isOp(';')) throw p.error();
      }
    },
    options,
  );
}

/** A query only (rejects other statements): the body of `session.sql` when a DataFrame is required. */
export function parseSelect(sql: string, options?: ParseOptions): Query {
  return guarded(
    sql,
    (p) => {
      while (p.acceptOp(';'));
      if (p.atEnd()) throw emptyStatement(p);
      const q = parseQueryAt(p);
      while (p.acceptOp(';'));
      expectEnd(p);
      return q;
    },
    options,
  );
}

/**
 * An expression, optionally with an alias (Spark's `singleExpression: namedExpression EOF`), as used by
 * `expr()`, `selectExpr`, `filter(string)`: `a + 1`, `count(*) AS n`, `explode(m) AS (k, v)`.
 */
export function parseExpression(text: string, options?: ParseOptions): Expr {
  return guarded(
    text,
    (p) => {
      if (p.atEnd()) throw p.error();
      const e = parseNamedExpr(p);
      expectEnd(p);
      return e;
    },
    options,
  );
}

/** Same as parseExpression (named for `selectExpr('a AS b')`); aliases are `{type: 'alias'}` nodes. */
export function parseNamedExpression(text: string, options?: ParseOptions): Expr {
  return parseExpression(text, options);
}

/** A sort expression: `a DESC NULLS FIRST`. */
export function parseSortExpression(text: string): SortItem {
  return guarded(text, (p) => {
    const s = parseSortItem(p);
    expectEnd(p);
    return s;
  });
}

/** A Spark data type: `int`, `decimal(10,2)`, `array<struct<a:int,b:string>>`, `map<string, bigint>`. */
export function parseDataType(text: string): DataType {
  return guarded(text, (p) => {
    const t = parseDataTypeAt(p);
    expectEnd(p);
    return t;
  });
}

/**
 * A DDL schema string: `userId STRING, price DOUBLE, tags ARRAY<STRING>`, `a INT NOT NULL COMMENT 'x'`
 * (comments go to `metadata.comment`). Like Spark's `StructType.fromDDL`, a `STRUCT<...>` type
 * string is accepted too.
 */
export function parseTableSchema(ddl: string): StructType {
  return guarded(ddl, (p) => {
    if (p.atEnd()) return { kind: 'struct', fields: [] };
    const mark = p.mark();
    try {
      const s = parseColumnList(p);
      expectEnd(p);
      return s;
    } catch (columnsError) {
      p.reset(mark);
      try {
        const t = parseDataTypeAt(p);
        expectEnd(p);
        if (t.kind === 'struct') return t;
      } catch {
        // Report the column-list error: that is the documented form.
      }
      throw columnsError;
    }
  });
}

/** A multi-part table identifier: `db.t`, `` `my table` `` → parts. */
export function parseTableIdentifier(text: string): string[] {
  return guarded(text, (p) => {
    const parts = tableName(p);
    expectEnd(p);
    return parts;
  });
}

/**
 * Spark's `parseAttributeName` for column names given as strings (`col('a.b')`, `` col('`a.b`.c') ``):
 * splits at dots outside backquotes; a doubled backquote inside quotes is a literal backquote.
 * Throws ParseError on unbalanced backquotes or empty parts.
 */
export function parseAttributeName(name: string): string[] {
  const bad = (column: number): ParseError =>
    new ParseError(
      'PARSE_SYNTAX_ERROR',
      `Syntax error at or near '${name}': invalid attribute name.\n${sqlExcerpt(name, 1, column)}`,
      { line: 1, column },
    );
  const parts: string[] = [];
  let cur = '';
  let inQuote = false;
  let quotedPart = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (inQuote) {
      if (c === '`') {
        if (name[i + 1] === '`') {
          cur += '`';
          i++;
        } else {
          inQuote = false;
          if (i + 1 < name.length && name[i + 1] !== '.') throw bad(i + 2);
        }
      } else cur += c;
    } else if (c === '`') {
      if (cur.length > 0) throw bad(i + 1);
      inQuote = true;
      quotedPart = true;
    } else if (c === '.') {
      if (cur === '' && !quotedPart) throw bad(i + 1);
      parts.push(cur);
      cur = '';
      quotedPart = false;
    } else cur += c;
  }
  if (inQuote) throw bad(name.lastIndexOf('`') + 1);
  if (cur === '' && !quotedPart && (parts.length > 0 || name === '')) {
    if (name === '') return [''];
    throw bad(name.length);
  }
  parts.push(cur);
  return parts;
}
