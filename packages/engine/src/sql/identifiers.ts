import type { Token } from './lexer.js';
import type { Parser } from './parser.js';

/** Identifier rules shared by the construct parsers. */

/** An identifier token (unquoted word or backquoted) → its name. */
export function isIdentifier(t: Token): boolean {
  return t.kind === 'word' || t.kind === 'quoted';
}

/** Consumes an identifier (any word, keywords included, or a backquoted name). */
export function identifier(p: Parser): string {
  const t = p.peek();
  if (!isIdentifier(t)) throw p.error(t);
  p.next();
  return t.value;
}

/**
 * An identifier where Spark uses `errorCapturingIdentifier`: an unquoted `my-name` (words joined by
 * dashes with no spaces) is `[INVALID_IDENTIFIER]`, telling the user to backquote it.
 */
export function checkedIdentifier(p: Parser): string {
  const start = p.peek();
  const name = identifier(p);
  if (
    start.kind === 'word' &&
    p.isOp('-') &&
    p.peek().start === start.end &&
    p.peek(1).kind === 'word' &&
    p.peek(1).start === p.peek().end
  ) {
    let full = name;
    while (p.isOp('-') && p.peek(1).kind === 'word' && p.peek().start === p.prev().end) {
      p.next();
      full += `-${p.next().value}`;
    }
    throw p.errorWith(
      'INVALID_IDENTIFIER',
      `The unquoted identifier ${full} is invalid and must be back quoted as: \`${full}\`. Unquoted identifiers can only contain ASCII letters ('a' - 'z', 'A' - 'Z'), digits ('0' - '9'), and underbar ('_'). Unquoted identifiers must also not start with a digit. Different data sources and meta stores may impose additional restrictions on valid identifiers.`,
      start,
    );
  }
  return name;
}

/** `(a, b, c)` */
export function identifierList(p: Parser): string[] {
  p.expectOp('(');
  const names: string[] = [];
  do names.push(checkedIdentifier(p));
  while (p.acceptOp(','));
  p.expectOp(')');
  return names;
}
