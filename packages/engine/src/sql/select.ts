import type { Expr } from '../expr/expression.js';
import type { GroupByClause, GroupingElement, Hint, LateralView, Relation, SelectBody } from './ast.js';
import { ALIAS_RESERVED, identifier, isIdentifier, parseExpr, parseNamedExpr } from './expr-parser.js';
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';
import { parseRelation } from './relation.js';

/**
 * `SELECT [/*+ hints *\/] [DISTINCT|ALL] items [FROM relations] [LATERAL VIEW ...] [WHERE]
 * [GROUP BY ...] [HAVING]`, and Spark's FROM-first form `FROM t SELECT ...`.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function parseSelectBody(p: Parser): SelectBody {
  const start = p.expectWord('SELECT');
  const hints = parseHints(p);
  const distinct = quantifier(p);
  const projection = selectList(p);
  const body: Mutable<SelectBody> = { kind: 'select', distinct, projection, from: [], lateralViews: [] };
  if (hints.length > 0) body.hints = hints;
  if (p.isWord('FROM')) {
    p.next();
    body.from = relationList(p);
  }
  body.lateralViews = lateralViews(p);
  clauses(p, body);
  body.span = p.span(start);
  return body;
}

/** `FROM relations [LATERAL VIEW ...] SELECT ... [WHERE ...] ...` */
export function parseFromFirstSelect(p: Parser): SelectBody {
  const start = p.expectWord('FROM');
  const from = relationList(p);
  const views = lateralViews(p);
  p.expectWord('SELECT');
  const hints = parseHints(p);
  const distinct = quantifier(p);
  const projection = selectList(p);
  const body: Mutable<SelectBody> = { kind: 'select', distinct, projection, from, lateralViews: views };
  if (hints.length > 0) body.hints = hints;
  const more = lateralViews(p);
  if (more.length > 0) body.lateralViews = [...views, ...more];
  clauses(p, body);
  body.span = p.span(start);
  return body;
}

function quantifier(p: Parser): boolean {
  if (p.isWord('DISTINCT')) {
    p.next();
    return true;
  }
  // `SELECT ALL a` — but `SELECT all FROM t`, `SELECT all, b`, `SELECT all.x`, `SELECT all + 1`
  // select a column named `all`: ALL is a quantifier only when an expression starts after it.
  if (p.isWord('ALL')) {
    const next = p.peek(1);
    const startsExpr =
      ((next.kind === 'word' || next.kind === 'quoted') &&
        !(next.kind === 'word' && (next.upper === 'FROM' || next.upper === 'AS'))) ||
      next.kind === 'number' ||
      next.kind === 'string' ||
      (next.kind === 'op' &&
        (next.value === '*' || next.value === '(' || next.value === '~' || next.value === '?'));
    if (startsExpr) p.next();
  }
  return false;
}

function selectList(p: Parser): Expr[] {
  const items: Expr[] = [];
  do items.push(parseNamedExpr(p));
  while (p.acceptOp(','));
  return items;
}

function relationList(p: Parser): Relation[] {
  const out: Relation[] = [];
  do out.push(parseRelation(p));
  while (p.acceptOp(','));
  return out;
}

function clauses(p: Parser, body: Mutable<SelectBody>): void {
  if (p.acceptWord('WHERE')) body.where = parseExpr(p);
  if (p.isWord('GROUP')) {
    p.next();
    p.expectWord('BY');
    body.groupBy = groupBy(p);
  }
  if (p.acceptWord('HAVING')) body.having = parseExpr(p);
}

/** `/*+ NAME(args), NAME2 *\/` hints right after SELECT. */
function parseHints(p: Parser): Hint[] {
  const hints: Hint[] = [];
  while (p.peek().kind === 'hintStart') {
    p.next();
    do {
      const start = p.peek();
      const name = identifier(p);
      const args: Expr[] = [];
      if (p.acceptOp('(')) {
        if (!p.isOp(')')) {
          do args.push(parseExpr(p));
          while (p.acceptOp(','));
        }
        p.expectOp(')');
      }
      hints.push({ kind: 'hint', name: name.toUpperCase(), args, span: p.span(start) });
      p.acceptOp(',');
    } while (p.peek().kind !== 'hintEnd' && p.peek().kind !== 'eof' && p.peek().kind !== 'error');
    if (p.peek().kind !== 'hintEnd') throw p.error(p.peek(), "missing '*/'");
    p.next();
  }
  return hints;
}

/** `LATERAL VIEW [OUTER] gen(args) [tbl] [AS] c1, c2` (zero or more). */
function lateralViews(p: Parser): LateralView[] {
  const out: LateralView[] = [];
  while (p.isWord('LATERAL') && p.isWord('VIEW', 1)) {
    const start = p.next();
    p.next();
    const outer = p.acceptWord('OUTER');
    const generator = parseGenerator(p);
    let tableAlias: string | undefined;
    const t = p.peek();
    if (isIdentifier(t) && !(t.kind === 'word' && (t.upper === 'AS' || ALIAS_RESERVED.has(t.upper)))) {
      p.next();
      tableAlias = t.value;
    }
    const columnAliases: string[] = [];
    const hasAs = p.acceptWord('AS');
    const c = p.peek();
    if (hasAs || (isIdentifier(c) && !(c.kind === 'word' && ALIAS_RESERVED.has(c.upper)))) {
      columnAliases.push(identifier(p));
      while (p.isOp(',') && isIdentifier(p.peek(1)) && !isClauseStart(p.peek(1)) && !p.isOp('(', 2)) {
        p.next();
        columnAliases.push(identifier(p));
      }
    }
    const view: LateralView = { kind: 'lateralView', generator, outer, columnAliases, span: p.span(start) };
    out.push(tableAlias === undefined ? view : { ...view, tableAlias });
  }
  return out;
}

function isClauseStart(t: Token): boolean {
  return t.kind === 'word' && ALIAS_RESERVED.has(t.upper);
}

/** The generator call of a LATERAL VIEW: a (possibly qualified) function name and its arguments. */
function parseGenerator(p: Parser): Expr {
  const start = p.peek();
  if (!isIdentifier(start) || !(p.isOp('(', 1) || p.isOp('.', 1))) throw p.error(start);
  const e = parseExpr(p);
  if (e.type !== 'function') throw p.error(start);
  return e;
}

/** GROUP BY: `ALL`, expressions/ordinals, ROLLUP/CUBE/GROUPING SETS, `WITH ROLLUP|CUBE`. */
function groupBy(p: Parser): GroupByClause {
  const start = p.peek();
  if (p.isWord('ALL') && !p.isOp('.', 1) && !p.isOp('(', 1) && !p.isOp(',', 1)) {
    p.next();
    return { kind: 'all', span: p.span(start) };
  }
  const items: GroupingElement[] = [];
  do items.push(groupingElement(p));
  while (p.acceptOp(','));
  if (p.isWord('WITH') && (p.isWord('ROLLUP', 1) || p.isWord('CUBE', 1))) {
    const w = p.next();
    const kind = p.next().upper === 'ROLLUP' ? 'rollup' : 'cube';
    const groups = items.map((it) => {
      if (it.kind !== 'expr') throw p.error(w);
      return [it.expr];
    });
    return { kind: 'items', items: [{ kind, groups, span: p.span(start) }], span: p.span(start) };
  }
  if (p.isWord('GROUPING') && p.isWord('SETS', 1)) {
    // `GROUP BY a, b GROUPING SETS ((a), (b))`: the sets alone define the grouping.
    const gs = groupingElement(p);
    return { kind: 'items', items: [gs], span: p.span(start) };
  }
  return { kind: 'items', items, span: p.span(start) };
}

function groupingElement(p: Parser): GroupingElement {
  const start = p.peek();
  if ((p.isWord('ROLLUP') || p.isWord('CUBE')) && p.isOp('(', 1)) {
    const kind = p.next().upper === 'ROLLUP' ? 'rollup' : 'cube';
    p.next();
    const groups: Expr[][] = [];
    do groups.push(groupingSet(p));
    while (p.acceptOp(','));
    p.expectOp(')');
    return { kind, groups, span: p.span(start) };
  }
  if (p.isWord('GROUPING') && p.isWord('SETS', 1) && p.isOp('(', 2)) {
    p.next();
    p.next();
    p.next();
    const sets: Expr[][] = [];
    do {
      if (
        (p.isWord('ROLLUP') || p.isWord('CUBE') || p.isWord('GROUPING')) &&
        (p.isOp('(', 1) || p.isWord('SETS', 1))
      ) {
        throw p.notImplemented(
          'UNSUPPORTED_FEATURE.NESTED_GROUPING_ANALYTICS',
          'ROLLUP, CUBE or GROUPING SETS nested inside GROUPING SETS are not supported by Sluice.',
        );
      }
      sets.push(groupingSet(p));
    } while (p.acceptOp(','));
    p.expectOp(')');
    return { kind: 'groupingSets', sets, span: p.span(start) };
  }
  const expr = parseExpr(p);
  return { kind: 'expr', expr, span: p.span(start) };
}

/** `(a, b)`, `()` or a single expression. */
function groupingSet(p: Parser): Expr[] {
  if (p.isOp('(')) {
    const mark = p.mark();
    p.next();
    if (p.acceptOp(')')) return [];
    const items: Expr[] = [parseExpr(p)];
    if (p.isOp(',')) {
      while (p.acceptOp(',')) items.push(parseExpr(p));
      p.expectOp(')');
      return items;
    }
    if (p.acceptOp(')')) {
      // `(a)` is a one-element set unless it continues as an expression (`(a) + 1`).
      if (p.isOp(',') || p.isOp(')')) return items;
    }
    p.reset(mark);
  }
  return [parseExpr(p)];
}
