import type { Expr } from '../expr/expression.js';
import type { CommonTableExpression, InlineTable, Query, QueryTerm, SortItem, TableRelation } from './ast.js';
import { checkedIdentifier, identifierList, isIdentifier, parseExpr, parseSortItem } from './expr-parser.js';
import type { Parser } from './parser.js';
import { inlineTable, tableName } from './relation.js';
import { parseFromFirstSelect, parseSelectBody } from './select.js';

/**
 * Queries: `[WITH ctes] term [ORDER BY] [CLUSTER BY] [DISTRIBUTE BY] [SORT BY] [LIMIT n|ALL] [OFFSET m]`
 * where a term is SELECT / FROM … SELECT / VALUES / TABLE t / (query), combined by set operations
 * with Spark's precedence: INTERSECT binds tighter than UNION, EXCEPT and MINUS (left-associative).
 */

const QUERY_START = new Set(['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE']);

/** Does token k start a query (SELECT, WITH, VALUES, FROM, TABLE, or a parenthesized query)? */
export function startsQuery(p: Parser, k = 0): boolean {
  if (p.isWord('SELECT', k) || p.isWord('WITH', k)) return true;
  if (p.isAnyWord(QUERY_START, k)) {
    // `TABLE t` / `FROM t` / `VALUES (…)` need something after the keyword (else a column named so).
    return !(p.isOp(')', k + 1) || p.isOp(',', k + 1));
  }
  let depth = 0;
  while (p.isOp('(', k)) {
    depth++;
    k++;
  }
  return depth > 0 && startsQuery(p, k);
}

const AFTER_QUERY_OPERAND = new Set([
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'SORT',
  'CLUSTER',
  'DISTRIBUTE',
]);

/**
 * With `(` at token k (itself right after an opening parenthesis): does the parenthesized group
 * continue as a query — `((SELECT 1) UNION …)`, `((SELECT 1) LIMIT 1)` — rather than as an
 * expression or relation around a sub-query (`((SELECT 1) + 1)`, `((SELECT 1) JOIN t)`)?
 * Decided by the token after the group's closing parenthesis; `closeIsQuery` says whether a
 * directly following `)` counts as a query (in FROM, `((SELECT 1))` is one either way).
 */
export function groupContinuesAsQuery(p: Parser, k: number, closeIsQuery: boolean): boolean {
  let depth = 0;
  for (let i = p.pos + k; i < p.tokens.length; i++) {
    const t = p.tokens[i]!;
    if (t.kind === 'eof') return false;
    if (t.kind !== 'op') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) {
      const after = p.tokens[i + 1];
      if (!after) return false;
      if (after.kind === 'op' && after.value === ')') return closeIsQuery;
      return after.kind === 'word' && AFTER_QUERY_OPERAND.has(after.upper);
    }
  }
  return false;
}

/** Parses a query at the cursor. */
export function parseQueryAt(p: Parser): Query {
  p.enter();
  try {
    return query(p);
  } finally {
    p.leave();
  }
}

function query(p: Parser): Query {
  const start = p.peek();
  let ctes: CommonTableExpression[] | undefined;
  if (p.isWord('WITH')) {
    p.next();
    if (p.isWord('RECURSIVE'))
      throw p.errorWith(
        'PARSE_SYNTAX_ERROR',
        "Syntax error at or near 'RECURSIVE': recursive CTEs are not supported.",
        p.peek(),
      );
    ctes = [];
    do ctes.push(cte(p));
    while (p.acceptOp(','));
  }
  const body = setOperations(p);
  const q: { -readonly [K in keyof Query]: Query[K] } = { kind: 'query', body };
  if (ctes) q.with = ctes;
  organization(p, q);
  q.span = p.span(start);
  return q;
}

function cte(p: Parser): CommonTableExpression {
  const start = p.peek();
  const name = checkedIdentifier(p);
  let columnAliases: string[] | undefined;
  if (p.isOp('(') && !startsQuery(p)) columnAliases = identifierList(p);
  p.acceptWord('AS');
  p.expectOp('(');
  const q = parseQueryAt(p);
  p.expectOp(')');
  const c: CommonTableExpression = { kind: 'cte', name, query: q, span: p.span(start) };
  return columnAliases ? { ...c, columnAliases } : c;
}

function setQuantifier(p: Parser): boolean {
  if (p.acceptWord('ALL')) return true;
  p.acceptWord('DISTINCT');
  return false;
}

/** UNION / EXCEPT / MINUS level (lowest), left-associative. */
function setOperations(p: Parser): QueryTerm {
  const start = p.peek();
  let left = intersections(p);
  while (p.isWord('UNION') || p.isWord('EXCEPT') || p.isWord('MINUS')) {
    const op = p.next().upper === 'UNION' ? 'union' : 'except';
    const all = setQuantifier(p);
    const right = intersections(p);
    left = { kind: 'setOperation', op, all, left, right, span: p.span(start) };
  }
  return left;
}

function intersections(p: Parser): QueryTerm {
  const start = p.peek();
  let left = queryPrimary(p);
  while (p.isWord('INTERSECT')) {
    p.next();
    const all = setQuantifier(p);
    const right = queryPrimary(p);
    left = { kind: 'setOperation', op: 'intersect', all, left, right, span: p.span(start) };
  }
  return left;
}

function queryPrimary(p: Parser): QueryTerm {
  const t = p.peek();
  if (t.kind === 'word') {
    switch (t.upper) {
      case 'SELECT':
        return parseSelectBody(p);
      case 'FROM':
        return parseFromFirstSelect(p);
      case 'VALUES': {
        const v: InlineTable = inlineTable(p, false);
        return v;
      }
      case 'TABLE': {
        p.next();
        const r: TableRelation = { kind: 'table', name: tableName(p), span: p.span(t) };
        return r;
      }
    }
  }
  if (t.kind === 'op' && t.value === '(') {
    p.next();
    const inner = parseQueryAt(p);
    p.expectOp(')');
    // A parenthesized query without its own WITH/ORDER/LIMIT is just its body.
    const keys = Object.keys(inner).filter((k) => k !== 'kind' && k !== 'body' && k !== 'span');
    return keys.length === 0 ? inner.body : { ...inner, span: p.span(t) };
  }
  throw p.error(t);
}

/** ORDER BY / CLUSTER BY / DISTRIBUTE BY / SORT BY / WINDOW / LIMIT / OFFSET after a query term. */
function organization(p: Parser, q: { -readonly [K in keyof Query]: Query[K] }): void {
  if (p.isWord('ORDER')) {
    p.next();
    p.expectWord('BY');
    q.orderBy = sortItems(p);
  }
  if (p.isWord('CLUSTER') && p.isWord('BY', 1)) {
    p.next();
    p.next();
    q.clusterBy = exprList(p);
  }
  if (p.isWord('DISTRIBUTE') && p.isWord('BY', 1)) {
    p.next();
    p.next();
    q.distributeBy = exprList(p);
  }
  if (p.isWord('SORT') && p.isWord('BY', 1)) {
    p.next();
    p.next();
    q.sortBy = sortItems(p);
  }
  if (p.isWord('WINDOW') && isIdentifier(p.peek(1)) && p.isWord('AS', 2)) {
    throw p.notImplemented(
      'UNSUPPORTED_FEATURE.WINDOW_FUNCTIONS',
      'Named windows (WINDOW w AS (...)) are not supported by Sluice.',
      p.peek(),
    );
  }
  if (p.isWord('LIMIT')) {
    p.next();
    if (!p.acceptWord('ALL')) q.limit = parseExpr(p);
  }
  if (p.isWord('OFFSET')) {
    p.next();
    q.offset = parseExpr(p);
  }
}

function sortItems(p: Parser): SortItem[] {
  const items: SortItem[] = [];
  do items.push(parseSortItem(p));
  while (p.acceptOp(','));
  return items;
}

function exprList(p: Parser): Expr[] {
  const out: Expr[] = [];
  do out.push(parseExpr(p));
  while (p.acceptOp(','));
  return out;
}
