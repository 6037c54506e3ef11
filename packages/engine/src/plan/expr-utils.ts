import type { Expr } from '../expr/expression.js';

/** Spark's generator function names (explode & co.), which the planner turns into Generate nodes. */
export const GENERATOR_FUNCTIONS: ReadonlySet<string> = new Set([
  'explode',
  'explode_outer',
  'posexplode',
  'posexplode_outer',
  'inline',
  'inline_outer',
  'stack',
  'json_tuple',
]);

/** Rebuild `e` with `f` applied to each direct child expression (sub-query plans are left alone). */
export function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.type) {
    case 'column':
    case 'star':
    case 'literal':
    case 'subquery':
      return e.type === 'subquery' && e.operand ? { ...e, operand: f(e.operand) } : e;
    case 'function':
      return { ...e, args: e.args.map(f), ...(e.filter ? { filter: f(e.filter) } : {}) };
    case 'binary':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'unary':
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'alias':
    case 'field':
      return { ...e, operand: f(e.operand) };
    case 'case':
      return {
        ...e,
        ...(e.operand ? { operand: f(e.operand) } : {}),
        // biome-ignore lint/suspicious/noThenProperty: the Expr contract names a CASE branch result `then`
        branches: e.branches.map((b) => ({ when: f(b.when), then: f(b.then) })),
        ...(e.otherwise ? { otherwise: f(e.otherwise) } : {}),
      };
    case 'in':
      return { ...e, operand: f(e.operand), list: e.list.map(f) };
    case 'between':
      return { ...e, operand: f(e.operand), low: f(e.low), high: f(e.high) };
    case 'like':
      return { ...e, operand: f(e.operand), pattern: f(e.pattern) };
    case 'lambda':
      return { ...e, body: f(e.body) };
    case 'subscript':
      return { ...e, operand: f(e.operand), index: f(e.index) };
  }
}

/** Direct child expressions of `e`. */
export function exprChildren(e: Expr): Expr[] {
  const out: Expr[] = [];
  mapChildren(e, (c) => {
    out.push(c);
    return c;
  });
  return out;
}

/** True when `pred` holds for `e` or any expression below it (not descending into sub-queries). */
export function exprExists(e: Expr, pred: (x: Expr) => boolean): boolean {
  if (pred(e)) return true;
  return exprChildren(e).some((c) => exprExists(c, pred));
}

/**
 * A canonical key for structural equality of unresolved expressions: spans dropped, identifiers
 * lower-cased (Spark's resolution is case-insensitive). Used to match SELECT items to GROUP BY keys.
 */
export function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v) => {
    if (k === 'span') return undefined;
    if (typeof v === 'bigint') return `${v}n`;
    if (k === 'nameParts' && Array.isArray(v)) return v.map((s: string) => s.toLowerCase());
    if (k === 'name' && typeof v === 'string') return v.toLowerCase();
    if (v instanceof Uint8Array) return Array.from(v);
    if (v instanceof Map) return [...v.entries()];
    return v;
  });
}

/** Strip a top-level alias. */
export function unalias(e: Expr): Expr {
  return e.type === 'alias' ? unalias(e.operand) : e;
}

/** `col` Expr. */
export function colExpr(...nameParts: string[]): Expr {
  return { type: 'column', nameParts };
}

/** Quote an identifier with backticks when Spark would (anything but [A-Za-z0-9_] starting non-digit). */
export function quoteIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** Unresolved expression text, in the style of Spark's parsed plan (`'a`, `('a + 1)`, `'count(1)`). */
export function exprToString(e: Expr): string {
  switch (e.type) {
    case 'column':
      return `'${e.nameParts.map(quoteIdent).join('.')}`;
    case 'star':
      return e.qualifier ? `${e.qualifier.join('.')}.*` : '*';
    case 'literal':
      return literalText(e.value);
    case 'function': {
      const args = e.args.map(exprToString).join(', ');
      const f = e.filter ? ` FILTER (WHERE ${exprToString(e.filter)})` : '';
      return `'${e.name}(${e.distinct ? 'distinct ' : ''}${args})${f}`;
    }
    case 'binary':
      return `(${exprToString(e.left)} ${e.op.toUpperCase() === e.op ? e.op : e.op.toUpperCase()} ${exprToString(e.right)})`;
    case 'unary':
      return e.op === 'not' ? `NOT ${exprToString(e.operand)}` : `${e.op}${exprToString(e.operand)}`;
    case 'isNull':
      return `${e.negated ? 'isnotnull' : 'isnull'}(${exprToString(e.operand)})`;
    case 'isBool':
      return `(${exprToString(e.operand)} IS ${e.negated ? 'NOT ' : ''}${e.value === null ? 'UNKNOWN' : String(e.value).toUpperCase()})`;
    case 'case': {
      const parts = ['CASE'];
      if (e.operand) parts.push(exprToString(e.operand));
      for (const b of e.branches) parts.push(`WHEN ${exprToString(b.when)} THEN ${exprToString(b.then)}`);
      if (e.otherwise) parts.push(`ELSE ${exprToString(e.otherwise)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'cast':
      return `${e.safe ? 'try_cast' : 'cast'}(${exprToString(e.operand)} as ${typeText(e.dataType)})`;
    case 'in':
      return `${exprToString(e.operand)}${e.negated ? ' NOT' : ''} IN (${e.list.map(exprToString).join(',')})`;
    case 'between':
      return `${exprToString(e.operand)}${e.negated ? ' NOT' : ''} BETWEEN ${exprToString(e.low)} AND ${exprToString(e.high)}`;
    case 'like':
      return `${exprToString(e.operand)}${e.negated ? ' NOT' : ''} ${e.kind.toUpperCase()} ${exprToString(e.pattern)}`;
    case 'lambda':
      return `lambdafunction(${exprToString(e.body)}, ${e.params.join(', ')})`;
    case 'alias':
      return `${exprToString(e.operand)} AS ${e.names.length === 1 ? e.names[0] : `(${e.names.join(', ')})`}`;
    case 'field':
      return `${exprToString(e.operand)}.${e.field}`;
    case 'subscript':
      return `${exprToString(e.operand)}[${exprToString(e.index)}]`;
    case 'subquery':
      return `${e.kind}-subquery`;
  }
}

function literalText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex').toUpperCase()}`;
  return String(v);
}

function typeText(t: { kind: string }): string {
  return t.kind;
}
