import type { BinaryOperator, Expr } from '../expr/expression.js';
import { T } from '../types/types.js';
import type { SortItem } from './ast.js';
import { parseDataTypeAt } from './data-type-parser.js';
import { checkedIdentifier, identifier, identifierList, isIdentifier } from './identifiers.js';
import type { Token } from './lexer.js';
import { intervalLiteral, literal, numberLiteral, startsIntervalValue, typedLiteral } from './literals.js';
import { parameterMarker } from './parameters.js';
import type { Parser } from './parser.js';
import { groupContinuesAsQuery, parseQueryAt, startsQuery } from './query.js';

export { checkedIdentifier, identifier, identifierList, isIdentifier };

/**
 * Spark SQL expressions → the shared `Expr` tree, with Spark's precedence (SqlBaseParser.g4):
 *
 *   OR < AND < NOT < predicates ([NOT] BETWEEN/IN/LIKE/ILIKE/RLIKE, IS [NOT] NULL/TRUE/FALSE/
 *   UNKNOWN/DISTINCT FROM) < comparison (= == <> != < <= > >= <=> !< !>) < | < ^ < & <
 *   shifts (<< >> >>>) < + - || < * / % DIV < unary - + ~ < postfix ([i], .field, ::type)
 *
 * Function names are lower-cased; `count(*)` becomes `count(1)` as in Spark. Special syntaxes
 * become ordinary function calls: `EXTRACT(f FROM x)` → `extract('f', x)`, `POSITION(a IN b)` →
 * `position(a, b)`, `SUBSTRING(s FROM p FOR l)` → `substring(s, p, l)`, `TRIM(BOTH x FROM s)` →
 * `trim(x, s)` (Spark's (trimStr, str) function-call order; LEADING → ltrim, TRAILING → rtrim),
 * `OVERLAY(a PLACING b FROM p FOR l)` → `overlay(a, b, p, l)`, `TIMESTAMPADD(HOUR, n, ts)` →
 * `timestampadd('HOUR', n, ts)`, `(a, b)` → `struct(a, b)`, shifts → `shiftleft`/`shiftright`/
 * `shiftrightunsigned`, `x LIKE ANY ('a', 'b')` → `x LIKE 'a' OR x LIKE 'b'`,
 * `a IS DISTINCT FROM b` → `NOT (a <=> b)`.
 * `current_date`, `current_timestamp`, `current_user`, `session_user` without parentheses are the
 * functions (use backquotes for a column of that name); `user` is a column reference.
 */

/** Words that never start an expression as a bare column reference (use backticks for such columns). */
export const EXPR_RESERVED = new Set([
  'AND',
  'OR',
  'AS',
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
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
]);

/** Words that cannot be an alias without AS (they continue the query instead). */
export const ALIAS_RESERVED = new Set([
  ...EXPR_RESERVED,
  // Not reserved as a column name (Kafka rows have an `offset` column), but it ends a relation or select item.
  'OFFSET',
  'NOT',
  'MINUS',
  'WINDOW',
  'SORT',
  'CLUSTER',
  'DISTRIBUTE',
  'LATERAL',
  'LEFT',
  'RIGHT',
  'SEMI',
  'ANTI',
  'PIVOT',
  'UNPIVOT',
  'TABLESAMPLE',
  'FOR',
  'OVER',
  'VALUES',
  'FILTER',
]);

const COMPARISON: Record<string, BinaryOperator> = {
  '=': '=',
  '==': '==',
  '<>': '<>',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '<=>': '<=>',
  '!<': '>=',
  '!>': '<=',
};

const PREC_COMPARISON = 1;
const PREC_BIT_OR = 2;
const PREC_BIT_XOR = 3;
const PREC_BIT_AND = 4;
const PREC_SHIFT = 5;
const PREC_ADD = 6;
const PREC_MUL = 7;

const DATETIME_UNITS = new Set([
  'YEAR',
  'QUARTER',
  'MONTH',
  'WEEK',
  'DAY',
  'DAYOFYEAR',
  'HOUR',
  'MINUTE',
  'SECOND',
  'MILLISECOND',
  'MICROSECOND',
]);
const TIMESTAMPADD_NAMES = new Set(['TIMESTAMPADD', 'DATEADD', 'DATE_ADD']);
const TIMESTAMPDIFF_NAMES = new Set(['TIMESTAMPDIFF', 'DATEDIFF', 'DATE_DIFF', 'TIMEDIFF']);
const TYPED_LITERALS = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'TIMESTAMP_NTZ', 'X']);
/**
 * SQL-standard functions written without parentheses. Spark 3.4+ tries a column of that name first;
 * a parser cannot know the columns, so these (unlikely column names) are always the functions.
 * `user` is left a column reference.
 */
const NILADIC_FUNCTIONS = new Set(['CURRENT_DATE', 'CURRENT_TIMESTAMP', 'CURRENT_USER', 'SESSION_USER']);
/** Ordered-set aggregates: `f(args) WITHIN GROUP (ORDER BY x)` → `f(x, args...)`. */
const WITHIN_GROUP_FUNCTIONS = new Set(['percentile_cont', 'percentile_disc', 'mode', 'median']);

/** Full expression (the `expression` rule). */
export function parseExpr(p: Parser): Expr {
  p.enter();
  try {
    return parseOr(p);
  } finally {
    p.leave();
  }
}

/**
 * `expression [AS] alias` / `expression AS (a, b)` — a projection item. An alias without AS is only
 * taken when the word cannot continue the query (`SELECT a b FROM t`, not `SELECT a FROM t`).
 */
export function parseNamedExpr(p: Parser): Expr {
  const start = p.peek();
  const e = parseExpr(p);
  if (p.acceptWord('AS')) {
    if (p.isOp('(')) return { type: 'alias', operand: e, names: identifierList(p), span: p.span(start) };
    const name = checkedIdentifier(p);
    return { type: 'alias', operand: e, names: [name], span: p.span(start) };
  }
  const t = p.peek();
  if ((t.kind === 'word' && !ALIAS_RESERVED.has(t.upper)) || t.kind === 'quoted') {
    p.next();
    return { type: 'alias', operand: e, names: [t.value], span: p.span(start) };
  }
  if (t.kind === 'op' && t.value === '(' && isIdentifierListAhead(p)) {
    return { type: 'alias', operand: e, names: identifierList(p), span: p.span(start) };
  }
  return e;
}

/** `( ident, ident, ... )` at the cursor (no other tokens)? */
function isIdentifierListAhead(p: Parser): boolean {
  let k = 1;
  for (;;) {
    if (!isIdentifier(p.peek(k))) return false;
    k++;
    if (p.isOp(')', k)) return true;
    if (!p.isOp(',', k)) return false;
    k++;
  }
}

function parseOr(p: Parser): Expr {
  const start = p.peek();
  let left = parseAnd(p);
  while (p.isWord('OR')) {
    p.next();
    const right = parseAnd(p);
    left = { type: 'binary', op: 'or', left, right, span: p.span(start) };
  }
  return left;
}

function parseAnd(p: Parser): Expr {
  const start = p.peek();
  let left = parseNot(p);
  while (p.isWord('AND')) {
    p.next();
    const right = parseNot(p);
    left = { type: 'binary', op: 'and', left, right, span: p.span(start) };
  }
  return left;
}

function parseNot(p: Parser): Expr {
  const start = p.peek();
  if (p.isWord('NOT') || p.isOp('!')) {
    p.next();
    p.enter();
    try {
      const operand = parseNot(p);
      return { type: 'unary', op: 'not', operand, span: p.span(start) };
    } finally {
      p.leave();
    }
  }
  return parsePredicate(p);
}

const PREDICATE_WORDS = new Set(['BETWEEN', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP']);

function parsePredicate(p: Parser): Expr {
  const start = p.peek();
  const operand = parseValue(p, PREC_COMPARISON);
  let negated = false;
  if (p.isWord('NOT') || p.isOp('!')) {
    // After a value only `NOT BETWEEN|IN|LIKE|ILIKE|RLIKE|REGEXP` can follow.
    if (!p.isAnyWord(PREDICATE_WORDS, 1)) throw p.error(p.peek(1));
    p.next();
    negated = true;
  }
  const t = p.peek();
  if (t.kind !== 'word') return operand;
  switch (t.upper) {
    case 'BETWEEN': {
      p.next();
      const low = parseValue(p, PREC_COMPARISON);
      p.expectWord('AND');
      const high = parseValue(p, PREC_COMPARISON);
      return { type: 'between', operand, low, high, negated, span: p.span(start) };
    }
    case 'IN': {
      p.next();
      p.expectOp('(');
      const inList = (): Expr => {
        const list = expressionList(p);
        p.expectOp(')');
        return { type: 'in', operand, list, negated, span: p.span(start) };
      };
      if (startsQuery(p)) {
        const inQuery = (): Expr => {
          const query = parseQueryAt(p);
          p.expectOp(')');
          return { type: 'subquery', kind: 'in', query, operand, negated, span: p.span(start) };
        };
        // `x IN ((SELECT 1), 2)` is a list; `x IN ((SELECT 1) UNION (SELECT 2))` a sub-query.
        if (!p.isOp('(') || groupContinuesAsQuery(p, 0, true)) return inQuery();
      }
      return inList();
    }
    case 'RLIKE':
    case 'REGEXP': {
      p.next();
      const pattern = parseValue(p, PREC_COMPARISON);
      return { type: 'like', kind: 'rlike', operand, pattern, negated, span: p.span(start) };
    }
    case 'LIKE':
    case 'ILIKE': {
      p.next();
      const kind = t.upper === 'LIKE' ? 'like' : 'ilike';
      if ((p.isWord('ANY') || p.isWord('SOME') || p.isWord('ALL')) && p.isOp('(', 1)) {
        const all = p.next().upper === 'ALL';
        p.next();
        if (p.isOp(')')) throw p.error(p.peek(), 'expected at least one pattern');
        const patterns = expressionList(p);
        p.expectOp(')');
        const span = p.span(start);
        const likes: Expr[] = patterns.map((pattern) => ({
          type: 'like',
          kind,
          operand,
          pattern,
          negated,
          span,
        }));
        return likes.reduce((acc, e) => ({
          type: 'binary',
          op: all ? 'and' : 'or',
          left: acc,
          right: e,
          span,
        }));
      }
      const pattern = parseValue(p, PREC_COMPARISON);
      let escapeChar: string | undefined;
      if (p.acceptWord('ESCAPE')) {
        const s = p.next();
        if (s.kind !== 'string') throw p.error(s);
        escapeChar = s.value;
      }
      const like: Expr = { type: 'like', kind, operand, pattern, negated, span: p.span(start) };
      return escapeChar === undefined ? like : { ...like, escape: escapeChar };
    }
    case 'IS': {
      if (negated) throw p.error(t);
      p.next();
      const not = p.acceptWord('NOT') || p.acceptOp('!');
      const k = p.next();
      if (k.kind === 'word') {
        switch (k.upper) {
          case 'NULL':
            return { type: 'isNull', operand, negated: not, span: p.span(start) };
          case 'TRUE':
            return { type: 'isBool', operand, value: true, negated: not, span: p.span(start) };
          case 'FALSE':
            return { type: 'isBool', operand, value: false, negated: not, span: p.span(start) };
          case 'UNKNOWN':
            return { type: 'isBool', operand, value: null, negated: not, span: p.span(start) };
          case 'DISTINCT': {
            p.expectWord('FROM');
            const right = parseValue(p, PREC_COMPARISON);
            const span = p.span(start);
            const same: Expr = { type: 'binary', op: '<=>', left: operand, right, span };
            return not ? same : { type: 'unary', op: 'not', operand: same, span };
          }
        }
      }
      throw p.error(k);
    }
  }
  if (negated) throw p.error(t);
  return operand;
}

/** The binary operator at the cursor, its precedence and token count; undefined when none. */
function binaryOpAt(p: Parser): { op: string; prec: number; tokens: number } | undefined {
  const t = p.peek();
  if (t.kind === 'op') {
    const v = t.value;
    if (v in COMPARISON) {
      if (v === '>') {
        // `>>` / `>>>` are adjacent `>` tokens (the lexer never joins them, for `array<array<int>>`).
        const t2 = p.peek(1);
        if (t2.kind === 'op' && t2.value === '>' && t2.start === t.end) {
          const t3 = p.peek(2);
          if (t3.kind === 'op' && t3.value === '>' && t3.start === t2.end)
            return { op: '>>>', prec: PREC_SHIFT, tokens: 3 };
          return { op: '>>', prec: PREC_SHIFT, tokens: 2 };
        }
      }
      return { op: v, prec: PREC_COMPARISON, tokens: 1 };
    }
    switch (v) {
      case '|':
        return { op: v, prec: PREC_BIT_OR, tokens: 1 };
      case '^':
        return { op: v, prec: PREC_BIT_XOR, tokens: 1 };
      case '&':
        return { op: v, prec: PREC_BIT_AND, tokens: 1 };
      case '<<':
        return { op: v, prec: PREC_SHIFT, tokens: 1 };
      case '+':
      case '-':
      case '||':
        return { op: v, prec: PREC_ADD, tokens: 1 };
      case '*':
      case '/':
      case '%':
        return { op: v, prec: PREC_MUL, tokens: 1 };
    }
    return undefined;
  }
  if (t.kind === 'word' && t.upper === 'DIV') return { op: 'div', prec: PREC_MUL, tokens: 1 };
  return undefined;
}

const SHIFT_FUNCTIONS: Record<string, string> = {
  '<<': 'shiftleft',
  '>>': 'shiftright',
  '>>>': 'shiftrightunsigned',
};

/** valueExpression: binary operators by precedence climbing over unary operands. */
function parseValue(p: Parser, minPrec: number): Expr {
  const start = p.peek();
  let left = parseUnary(p);
  for (;;) {
    const op = binaryOpAt(p);
    if (!op || op.prec < minPrec) return left;
    for (let i = 0; i < op.tokens; i++) p.next();
    p.enter();
    let right: Expr;
    try {
      right = parseValue(p, op.prec + 1);
    } finally {
      p.leave();
    }
    const span = p.span(start);
    const shift = SHIFT_FUNCTIONS[op.op];
    if (shift) {
      left = { type: 'function', name: shift, args: [left, right], span };
    } else {
      const bop = (COMPARISON[op.op] ?? op.op) as BinaryOperator;
      left = { type: 'binary', op: bop, left, right, span };
    }
  }
}

function parseUnary(p: Parser): Expr {
  const start = p.peek();
  if (start.kind === 'op' && (start.value === '-' || start.value === '+' || start.value === '~')) {
    p.next();
    const n = p.peek();
    if (start.value === '-' && n.kind === 'number') {
      // `-1` is one literal (Spark's `MINUS? number`), so `-2147483648` is an int.
      p.next();
      const lit = numberLiteral(p, n, true, p.span(start));
      return parsePostfix(p, lit, start);
    }
    p.enter();
    try {
      const operand = parseUnary(p);
      return { type: 'unary', op: start.value as '-' | '+' | '~', operand, span: p.span(start) };
    } finally {
      p.leave();
    }
  }
  const base = parsePrimary(p);
  return parsePostfix(p, base, start);
}

/** `[index]`, `.field`, `.*`, `::type`, and `a.b(...)` qualified function calls. */
function parsePostfix(p: Parser, base: Expr, start: Token): Expr {
  let e = base;
  for (;;) {
    if (p.isOp('.')) {
      const t = p.peek(1);
      if (t.kind === 'op' && t.value === '*') {
        if (e.type !== 'column') throw p.error(t);
        p.next();
        p.next();
        e = { type: 'star', qualifier: e.nameParts, span: p.span(start) };
        continue;
      }
      if (!isIdentifier(t)) throw p.error(t);
      p.next();
      p.next();
      if (e.type === 'column') {
        e = { type: 'column', nameParts: [...e.nameParts, t.value], span: p.span(start) };
        if (p.isOp('(')) {
          e = functionCall(p, e.nameParts.join('.'), start);
        }
      } else {
        e = { type: 'field', operand: e, field: t.value, span: p.span(start) };
      }
      continue;
    }
    if (p.isOp('[')) {
      p.next();
      const index = parseExpr(p);
      p.expectOp(']');
      e = { type: 'subscript', operand: e, index, span: p.span(start) };
      continue;
    }
    if (p.isOp('::')) {
      p.next();
      const dataType = parseDataTypeAt(p);
      e = { type: 'cast', operand: e, dataType, span: p.span(start) };
      continue;
    }
    return e;
  }
}

function expressionList(p: Parser): Expr[] {
  const out: Expr[] = [];
  do out.push(parseExpr(p));
  while (p.acceptOp(','));
  return out;
}

/** Is the cursor at `( ident, ident ... ) ->` (a multi-parameter lambda)? */
function isLambdaAhead(p: Parser): boolean {
  let k = 1;
  for (;;) {
    if (!isIdentifier(p.peek(k))) return false;
    k++;
    if (p.isOp(')', k)) return p.isOp('->', k + 1);
    if (!p.isOp(',', k)) return false;
    k++;
  }
}

function parsePrimary(p: Parser): Expr {
  const t = p.peek();
  switch (t.kind) {
    case 'number':
      p.next();
      return numberLiteral(p, t, false, p.span(t));
    case 'string': {
      p.next();
      let value = t.value;
      while (p.peek().kind === 'string') value += p.next().value;
      return literal(value, T.string, p.span(t));
    }
    case 'quoted':
      if (p.isOp('->', 1)) return lambda(p, t, [t.value]);
      p.next();
      if (p.isOp('(')) return functionCall(p, t.value, t);
      return { type: 'column', nameParts: [t.value], span: p.span(t) };
    case 'word':
      return wordPrimary(p, t);
    case 'op':
      if (t.value === '*') {
        p.next();
        return { type: 'star', span: p.span(t) };
      }
      if (t.value === '(') return parenthesized(p, t);
      if (t.value === '?' || t.value === ':') return parameterMarker(p, t);
      throw p.error(t);
    default:
      throw p.error(t);
  }
}

function lambda(p: Parser, start: Token, params: string[]): Expr {
  // The cursor is at the last parameter (single form) or at `(` (list form).
  if (p.isOp('(')) {
    p.next();
    while (!p.isOp(')')) p.next();
    p.next();
  } else {
    p.next();
  }
  p.expectOp('->');
  const body = parseExpr(p);
  return { type: 'lambda', params, body, span: p.span(start) };
}

function parenthesized(p: Parser, start: Token): Expr {
  if (startsQuery(p, 1)) {
    const subquery = (): Expr => {
      p.next();
      const query = parseQueryAt(p);
      p.expectOp(')');
      return { type: 'subquery', kind: 'scalar', query, span: p.span(start) };
    };
    // `((SELECT 1) + 1)` is an expression around a sub-query; `((SELECT 1) UNION …)` is a query.
    if (!p.isOp('(', 1) || groupContinuesAsQuery(p, 1, false)) return subquery();
  }
  return parenthesizedExpr(p, start);
}

function parenthesizedExpr(p: Parser, start: Token): Expr {
  if (isLambdaAhead(p)) {
    const params: string[] = [];
    for (let k = 1; ; k += 2) {
      params.push(p.peek(k).value);
      if (p.isOp(')', k + 1)) break;
    }
    return lambda(p, start, params);
  }
  p.next();
  const first = parseNamedExpr(p);
  if (p.acceptOp(',')) {
    const items = [first];
    do items.push(parseNamedExpr(p));
    while (p.acceptOp(','));
    p.expectOp(')');
    return { type: 'function', name: 'struct', args: items, span: p.span(start) };
  }
  if (first.type === 'alias') throw p.error(p.peek(), "expected ','");
  p.expectOp(')');
  return first;
}

function wordPrimary(p: Parser, t: Token): Expr {
  if (p.isOp('->', 1)) return lambda(p, t, [t.value]);
  const next = p.peek(1);
  const call = next.kind === 'op' && next.value === '(';
  switch (t.upper) {
    case 'NULL':
      p.next();
      return literal(null, T.null, p.span(t));
    case 'TRUE':
    case 'FALSE':
      p.next();
      return literal(t.upper === 'TRUE', T.boolean, p.span(t));
    case 'CASE':
      return caseExpr(p, t);
    case 'CAST':
    case 'TRY_CAST':
      if (call) return castExpr(p, t);
      break;
    case 'INTERVAL':
      if (startsIntervalValue(p)) {
        p.next();
        return intervalLiteral(p, t);
      }
      break;
    case 'EXISTS':
      if (call && startsQuery(p, 2)) {
        p.next();
        p.next();
        const query = parseQueryAt(p);
        p.expectOp(')');
        return { type: 'subquery', kind: 'exists', query, span: p.span(t) };
      }
      break;
    case 'STRUCT':
      if (call) return functionCall(p, 'struct', t, true);
      break;
    case 'EXTRACT':
      if (call && isIdentifier(p.peek(2)) && p.isWord('FROM', 3)) {
        p.next();
        p.next();
        const field = p.next();
        p.next();
        const source = parseValue(p, PREC_COMPARISON);
        p.expectOp(')');
        const span = p.span(t);
        return {
          type: 'function',
          name: 'extract',
          args: [literal(field.value, T.string, p.span(field)), source],
          span,
        };
      }
      break;
    case 'POSITION':
      if (call) {
        const special = trySpecialForm(p, t, 'IN', (first) => {
          const str = parseValue(p, PREC_COMPARISON);
          return ['position', [first, str]];
        });
        if (special) return special;
      }
      break;
    case 'SUBSTR':
    case 'SUBSTRING':
      if (call) {
        const special = trySpecialForm(p, t, 'FROM', (first) => {
          const pos = parseValue(p, PREC_COMPARISON);
          const args = [first, pos];
          if (p.acceptWord('FOR')) args.push(parseValue(p, PREC_COMPARISON));
          return [t.value.toLowerCase(), args];
        });
        if (special) return special;
      }
      break;
    case 'TRIM':
      if (call) {
        const trimmed = trimExpr(p, t);
        if (trimmed) return trimmed;
      }
      break;
    case 'OVERLAY':
      if (call) {
        const special = trySpecialForm(p, t, 'PLACING', (first) => {
          const replace = parseValue(p, PREC_COMPARISON);
          p.expectWord('FROM');
          const pos = parseValue(p, PREC_COMPARISON);
          const args = [first, replace, pos];
          if (p.acceptWord('FOR')) args.push(parseValue(p, PREC_COMPARISON));
          return ['overlay', args];
        });
        if (special) return special;
      }
      break;
  }
  if (call && (TIMESTAMPADD_NAMES.has(t.upper) || TIMESTAMPDIFF_NAMES.has(t.upper))) {
    const unit = p.peek(2);
    if (unit.kind === 'word' && DATETIME_UNITS.has(unit.upper) && p.isOp(',', 3)) {
      p.next();
      p.next();
      p.next();
      p.next();
      const a = parseValue(p, PREC_COMPARISON);
      p.expectOp(',');
      const b = parseValue(p, PREC_COMPARISON);
      p.expectOp(')');
      const name = TIMESTAMPADD_NAMES.has(t.upper) ? 'timestampadd' : 'timestampdiff';
      return {
        type: 'function',
        name,
        args: [literal(unit.upper, T.string, p.span(unit)), a, b],
        span: p.span(t),
      };
    }
  }
  if (TYPED_LITERALS.has(t.upper) && p.peek(1).kind === 'string') {
    p.next();
    const v = p.next();
    let value = v.value;
    while (p.peek().kind === 'string') value += p.next().value;
    return typedLiteral(p, t, value, v, p.span(t));
  }
  if (call) {
    p.next();
    return functionCall(p, t.value, t);
  }
  if (EXPR_RESERVED.has(t.upper)) throw p.error(t);
  if (NILADIC_FUNCTIONS.has(t.upper) && t.kind === 'word' && !p.isOp('.', 1)) {
    p.next();
    return { type: 'function', name: t.value.toLowerCase(), args: [], span: p.span(t) };
  }
  if (p.peek(1).kind === 'string' && !ALIAS_RESERVED.has(t.upper)) {
    // `foo 'x'` is Spark's typed-literal syntax with an unknown type.
    p.next();
    const v = p.next();
    return typedLiteral(p, t, v.value, v, p.span(t));
  }
  p.next();
  return { type: 'column', nameParts: [t.value], span: p.span(t) };
}

/**
 * Looks inside the parentheses of a call (the `(` is token k): does `keyword` appear at the top
 * level, with no top-level comma? That is how the special forms (`POSITION(a IN b)`,
 * `SUBSTRING(s FROM p)`, `OVERLAY(a PLACING b FROM p)`, `TRIM(x FROM s)`) differ from ordinary calls.
 * A linear scan, so nested calls never backtrack.
 */
function hasTopLevelKeyword(p: Parser, k: number, keyword: string): boolean {
  let depth = 0;
  let found = false;
  for (let i = p.pos + k; i < p.tokens.length; i++) {
    const t = p.tokens[i]!;
    if (t.kind === 'eof') break;
    if (t.kind === 'op') {
      if (t.value === '(' || t.value === '[') depth++;
      else if (t.value === ')' || t.value === ']') {
        if (--depth === 0) break;
      } else if (t.value === ',' && depth === 1) return false;
    } else if (depth === 1 && t.kind === 'word' && t.upper === keyword) {
      found = true;
    } else if (depth === 1 && t.kind === 'word' && t.upper === 'CASE') {
      // CASE … END may contain the keyword (`CASE WHEN x IN (…)`): skip to its END.
      let nested = 1;
      for (i++; i < p.tokens.length && nested > 0; i++) {
        const u = p.tokens[i]!;
        if (u.kind === 'eof') return found;
        if (u.kind === 'word' && u.upper === 'CASE') nested++;
        else if (u.kind === 'word' && u.upper === 'END') nested--;
      }
      i--;
    }
  }
  return found;
}

/**
 * `f(first KEYWORD ...)` forms (POSITION … IN, SUBSTRING … FROM, OVERLAY … PLACING), chosen when
 * the keyword is at the top level of the parentheses; undefined for the ordinary call form.
 */
function trySpecialForm(
  p: Parser,
  t: Token,
  keyword: string,
  rest: (first: Expr) => [string, Expr[]],
): Expr | undefined {
  if (!hasTopLevelKeyword(p, 1, keyword)) return undefined;
  p.next();
  p.next();
  const first = parseValue(p, PREC_COMPARISON);
  p.expectWord(keyword);
  const [name, args] = rest(first);
  p.expectOp(')');
  return { type: 'function', name, args, span: p.span(t) };
}

/** `TRIM([BOTH|LEADING|TRAILING] [trimStr] FROM str)`; undefined for the plain call form. */
function trimExpr(p: Parser, t: Token): Expr | undefined {
  const side = p.peek(2);
  const explicitSide =
    side.kind === 'word' && (side.upper === 'BOTH' || side.upper === 'LEADING' || side.upper === 'TRAILING');
  if (!explicitSide && !hasTopLevelKeyword(p, 1, 'FROM')) return undefined;
  p.next();
  p.next();
  let name = 'trim';
  if (explicitSide) {
    p.next();
    name = side.upper === 'LEADING' ? 'ltrim' : side.upper === 'TRAILING' ? 'rtrim' : 'trim';
  }
  let trimStr: Expr | undefined;
  if (!p.isWord('FROM')) trimStr = parseValue(p, PREC_COMPARISON);
  p.expectWord('FROM');
  const src = parseValue(p, PREC_COMPARISON);
  p.expectOp(')');
  const args = trimStr ? [trimStr, src] : [src];
  return { type: 'function', name, args, span: p.span(t) };
}

function caseExpr(p: Parser, start: Token): Expr {
  p.next();
  let operand: Expr | undefined;
  if (!p.isWord('WHEN')) operand = parseExpr(p);
  const branches: { when: Expr; then: Expr }[] = [];
  if (!p.isWord('WHEN')) throw p.error();
  while (p.acceptWord('WHEN')) {
    const when = parseExpr(p);
    p.expectWord('THEN');
    const then = parseExpr(p);
    branches.push({ when, then });
  }
  let otherwise: Expr | undefined;
  if (p.acceptWord('ELSE')) otherwise = parseExpr(p);
  p.expectWord('END');
  const e: Expr = { type: 'case', branches, span: p.span(start) };
  return {
    ...e,
    ...(operand ? { operand } : {}),
    ...(otherwise ? { otherwise } : {}),
  };
}

function castExpr(p: Parser, start: Token): Expr {
  p.next();
  p.expectOp('(');
  const operand = parseExpr(p);
  p.expectWord('AS');
  const dataType = parseDataTypeAt(p);
  p.expectOp(')');
  const e: Expr = { type: 'cast', operand, dataType, span: p.span(start) };
  return start.upper === 'TRY_CAST' ? { ...e, safe: true } : e;
}

/**
 * `name(...)` with the cursor at `(`: `[DISTINCT|ALL] args`, `IGNORE|RESPECT NULLS` inside or after
 * the parentheses, `WITHIN GROUP (ORDER BY ...)`, `FILTER (WHERE ...)`. `OVER` is not supported.
 */
export function functionCall(p: Parser, rawName: string, start: Token, namedArgs = false): Expr {
  const name = rawName.toLowerCase();
  if (!p.isOp('(')) p.next();
  p.expectOp('(');
  let distinct = false;
  let ignoreNulls: boolean | undefined;
  let args: Expr[] = [];
  if (!p.isOp(')')) {
    if (p.isWord('DISTINCT') || (p.isWord('ALL') && !p.isOp(')', 1) && !p.isOp(',', 1))) {
      distinct = p.next().upper === 'DISTINCT';
    }
    do {
      if (isIdentifier(p.peek()) && p.isOp('=>', 1)) {
        throw p.notImplemented(
          'UNSUPPORTED_FEATURE.NAMED_ARGUMENTS',
          `Named arguments are not supported by Sluice: '${p.peek().value} => ...'.`,
        );
      }
      args.push(namedArgs ? parseNamedExpr(p) : parseExpr(p));
    } while (p.acceptOp(','));
    if (p.isWord('IGNORE') || p.isWord('RESPECT')) {
      ignoreNulls = p.next().upper === 'IGNORE';
      p.expectWord('NULLS');
    }
  }
  p.expectOp(')');
  if (name === 'count' && !distinct && args.length === 1 && args[0]!.type === 'star' && !args[0]!.qualifier) {
    args = [literal(1, T.int, args[0]!.span)];
  }
  if (p.isWord('WITHIN') && p.isWord('GROUP', 1)) {
    const w = p.next();
    p.next();
    p.expectOp('(');
    p.expectWord('ORDER');
    p.expectWord('BY');
    const items: SortItem[] = [];
    do items.push(parseSortItem(p));
    while (p.acceptOp(','));
    p.expectOp(')');
    const first = items[0]!;
    if (!WITHIN_GROUP_FUNCTIONS.has(name) || items.length !== 1 || !first.ascending) {
      throw p.notImplemented(
        'UNSUPPORTED_FEATURE.WITHIN_GROUP',
        `${name}(...) WITHIN GROUP (ORDER BY ...) is supported only for percentile_cont, percentile_disc, mode and median with one ascending sort key.`,
        w,
      );
    }
    args = [first.expr, ...args];
  }
  let filter: Expr | undefined;
  if (p.isWord('FILTER')) {
    p.next();
    p.expectOp('(');
    p.expectWord('WHERE');
    filter = parseExpr(p);
    p.expectOp(')');
  }
  if (p.isWord('IGNORE') || p.isWord('RESPECT')) {
    if (p.isWord('NULLS', 1)) {
      ignoreNulls = p.next().upper === 'IGNORE';
      p.next();
    }
  }
  if (p.isWord('OVER')) {
    throw p.notImplemented(
      'UNSUPPORTED_FEATURE.WINDOW_FUNCTIONS',
      `Window functions (${name}(...) OVER ...) are not supported by Sluice.`,
    );
  }
  const call: Expr = { type: 'function', name, args, span: p.span(start) };
  return {
    ...call,
    ...(distinct ? { distinct: true } : {}),
    ...(filter ? { filter } : {}),
    ...(ignoreNulls !== undefined ? { ignoreNulls } : {}),
  };
}

/** `expr [ASC|DESC] [NULLS FIRST|LAST]` with Spark's defaults (ASC NULLS FIRST, DESC NULLS LAST). */
export function parseSortItem(p: Parser): SortItem {
  const start = p.peek();
  const expr = parseExpr(p);
  let ascending = true;
  if (p.acceptWord('DESC')) ascending = false;
  else p.acceptWord('ASC');
  let nullsFirst = ascending;
  if (p.acceptWord('NULLS')) {
    if (p.acceptWord('FIRST')) nullsFirst = true;
    else {
      p.expectWord('LAST');
      nullsFirst = false;
    }
  }
  return { kind: 'sortItem', expr, ascending, nullsFirst, span: p.span(start) };
}
