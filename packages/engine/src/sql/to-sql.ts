import type { Expr } from '../expr/expression.js';
import type { DataType } from '../types/data-type.js';
import { formatDate, formatTimestamp } from '../types/datetime.js';
import type { Decimal } from '../types/decimal.js';
import type { Interval } from '../types/interval.js';
import type {
  GroupByClause,
  GroupingElement,
  Hint,
  LateralView,
  Query,
  QueryTerm,
  Relation,
  SortItem,
} from './ast.js';
import { ALIAS_RESERVED, EXPR_RESERVED } from './expr-parser.js';

/**
 * Prints an unresolved `Expr` back to Spark SQL text that parses to the same tree (spans aside):
 * every operator is parenthesized, identifiers are backquoted when needed, literals keep their
 * type (`1L`, `1.5BD`, `DATE '2024-01-01'`). Used for view text, messages and round-trip tests.
 * `queryToSql` does the same for queries (set-operation operands and nested joins parenthesized).
 */

const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words the parser would not read back as a plain name in every position (so they are quoted). */
const NEEDS_QUOTES = new Set([
  ...ALIAS_RESERVED,
  'NULL',
  'TRUE',
  'FALSE',
  'CASE',
  'INTERVAL',
  'DIV',
  'ALL',
  'EXISTS',
  'CURRENT_DATE',
  'CURRENT_TIMESTAMP',
  'CURRENT_USER',
  'SESSION_USER',
]);

/** Words that cannot start an expression as a bare column name. */
const COLUMN_NEEDS_QUOTES = new Set([
  ...EXPR_RESERVED,
  'VALUES',
  'TABLE',
  'NOT',
  'NULL',
  'TRUE',
  'FALSE',
  'CASE',
  'INTERVAL',
  'DIV',
  'ALL',
  'EXISTS',
  'CURRENT_DATE',
  'CURRENT_TIMESTAMP',
  'CURRENT_USER',
  'SESSION_USER',
]);

/** A name where any word is accepted (after a dot, after AS, a struct field, a lambda parameter). */
function plainName(name: string): string {
  return PLAIN_IDENT.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** The first part of a column reference. */
function columnHead(name: string): string {
  return PLAIN_IDENT.test(name) && !COLUMN_NEEDS_QUOTES.has(name.toUpperCase())
    ? name
    : `\`${name.replace(/`/g, '``')}\``;
}

/** Function names that would start another construct when followed by `(`. */
const FUNCTION_NEEDS_QUOTES = new Set([...COLUMN_NEEDS_QUOTES, 'CAST', 'TRY_CAST']);
// `exists(arr, x -> …)` is the higher-order function; only `EXISTS (SELECT …)` is a sub-query.
FUNCTION_NEEDS_QUOTES.delete('EXISTS');

function functionName(name: string): string {
  return PLAIN_IDENT.test(name) && !FUNCTION_NEEDS_QUOTES.has(name.toUpperCase())
    ? name
    : `\`${name.replace(/`/g, '``')}\``;
}

/** A multi-part column or function name. */
function dottedName(parts: readonly string[]): string {
  return parts.map((p, i) => (i === 0 ? columnHead(p) : plainName(p))).join('.');
}

/** An identifier, backquoted when it is not a plain word (or is a keyword). */
export function quoteIdentifier(name: string): string {
  if (PLAIN_IDENT.test(name) && !NEEDS_QUOTES.has(name.toUpperCase())) return name;
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A string literal with Spark escapes. */
export function quoteString(s: string): string {
  let out = "'";
  for (const ch of s) {
    switch (ch) {
      case "'":
        out += "\\'";
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\u0000':
        out += '\\0';
        break;
      default:
        out += ch;
    }
  }
  return `${out}'`;
}

/** Spark DDL text of a type: `INT`, `DECIMAL(10,2)`, `ARRAY<STRING>`, `STRUCT<a: INT NOT NULL>`. */
export function dataTypeToSql(t: DataType): string {
  switch (t.kind) {
    case 'null':
      return 'VOID';
    case 'byte':
      return 'TINYINT';
    case 'short':
      return 'SMALLINT';
    case 'long':
      return 'BIGINT';
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'array':
      return `ARRAY<${dataTypeToSql(t.elementType)}>`;
    case 'map':
      return `MAP<${dataTypeToSql(t.keyType)}, ${dataTypeToSql(t.valueType)}>`;
    case 'struct':
      return `STRUCT<${t.fields
        .map((f) => {
          const comment = f.metadata?.comment;
          return `${plainName(f.name)}: ${dataTypeToSql(f.dataType)}${f.nullable ? '' : ' NOT NULL'}${
            typeof comment === 'string' ? ` COMMENT ${quoteString(comment)}` : ''
          }`;
        })
        .join(', ')}>`;
    default:
      return t.kind.toUpperCase();
  }
}

function literalToSql(value: unknown, t: DataType): string {
  if (value === null) return t.kind === 'null' ? 'NULL' : `CAST(NULL AS ${dataTypeToSql(t)})`;
  switch (t.kind) {
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'int':
      return String(value);
    case 'long':
      return `${value}L`;
    case 'short':
      return `${value}S`;
    case 'byte':
      return `${value}Y`;
    case 'float':
    case 'double': {
      const n = value as number;
      const suffix = t.kind === 'float' ? 'F' : 'D';
      if (Number.isNaN(n)) return `CAST('NaN' AS ${t.kind.toUpperCase()})`;
      if (!Number.isFinite(n)) return `CAST('${n > 0 ? '' : '-'}Infinity' AS ${t.kind.toUpperCase()})`;
      return `${Object.is(n, -0) ? '-0' : String(n)}${suffix}`;
    }
    case 'decimal':
      return `${(value as Decimal).toString()}BD`;
    case 'string':
      return quoteString(value as string);
    case 'date':
      return `DATE '${formatDate(value as number)}'`;
    case 'timestamp':
      return `TIMESTAMP '${formatTimestamp(value as number)}'`;
    case 'binary':
      return `X'${Array.from(value as Uint8Array, (b) => b.toString(16).padStart(2, '0'))
        .join('')
        .toUpperCase()}'`;
    case 'interval':
      return `INTERVAL '${(value as Interval).toString()}'`;
    default:
      return `<${t.kind} literal>`;
  }
}

function isNumericLiteral(e: Expr): boolean {
  return e.type === 'literal' && typeof e.value === 'number';
}

/** SQL text for an expression; parsing it gives back the same tree. */
export function exprToSql(e: Expr): string {
  switch (e.type) {
    case 'column':
      return dottedName(e.nameParts);
    case 'star':
      return e.qualifier ? `${dottedName(e.qualifier)}.*` : '*';
    case 'literal':
      return literalToSql(e.value, e.dataType);
    case 'function': {
      const parts = e.name.split('.');
      const name = parts.length === 1 ? functionName(e.name) : dottedName(parts);
      let s = `${name}(${e.distinct ? 'DISTINCT ' : ''}${e.args.map(exprToSql).join(', ')})`;
      if (e.filter) s += ` FILTER (WHERE ${exprToSql(e.filter)})`;
      if (e.ignoreNulls !== undefined) s += e.ignoreNulls ? ' IGNORE NULLS' : ' RESPECT NULLS';
      return s;
    }
    case 'binary': {
      const op = e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op === 'div' ? 'DIV' : e.op;
      return `(${exprToSql(e.left)} ${op} ${exprToSql(e.right)})`;
    }
    case 'unary': {
      if (e.op === 'not') return `(NOT ${exprToSql(e.operand)})`;
      const operand = exprToSql(e.operand);
      // `-(1)`: a minus directly before a number would fold into a negative literal.
      return `(${e.op} ${isNumericLiteral(e.operand) ? `(${operand})` : operand})`;
    }
    case 'isNull':
      return `(${exprToSql(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'isBool':
      return `(${exprToSql(e.operand)} IS ${e.negated ? 'NOT ' : ''}${e.value === null ? 'UNKNOWN' : e.value ? 'TRUE' : 'FALSE'})`;
    case 'case': {
      let s = 'CASE';
      if (e.operand) s += ` ${exprToSql(e.operand)}`;
      for (const b of e.branches) s += ` WHEN ${exprToSql(b.when)} THEN ${exprToSql(b.then)}`;
      if (e.otherwise) s += ` ELSE ${exprToSql(e.otherwise)}`;
      return `${s} END`;
    }
    case 'cast':
      return `${e.safe ? 'TRY_CAST' : 'CAST'}(${exprToSql(e.operand)} AS ${dataTypeToSql(e.dataType)})`;
    case 'in':
      return `(${exprToSql(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(exprToSql).join(', ')}))`;
    case 'between':
      return `(${exprToSql(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${exprToSql(e.low)} AND ${exprToSql(e.high)})`;
    case 'like': {
      const kw = e.kind === 'like' ? 'LIKE' : e.kind === 'ilike' ? 'ILIKE' : 'RLIKE';
      const esc = e.escape !== undefined ? ` ESCAPE ${quoteString(e.escape)}` : '';
      return `(${exprToSql(e.operand)} ${e.negated ? 'NOT ' : ''}${kw} ${exprToSql(e.pattern)}${esc})`;
    }
    case 'lambda': {
      const params = e.params.map(plainName);
      const head = params.length === 1 ? params[0] : `(${params.join(', ')})`;
      return `${head} -> ${exprToSql(e.body)}`;
    }
    case 'alias': {
      const names = e.names.map(plainName);
      return `${exprToSql(e.operand)} AS ${names.length === 1 ? names[0] : `(${names.join(', ')})`}`;
    }
    case 'field':
      // `(1).c`: a number directly before the dot would lex as a decimal.
      return `${e.operand.type === 'literal' ? `(${exprToSql(e.operand)})` : exprToSql(e.operand)}.${plainName(e.field)}`;
    case 'subscript':
      return `${exprToSql(e.operand)}[${exprToSql(e.index)}]`;
    case 'subquery': {
      const query = queryToSql(e.query as Query);
      if (e.kind === 'exists') return `EXISTS (${query})`;
      if (e.kind === 'in' && e.operand)
        return `(${exprToSql(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${query}))`;
      return `(${query})`;
    }
  }
}

function list<T>(xs: readonly T[], f: (x: T) => string): string {
  return xs.map(f).join(', ');
}

function sortItemToSql(s: SortItem): string {
  return `${exprToSql(s.expr)} ${s.ascending ? 'ASC' : 'DESC'} NULLS ${s.nullsFirst ? 'FIRST' : 'LAST'}`;
}

function aliasToSql(alias: string | undefined, columns: readonly string[] | undefined): string {
  if (alias === undefined) return '';
  return ` AS ${quoteIdentifier(alias)}${columns ? `(${list(columns, quoteIdentifier)})` : ''}`;
}

function nameToSql(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join('.');
}

const JOIN_KEYWORDS: Record<string, string> = {
  inner: 'INNER JOIN',
  cross: 'CROSS JOIN',
  left: 'LEFT OUTER JOIN',
  right: 'RIGHT OUTER JOIN',
  full: 'FULL OUTER JOIN',
  semi: 'LEFT SEMI JOIN',
  anti: 'LEFT ANTI JOIN',
};

function relationToSql(r: Relation): string {
  switch (r.kind) {
    case 'table':
      return `${nameToSql(r.name)}${aliasToSql(r.alias, r.columnAliases)}`;
    case 'subquery':
      return `${r.lateral ? 'LATERAL ' : ''}(${queryToSql(r.query)})${aliasToSql(r.alias, r.columnAliases)}`;
    case 'values':
      return `VALUES ${list(r.rows, (row) => `(${list(row, exprToSql)})`)}${aliasToSql(r.alias, r.columnAliases)}`;
    case 'tableFunction':
      return `${r.name.split('.').map(quoteIdentifier).join('.')}(${list(r.args, exprToSql)})${aliasToSql(r.alias, r.columnAliases)}`;
    case 'join': {
      const right = r.right.kind === 'join' ? `(${relationToSql(r.right)})` : relationToSql(r.right);
      let s = `${relationToSql(r.left)} ${r.natural ? 'NATURAL ' : ''}${JOIN_KEYWORDS[r.joinType]} ${right}`;
      if (r.condition) s += ` ON ${exprToSql(r.condition)}`;
      if (r.using) s += ` USING (${list(r.using, quoteIdentifier)})`;
      return s;
    }
  }
}

function lateralViewToSql(v: LateralView): string {
  let s = `LATERAL VIEW ${v.outer ? 'OUTER ' : ''}${exprToSql(v.generator)}`;
  if (v.tableAlias !== undefined) s += ` ${quoteIdentifier(v.tableAlias)}`;
  if (v.columnAliases.length > 0) s += ` AS ${list(v.columnAliases, quoteIdentifier)}`;
  return s;
}

function groupsToSql(groups: readonly (readonly Expr[])[]): string {
  return list(groups, (g) => `(${list(g, exprToSql)})`);
}

function groupingToSql(g: GroupingElement): string {
  switch (g.kind) {
    case 'expr':
      return exprToSql(g.expr);
    case 'rollup':
      return `ROLLUP(${groupsToSql(g.groups)})`;
    case 'cube':
      return `CUBE(${groupsToSql(g.groups)})`;
    case 'groupingSets':
      return `GROUPING SETS (${groupsToSql(g.sets)})`;
  }
}

function groupByToSql(g: GroupByClause): string {
  return g.kind === 'all' ? 'GROUP BY ALL' : `GROUP BY ${list(g.items, groupingToSql)}`;
}

function hintToSql(h: Hint): string {
  return h.args.length > 0 ? `${h.name}(${list(h.args, exprToSql)})` : h.name;
}

function termToSql(t: QueryTerm): string {
  switch (t.kind) {
    case 'select': {
      let s = 'SELECT ';
      if (t.hints && t.hints.length > 0) s += `/*+ ${list(t.hints, hintToSql)} */ `;
      if (t.distinct) s += 'DISTINCT ';
      s += list(t.projection, exprToSql);
      if (t.from.length > 0) s += ` FROM ${list(t.from, relationToSql)}`;
      for (const v of t.lateralViews) s += ` ${lateralViewToSql(v)}`;
      if (t.where) s += ` WHERE ${exprToSql(t.where)}`;
      if (t.groupBy) s += ` ${groupByToSql(t.groupBy)}`;
      if (t.having) s += ` HAVING ${exprToSql(t.having)}`;
      return s;
    }
    case 'setOperation': {
      const op = t.op.toUpperCase();
      return `(${termToSql(t.left)}) ${op} ${t.all ? 'ALL' : 'DISTINCT'} (${termToSql(t.right)})`;
    }
    case 'values':
      return `VALUES ${list(t.rows, (row) => `(${list(row, exprToSql)})`)}${aliasToSql(t.alias, t.columnAliases)}`;
    case 'table':
      return `TABLE ${nameToSql(t.name)}`;
    case 'query':
      return `(${queryToSql(t)})`;
  }
}

/** SQL text for a query AST; parsing it gives back the same tree (spans aside). */
export function queryToSql(q: Query): string {
  let s = '';
  if (q.with && q.with.length > 0) {
    s += `WITH ${list(
      q.with,
      (c) =>
        `${quoteIdentifier(c.name)}${c.columnAliases ? ` (${list(c.columnAliases, quoteIdentifier)})` : ''} AS (${queryToSql(c.query)})`,
    )} `;
  }
  s += termToSql(q.body);
  if (q.orderBy) s += ` ORDER BY ${list(q.orderBy, sortItemToSql)}`;
  if (q.clusterBy) s += ` CLUSTER BY ${list(q.clusterBy, exprToSql)}`;
  if (q.distributeBy) s += ` DISTRIBUTE BY ${list(q.distributeBy, exprToSql)}`;
  if (q.sortBy) s += ` SORT BY ${list(q.sortBy, sortItemToSql)}`;
  if (q.limit) s += ` LIMIT ${exprToSql(q.limit)}`;
  if (q.offset) s += ` OFFSET ${exprToSql(q.offset)}`;
  return s;
}
