/** CASE / IF / COALESCE / IN / LIKE binding, with lazy evaluation of branches in the generated code. */
import { AnalysisError, ExecutionError } from '../errors.js';
import { castExpr, makeCall, typeMismatch } from '../functions/registry.js';
import type { DataType } from '../types/data-type.js';
import { isPrimitiveComparable, sqlTypeName, T } from '../types/types.js';
import type { BoundExpr, CallImpl } from './bound.js';
import { findWiderTypeOfAll } from './coercion.js';
import { valueKey } from './compare.js';
import { coerceComparison, comparisonCode } from './operators.js';
import './regex-safety.js';

/** Casts all expressions to their wider common type, or raises DATATYPE_MISMATCH.DATA_DIFF_TYPES. */
export function coerceAll(
  fnSql: string,
  fnName: string,
  es: readonly BoundExpr[],
  ansi: boolean,
): BoundExpr[] {
  const t = findWiderTypeOfAll(
    es.map((e) => e.dataType),
    ansi,
  );
  if (!t) {
    throw typeMismatch(
      fnSql,
      `Input to \`${fnName}\` should all be the same type, but it's [${es.map((e) => `"${sqlTypeName(e.dataType)}"`).join(', ')}]`,
      'DATA_DIFF_TYPES',
    );
  }
  return es.map((e) => castExpr(e, t, ansi));
}

/** Searched CASE: `CASE WHEN c1 THEN v1 ... ELSE d END`. */
export function bindCase(
  branches: readonly { when: BoundExpr; value: BoundExpr }[],
  otherwise: BoundExpr | undefined,
  ansi: boolean,
  sql: string,
): BoundExpr {
  const values = coerceAll(
    sql,
    'casewhen',
    [...branches.map((b) => b.value), ...(otherwise ? [otherwise] : [])],
    ansi,
  );
  const conds = branches.map((b) => {
    if (b.when.dataType.kind === 'boolean') return b.when;
    if (b.when.dataType.kind === 'null') return castExpr(b.when, T.boolean, ansi);
    throw typeMismatch(
      sql,
      `The ${'first'} parameter requires the "BOOLEAN" type, however "${b.when.sql}" has the type "${sqlTypeName(b.when.dataType)}"`,
    );
  });
  const n = conds.length;
  const args = [...conds, ...values];
  const hasElse = otherwise !== undefined;
  const impl: CallImpl = {
    gen: (g, a) => {
      const v = g.fresh();
      g.emit(`let ${v} = null;`);
      let open = 0;
      for (let i = 0; i < n; i++) {
        const c = g.expr(a[i]!);
        g.emit(`if (${c} === true) {`);
        const t = g.expr(a[n + i]!);
        g.emit(`${v} = ${t};`);
        g.emit('} else {');
        open++;
      }
      if (hasElse) {
        const e = g.expr(a[2 * n]!);
        g.emit(`${v} = ${e};`);
      }
      for (let i = 0; i < open; i++) g.emit('}');
      return v;
    },
  };
  const dataType: DataType = values[0]?.dataType ?? T.null;
  const nullable = !hasElse || values.some((x) => x.nullable);
  return makeCall('casewhen', args, dataType, impl, { sql, nullable });
}

/** `coalesce(a, b, ...)`: the first non-null argument, evaluating later ones only when needed. */
export function bindCoalesce(args: readonly BoundExpr[], ansi: boolean, name = 'coalesce'): BoundExpr {
  const sql = `${name}(${args.map((a) => a.sql).join(', ')})`;
  if (args.length === 0) {
    throw new AnalysisError(
      'WRONG_NUM_ARGS.WITHOUT_SUGGESTION',
      `The \`${name}\` requires > 0 parameters but the actual number is 0.`,
    );
  }
  const cs = coerceAll(sql, name, args, ansi);
  const impl: CallImpl = {
    gen: (g, a) => {
      const v = g.fresh();
      const first = g.expr(a[0]!);
      g.emit(`let ${v} = ${first};`);
      let open = 0;
      for (let i = 1; i < a.length; i++) {
        g.emit(`if (${v} === null) {`);
        open++;
        const x = g.expr(a[i]!);
        g.emit(`${v} = ${x};`);
      }
      for (let i = 0; i < open; i++) g.emit('}');
      return v;
    },
  };
  return makeCall(name, cs, cs[0]!.dataType, impl, { sql, nullable: cs.every((c) => c.nullable) });
}

/** `x [NOT] IN (a, b, ...)` with SQL null semantics; literal lists become a Set lookup. */
export function bindIn(
  operand: BoundExpr,
  list: readonly BoundExpr[],
  negated: boolean,
  ansi: boolean,
): BoundExpr {
  const sql = `(${operand.sql} IN (${list.map((l) => l.sql).join(', ')}))`;
  const all = coerceAll(sql, 'in', [operand, ...list], ansi);
  const t = all[0]!.dataType;
  const [x, ...items] = all;
  const allLiteral = items.every((i) => i.kind === 'literal');
  const hasNullItem = items.some((i) => i.kind === 'literal' && i.value === null);
  let call: BoundExpr;
  if (allLiteral && items.length > 0) {
    const set = new Set(
      items
        .filter((i) => i.kind === 'literal' && i.value !== null)
        .map((i) => valueKey((i as { value: unknown }).value, t)),
    );
    const primitive = isPrimitiveComparable(t);
    const key = (v: unknown) => valueKey(v, t);
    const impl: CallImpl = {
      gen: (g, a) => {
        const v = g.expr(a[0]!);
        const s = g.constant(set);
        const r = g.fresh();
        const probe = primitive ? `${s}.has(${v})` : `${s}.has(${g.constant(key)}(${v}))`;
        g.emit(`const ${r} = ${v} === null ? null : ${probe} ? true : ${hasNullItem ? 'null' : 'false'};`);
        return r;
      },
    };
    call = makeCall('in', [x!], T.boolean, impl, { sql, nullable: x!.nullable || hasNullItem });
  } else {
    const impl: CallImpl = {
      gen: (g, a) => {
        const v = g.expr(a[0]!);
        const r = g.fresh();
        g.emit(`let ${r} = null;`);
        g.emit(`if (${v} !== null) {`);
        g.emit(`${r} = false;`);
        // Items after a match are not evaluated (an ANSI error in them must not surface), as in Spark.
        for (let i = 1; i < a.length; i++) {
          g.emit(`if (${r} !== true) {`);
          const iv = g.expr(a[i]!);
          g.emit(
            `if (${iv} === null) ${r} = null; else if (${comparisonCode('=', t, v, iv, g)}) ${r} = true;`,
          );
          g.emit('}');
        }
        g.emit('}');
        return r;
      },
    };
    call = makeCall('in', [x!, ...items], T.boolean, impl, {
      sql,
      nullable: all.some((a) => a.nullable),
    });
  }
  if (!negated) return call;
  return not(call, sql);
}

/** `x [NOT] BETWEEN low AND high` = `x >= low AND x <= high` (x evaluated once). */
export function bindBetween(
  x: BoundExpr,
  low: BoundExpr,
  high: BoundExpr,
  negated: boolean,
  ansi: boolean,
): BoundExpr {
  const sql = `between(${x.sql}, ${low.sql}, ${high.sql})`;
  const [a1, l, t1] = coerceComparison('>=', x, low, ansi);
  const [a2, h, t2] = coerceComparison('<=', x, high, ansi);
  const impl: CallImpl = {
    gen: (g, a) => {
      // x >= low AND x <= high, the upper bound evaluated only when the lower one is not false.
      const v1 = g.expr(a[0]!);
      const lv = g.expr(a[1]!);
      const p = g.fresh();
      const r = g.fresh();
      g.emit(
        `const ${p} = (${v1} === null || ${lv} === null ? null : ${comparisonCode('>=', t1, v1, lv, g)});`,
      );
      g.emit(`let ${r} = ${p};`);
      g.emit(`if (${p} !== false) {`);
      const v2 = g.expr(a[2]!);
      const hv = g.expr(a[3]!);
      const q = g.fresh();
      g.emit(
        `const ${q} = (${v2} === null || ${hv} === null ? null : ${comparisonCode('<=', t2, v2, hv, g)});`,
      );
      g.emit(`${r} = ${q} === false ? false : (${p} === null || ${q} === null) ? null : true;`);
      g.emit('}');
      return r;
    },
  };
  // Always a positive `between` (what the join's time-range analysis reads), NOT around it.
  const call = makeCall('between', [a1, l, a2, h], T.boolean, impl, { sql });
  if (!negated) return call;
  return not(call, sql);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Translates a SQL LIKE pattern (with `_`, `%` and an escape character) to an anchored regular expression. */
export function likeToRegex(pattern: string, escapeChar = '\\', ignoreCase = false): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === escapeChar) {
      const n = pattern[i + 1];
      if (n === undefined || (n !== '_' && n !== '%' && n !== escapeChar)) {
        throw new AnalysisError(
          'INVALID_FORMAT.ESC_IN_THE_MIDDLE',
          `The format is invalid: '${pattern}'. The escape character is not allowed to precede '${n ?? ''}'.`,
        );
      }
      out += escapeRegex(n);
      i++;
    } else if (c === '_') out += '.';
    else if (c === '%') out += '.*';
    else out += escapeRegex(c);
  }
  return new RegExp(`^${out}$`, ignoreCase ? 'isu' : 'su');
}

/**
 * Whether a pattern quantifies a group that itself repeats or alternates (`(a+)+`, `(a|aa)*`, `(\\w*)*`):
 * the shape that makes a backtracking engine take exponential time on a near-miss.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  const groups: { repeats: boolean }[] = [{ repeats: false }];
  let closed: { repeats: boolean } | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const quantifier = c === '*' || c === '+' || c === '{' || (c === '?' && pattern[i - 1] !== '(');
    if (quantifier && closed?.repeats) return true;
    if (quantifier) groups[groups.length - 1]!.repeats = true;
    closed = undefined;
    if (c === '\\') i++;
    else if (c === '[') {
      // a character class is one atom: skip to its end
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') groups.push({ repeats: false });
    else if (c === '|') groups[groups.length - 1]!.repeats = true;
    else if (c === ')' && groups.length > 1) {
      closed = groups.pop()!;
      if (closed.repeats) groups[groups.length - 1]!.repeats = true;
    }
  }
  return false;
}

/**
 * Java regex text to a JS RegExp (the common subset is identical; inline flags `(?i)` are mapped).
 * The engine turns on V8's linear-time fallback for regexes that backtrack excessively (see
 * `regex-safety.ts`); that engine runs only patterns without the `u` and `i` flags, so a pattern with
 * a nested quantifier is compiled without `u` when it is case-sensitive (the two modes differ only for
 * characters outside the Basic Multilingual Plane).
 */
export function javaRegex(pattern: string, extraFlags = ''): RegExp {
  let flags = `u${extraFlags}`;
  let p = pattern;
  const m = /^\(\?([imsx]+)\)/.exec(p);
  if (m) {
    for (const f of m[1]!) if (f !== 'x' && !flags.includes(f)) flags += f;
    p = p.slice(m[0].length);
  }
  if (!flags.includes('i') && hasNestedQuantifier(p)) flags = flags.replace('u', '');
  try {
    return new RegExp(p, flags);
  } catch {
    return new RegExp(p, flags.replace('u', ''));
  }
}

/** LIKE / ILIKE / RLIKE; a literal pattern is compiled once. */
export function bindLike(
  kind: 'like' | 'ilike' | 'rlike',
  operand: BoundExpr,
  pattern: BoundExpr,
  escapeChar: string | undefined,
  negated: boolean,
  ansi: boolean,
): BoundExpr {
  const word = kind.toUpperCase();
  const sql =
    kind === 'rlike'
      ? `RLIKE(${operand.sql}, ${pattern.sql})`
      : `${kind === 'ilike' ? 'ilike' : ''}${kind === 'ilike' ? `(${operand.sql}, ${pattern.sql})` : `${operand.sql} LIKE ${pattern.sql}`}`;
  const a = castExpr(operand, T.string, ansi);
  const p = castExpr(pattern, T.string, ansi);
  if (
    operand.dataType.kind !== 'string' &&
    operand.dataType.kind !== 'null' &&
    !['int', 'long', 'double', 'date', 'timestamp'].includes(operand.dataType.kind)
  ) {
    throw typeMismatch(
      sql,
      `The first parameter requires the "STRING" type, however "${operand.sql}" has the type "${sqlTypeName(operand.dataType)}"`,
    );
  }
  const compile = (pat: string): RegExp => {
    try {
      return kind === 'rlike' ? javaRegex(pat) : likeToRegex(pat, escapeChar ?? '\\', kind === 'ilike');
    } catch (err) {
      if (err instanceof AnalysisError) throw err;
      throw new ExecutionError(
        'INVALID_PARAMETER_VALUE.PATTERN',
        `The value of parameter(s) \`regexp\` in \`${kind}\` is invalid: ${(err as Error).message}.`,
      );
    }
  };
  let impl: CallImpl;
  if (p.kind === 'literal' && typeof p.value === 'string') {
    const re = compile(p.value);
    impl = { inline: ([s], g) => `${g.constant(re)}.test(${s})` };
  } else {
    const cache = new Map<string, RegExp>();
    const fn = (s: string, pat: string) => {
      let re = cache.get(pat);
      if (!re) {
        re = compile(pat);
        if (cache.size > 1000) cache.clear();
        cache.set(pat, re);
      }
      return re.test(s);
    };
    impl = { fn };
  }
  const call = makeCall(
    kind,
    p.kind === 'literal' && typeof p.value === 'string' ? [a] : [a, p],
    T.boolean,
    impl,
    {
      sql,
      nullable: a.nullable || p.nullable,
    },
  );
  void word;
  if (!negated) return call;
  return not(call, sql);
}

/** `NOT <call>` for the negated forms of IN, BETWEEN and LIKE (null stays null). */
function not(call: BoundExpr, sql: string): BoundExpr {
  return makeCall('not', [call], T.boolean, { inline: ([v]) => `!${v}` }, { sql: `(NOT ${sql})` });
}
