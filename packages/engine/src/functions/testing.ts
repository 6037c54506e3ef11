/** Test helpers: evaluate Spark SQL expression text through the real parser, resolver and compiler. */
import type { Scope } from '../expr/bound.js';
import { compileExpr } from '../expr/codegen.js';
import { resolveExpr } from '../expr/resolve.js';
import { parseExpression } from '../sql/index.js';
import type { Row } from '../types/data-type.js';
import { formatValue } from '../types/format.js';
import { simpleString } from '../types/types.js';

export const EMPTY_SCOPE: Scope = { fields: [] };

/**
 * Functions that property and robustness tests leave out: random or identity-dependent results, and
 * functions that raise on purpose.
 */
export const UNFUZZABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'raise_error',
  'assert_true',
  'uuid',
  'rand',
  'random',
  'randn',
  'shuffle',
  'current_user',
  'user',
  'session_user',
]);

/** Evaluates `text` (e.g. `upper('a')`) over one row and returns the raw runtime value. */
export function evalSql(
  text: string,
  opts: { ansi?: boolean; scope?: Scope; row?: Row; now?: number } = {},
): unknown {
  const bound = resolveExpr(parseExpression(text), opts.scope ?? EMPTY_SCOPE, {
    ansi: opts.ansi ?? true,
    ...(opts.now !== undefined ? { now: opts.now } : {}),
  });
  return compileExpr(bound)(opts.row ?? []);
}

/** Evaluates `text` and formats the result as Spark's `SELECT` would show it (`NULL`, `[1, 2]`, `1.0`). */
export function showSql(
  text: string,
  opts: { ansi?: boolean; scope?: Scope; row?: Row; now?: number } = {},
): string {
  const bound = resolveExpr(parseExpression(text), opts.scope ?? EMPTY_SCOPE, {
    ansi: opts.ansi ?? true,
    ...(opts.now !== undefined ? { now: opts.now } : {}),
  });
  return formatValue(compileExpr(bound)(opts.row ?? []), bound.dataType);
}

/** The result type of `text` as Spark's simpleString, e.g. `decimal(5,2)`. */
export function typeOfSql(text: string, scope: Scope = EMPTY_SCOPE): string {
  return simpleString(resolveExpr(parseExpression(text), scope).dataType);
}
