import { ParseError } from '../errors.js';
import type { Token } from './lexer.js';

/**
 * Builds ParseErrors in Spark's wording with an excerpt:
 *
 * ```
 * [PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'.
 * == SQL (line 1, position 8) ==
 * SELECT FROM t
 *        ^^^^
 * ```
 * `position` is the 1-based column (the same as `error.position.column`).
 */

/** The excerpt appended to every parse error: the header, the offending line and a caret line. */
export function sqlExcerpt(text: string, line: number, column: number, length = 1): string {
  const lines = text.split('\n');
  const src = (lines[line - 1] ?? '').replace(/\r$/, '');
  // Keep tabs so the caret lines up under the column in a terminal.
  let pad = '';
  for (let i = 0; i < column - 1; i++) pad += src[i] === '\t' ? '\t' : ' ';
  const width = Math.max(1, Math.min(length, Math.max(1, src.length - (column - 1))));
  return `== SQL (line ${line}, position ${column}) ==\n${src}\n${pad}${'^'.repeat(width)}`;
}

/** A ParseError at a token: `Syntax error at or near 'x'.` (or `... end of input.`), plus an optional hint. */
export function syntaxError(text: string, token: Token, hint?: string): ParseError {
  if (token.kind === 'error') {
    return errorAt(text, token.errorClass ?? 'PARSE_SYNTAX_ERROR', token.message ?? 'Syntax error.', token);
  }
  const near = token.kind === 'eof' ? 'end of input' : `'${shorten(text.slice(token.start, token.end))}'`;
  const message = `Syntax error at or near ${near}${hint ? `: ${hint}` : ''}.`;
  return errorAt(text, 'PARSE_SYNTAX_ERROR', message, token);
}

/** A ParseError with any error class and message, positioned at a token. */
export function errorAt(text: string, errorClass: string, message: string, token: Token): ParseError {
  const length = Math.max(1, token.end - token.start);
  return new ParseError(errorClass, `${message}\n${sqlExcerpt(text, token.line, token.column, length)}`, {
    line: token.line,
    column: token.column,
  });
}

function shorten(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine;
}
