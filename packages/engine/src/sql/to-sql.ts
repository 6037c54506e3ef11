import type { Expr } from '../expr/expression.js';
import type { DataType } from '../types/data-type.js';
import { formatDate, formatTimestamp } from '../types/datetime.js';
import type { Decimal } from '../types/decimal.js';
import type { Interval } from '../types/interval.js';

/**
 * Prints an unresolved `Expr` back to Spark SQL text that parses to the same tree (spans aside):
 * every operator is parenthesized, identifiers are backquoted when needed, literals keep their
 * type (`1L`, `1.5BD`, `DATE '2024-01-01'`). Used for view text, messages and round-trip tests.
 * Sub-query expressions print as `(<subquery>)` (queries keep their original text instead).
 */

const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words the expression parser would not read back as a plain column name. */
const NEEDS_QUOTES = new Set([
  'AND',
  'OR',
  'NOT',
  'AS',
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'SELECT',
  'JOIN',
  'ON',
  'USING',
  'THEN',
  'ELSE',
  'END',
  'WHEN',
  'IS',
  'IN',
  'ESCAPE',
  'DISTINCT',
  'CROSS',
  'INNER',
  'FULL',
  'NATURAL',
  'WITH',
  'INTO',
  'BETWEEN',
  'LIKE',
  'ILIKE',
  'RLIKE',
  'REGEXP',
  'NULL',
  'TRUE',
  'FALSE',
  'CASE',
  'INTERVAL',
  'DIV',
]);

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
          return `${quoteIdentifier(f.name)}: ${dataTypeToSql(f.dataType)}${f.nullable ? '' : ' NOT NULL'}${
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
      return `${String(n)}${suffix}`;
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
      return e.nameParts.map(quoteIdentifier).join('.');
    case 'star':
      return e.qualifier ? `${e.qualifier.map(quoteIdentifier).join('.')}.*` : '*';
    case 'literal':
      return literalToSql(e.value, e.dataType);
    case 'function': {
      const name = e.name.split('.').map(quoteIdentifier).join('.');
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
      const params = e.params.map(quoteIdentifier);
      const head = params.length === 1 ? params[0] : `(${params.join(', ')})`;
      return `${head} -> ${exprToSql(e.body)}`;
    }
    case 'alias': {
      const names = e.names.map(quoteIdentifier);
      return `${exprToSql(e.operand)} AS ${names.length === 1 ? names[0] : `(${names.join(', ')})`}`;
    }
    case 'field':
      return `${exprToSql(e.operand)}.${quoteIdentifier(e.field)}`;
    case 'subscript':
      return `${exprToSql(e.operand)}[${exprToSql(e.index)}]`;
    case 'subquery': {
      const neg = e.negated ? 'NOT ' : '';
      if (e.kind === 'exists') return `(${neg}EXISTS (<subquery>))`;
      if (e.kind === 'in' && e.operand) return `(${exprToSql(e.operand)} ${neg}IN (<subquery>))`;
      return '(<subquery>)';
    }
  }
}
