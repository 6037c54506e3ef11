import type { Expr } from '../expr/expression.js';
import type { InlineTable, JoinType, Relation } from './ast.js';
import {
  ALIAS_RESERVED,
  checkedIdentifier,
  identifier,
  identifierList,
  isIdentifier,
  parseExpr,
} from './expr-parser.js';
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';
import { groupContinuesAsQuery, parseQueryAt, startsQuery } from './query.js';

/**
 * FROM-clause relations: table names, `(query) alias`, `(relation) alias`, `VALUES … alias(cols)`,
 * table-valued functions `range(10) t`, `LATERAL (query)`, and joins
 * `[NATURAL] [INNER|CROSS|LEFT [OUTER]|RIGHT [OUTER]|FULL [OUTER]|[LEFT] SEMI|[LEFT] ANTI] JOIN r
 * [ON cond | USING (cols)]`, left-associative.
 */

/** Spark's strict non-reserved words: never a table alias. */
const STRICT_NON_RESERVED = new Set([
  'ANTI',
  'CROSS',
  'EXCEPT',
  'FULL',
  'INNER',
  'INTERSECT',
  'JOIN',
  'LATERAL',
  'LEFT',
  'MINUS',
  'NATURAL',
  'ON',
  'RIGHT',
  'SEMI',
  'UNION',
  'USING',
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One relation with its joins. */
export function parseRelation(p: Parser): Relation {
  p.enter();
  try {
    const start = p.peek();
    let left = relationPrimary(p);
    for (;;) {
      const join = joinTypeAhead(p);
      if (!join) return left;
      const joinTok = p.peek();
      for (let i = 0; i < join.tokens; i++) p.next();
      let lateral = false;
      if (p.isWord('LATERAL') && !p.isWord('VIEW', 1)) {
        p.next();
        if (!p.isOp('(') || !startsQuery(p, 1)) throw p.error();
        lateral = true;
      }
      let right = relationPrimary(p);
      if (lateral && right.kind === 'subquery') right = { ...right, lateral: true };
      const rel: Mutable<Relation & { kind: 'join' }> = {
        kind: 'join',
        joinType: join.type,
        left,
        right,
      };
      if (join.natural) {
        rel.natural = true;
      } else if (p.acceptWord('ON')) {
        rel.condition = parseExpr(p);
      } else if (p.isWord('USING')) {
        p.next();
        rel.using = identifierList(p);
      }
      if (join.type === 'cross' && (rel.condition || rel.using) && joinTok.kind === 'word') {
        // Spark accepts CROSS JOIN … ON and treats it as an inner join with that condition.
        rel.joinType = 'inner';
      }
      rel.span = p.span(start);
      left = rel;
    }
  } finally {
    p.leave();
  }
}

/** The join keywords at the cursor, if any: type, NATURAL, and how many tokens they take (incl. JOIN). */
function joinTypeAhead(p: Parser): { type: JoinType; natural: boolean; tokens: number } | undefined {
  let k = 0;
  let natural = false;
  if (p.isWord('NATURAL')) {
    natural = true;
    k++;
  }
  const w = (i: number) => (p.peek(k + i).kind === 'word' ? p.peek(k + i).upper : '');
  let type: JoinType;
  let n: number;
  switch (w(0)) {
    case 'JOIN':
      type = 'inner';
      n = 0;
      break;
    case 'INNER':
      type = 'inner';
      n = 1;
      break;
    case 'CROSS':
      type = 'cross';
      n = 1;
      break;
    case 'LEFT':
      if (w(1) === 'SEMI') {
        type = 'semi';
        n = 2;
      } else if (w(1) === 'ANTI') {
        type = 'anti';
        n = 2;
      } else {
        type = 'left';
        n = w(1) === 'OUTER' ? 2 : 1;
      }
      break;
    case 'RIGHT':
      type = 'right';
      n = w(1) === 'OUTER' ? 2 : 1;
      break;
    case 'FULL':
      type = 'full';
      n = w(1) === 'OUTER' ? 2 : 1;
      break;
    case 'SEMI':
      type = 'semi';
      n = 1;
      break;
    case 'ANTI':
      type = 'anti';
      n = 1;
      break;
    default:
      if (natural) throw p.error(p.peek(k));
      return undefined;
  }
  if (w(n) !== 'JOIN') {
    // `LEFT` etc. not followed by JOIN: a syntax error unless nothing join-like started.
    if (natural || n > 0) throw p.error(p.peek(k + n));
    return undefined;
  }
  return { type, natural, tokens: k + n + 1 };
}

function relationPrimary(p: Parser): Relation {
  const start = p.peek();
  if (p.isWord('LATERAL') && p.isOp('(', 1)) {
    p.next();
    if (!startsQuery(p, 1)) throw p.error(p.peek(1));
    p.next();
    const query = parseQueryAt(p);
    p.expectOp(')');
    return { kind: 'subquery', query, lateral: true, ...tableAlias(p), span: p.span(start) };
  }
  if (p.isOp('(')) {
    // `(SELECT …) t`, `((SELECT …) UNION …) t` and `((SELECT …)) t` are queries;
    // `((SELECT …) JOIN u)` and `((a JOIN b))` are parenthesized relations.
    if (startsQuery(p, 1) && (!p.isOp('(', 1) || groupContinuesAsQuery(p, 1, true))) {
      p.next();
      const query = parseQueryAt(p);
      p.expectOp(')');
      return { kind: 'subquery', query, ...tableAlias(p), span: p.span(start) };
    }
    return parenthesizedRelation(p, start);
  }
  if (p.isWord('VALUES') && !p.isOp(',', 1) && p.peek(1).kind !== 'eof') return inlineTable(p, true);
  const t = p.peek();
  if (!isIdentifier(t)) throw p.error(t);
  if (
    t.kind === 'word' &&
    (ALIAS_RESERVED.has(t.upper) || STRICT_NON_RESERVED.has(t.upper)) &&
    !p.isOp('(', 1)
  ) {
    throw p.error(t);
  }
  // Table-valued function: `range(10)`, `db.fn(x)`.
  if (p.isOp('(', 1) || (p.isOp('.', 1) && isIdentifier(p.peek(2)) && p.isOp('(', 3))) {
    const nameParts = [identifier(p)];
    while (p.acceptOp('.')) nameParts.push(identifier(p));
    p.expectOp('(');
    const args: Expr[] = [];
    if (!p.isOp(')')) {
      do args.push(parseExpr(p));
      while (p.acceptOp(','));
    }
    p.expectOp(')');
    return {
      kind: 'tableFunction',
      name: nameParts.join('.').toLowerCase(),
      args,
      ...tableAlias(p),
      span: p.span(start),
    };
  }
  const name = tableName(p);
  if (p.isWord('TABLESAMPLE')) {
    throw p.notImplemented('UNSUPPORTED_FEATURE.TABLESAMPLE', 'TABLESAMPLE is not supported by Sluice.');
  }
  return { kind: 'table', name, ...tableAlias(p), span: p.span(start) };
}

function parenthesizedRelation(p: Parser, start: Token): Relation {
  p.expectOp('(');
  const inner = parseRelation(p);
  p.expectOp(')');
  const alias = tableAlias(p);
  if (alias.alias === undefined) return inner;
  // `(a JOIN b) AS j`: an aliased relation is a sub-query over it.
  return {
    kind: 'subquery',
    query: {
      kind: 'query',
      body: {
        kind: 'select',
        distinct: false,
        projection: [{ type: 'star' }],
        from: [inner],
        lateralViews: [],
      },
    },
    ...alias,
    span: p.span(start),
  };
}

/**
 * A multi-part table name `db.t`. `my-table` is Spark's INVALID_IDENTIFIER error (quote it with
 * backquotes).
 */
export function tableName(p: Parser): string[] {
  const parts: string[] = [checkedIdentifier(p)];
  while (p.isOp('.') && isIdentifier(p.peek(1))) {
    p.next();
    parts.push(checkedIdentifier(p));
  }
  return parts;
}

/** `[AS] alias [(c1, c2)]` (Spark's tableAlias; JOIN keywords and clause words are never aliases). */
export function tableAlias(p: Parser): { alias?: string; columnAliases?: string[] } {
  const hasAs = p.acceptWord('AS');
  const t = p.peek();
  const usable =
    t.kind === 'quoted' ||
    (t.kind === 'word' && !STRICT_NON_RESERVED.has(t.upper) && (hasAs || !ALIAS_RESERVED.has(t.upper)));
  if (!usable) {
    if (hasAs) throw p.error(t);
    return {};
  }
  p.next();
  if (p.isOp('(')) return { alias: t.value, columnAliases: identifierList(p) };
  return { alias: t.value };
}

/** `VALUES row, row [AS] t(c1, c2)`; a row is `(e1, e2)` or a single expression. */
export function inlineTable(p: Parser, withAlias: boolean): InlineTable {
  const start = p.expectWord('VALUES');
  const rows: Expr[][] = [];
  do {
    if (p.isOp('(') && !startsQuery(p, 1)) {
      p.next();
      const row: Expr[] = [];
      do row.push(parseExpr(p));
      while (p.acceptOp(','));
      p.expectOp(')');
      rows.push(row);
    } else {
      rows.push([parseExpr(p)]);
    }
  } while (p.acceptOp(','));
  const width = rows[0]?.length ?? 0;
  for (const row of rows) {
    if (row.length !== width) {
      throw p.errorWith(
        'INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH',
        `Invalid inline table. Inline table expected ${width} columns but found ${row.length} columns in row ${rows.indexOf(row)}.`,
        start,
      );
    }
  }
  // As a whole query (`VALUES (1), (2)`) Spark also accepts an alias; it names the columns.
  const alias = withAlias || isIdentifier(p.peek()) ? tableAlias(p) : {};
  return { kind: 'values', rows, ...alias, span: p.span(start) };
}
