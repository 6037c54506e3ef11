import { NotImplementedError, type ParseError } from '../errors.js';
import type { SourceSpan } from '../expr/expression.js';
import { type Token, tokenize } from './lexer.js';
import type { SqlParameters } from './parameters.js';
import { errorAt, sqlExcerpt, syntaxError } from './parse-error.js';

/**
 * The token cursor shared by the construct parsers (`expr-parser.ts`, `select.ts`, `relation.ts`,
 * `query.ts`, `statement.ts`, `data-type-parser.ts`). Recursive descent with arbitrary lookahead
 * and cheap backtracking (`mark`/`reset` restore an index into the token array).
 */
export class Parser {
  readonly tokens: Token[];
  pos = 0;
  private depth = 0;
  /** How many `?` markers were read so far (their values are taken in order). */
  positionalCount = 0;

  /** `parameters`: values for `:name` / `?` markers (see `parameters.ts`). */
  constructor(
    readonly text: string,
    readonly parameters?: SqlParameters,
  ) {
    this.tokens = tokenize(text);
  }

  peek(k = 0): Token {
    const t = this.tokens[this.pos + k];
    return t ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  /** The last consumed token. */
  prev(): Token {
    return this.tokens[Math.max(0, this.pos - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  /** Is token k an unquoted word spelled `upper` (case-insensitive)? */
  isWord(upper: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.upper === upper;
  }

  /** Is token k an unquoted word among `uppers`? */
  isAnyWord(uppers: ReadonlySet<string>, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && uppers.has(t.upper);
  }

  isOp(value: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === value;
  }

  acceptWord(upper: string): boolean {
    if (this.isWord(upper)) {
      this.pos++;
      return true;
    }
    return false;
  }

  acceptOp(value: string): boolean {
    if (this.isOp(value)) {
      this.pos++;
      return true;
    }
    return false;
  }

  expectWord(upper: string): Token {
    if (!this.isWord(upper)) throw this.error();
    return this.next();
  }

  expectOp(value: string): Token {
    if (!this.isOp(value)) throw this.error(undefined, value === ')' ? "missing ')'" : undefined);
    return this.next();
  }

  /** A syntax error at token `t` (default: the current token). */
  error(t: Token = this.peek(), hint?: string): ParseError {
    return syntaxError(this.text, t, hint);
  }

  /** A ParseError with a specific error class at token `t`. */
  errorWith(errorClass: string, message: string, t: Token = this.peek()): ParseError {
    return errorAt(this.text, errorClass, message, t);
  }

  /** Valid Spark syntax that Sluice does not support, positioned at token `t`. */
  notImplemented(errorClass: string, message: string, t: Token = this.peek()): NotImplementedError {
    return new NotImplementedError(
      errorClass,
      `${message}\n${sqlExcerpt(this.text, t.line, t.column, t.end - t.start)}`,
      { line: t.line, column: t.column },
    );
  }

  mark(): number {
    return this.pos;
  }

  reset(mark: number): void {
    this.pos = mark;
  }

  /** The span from token `start` to the last consumed token. */
  span(start: Token): SourceSpan {
    const last = this.prev();
    const end = last.end >= start.start ? last.end : start.end;
    return { line: start.line, column: start.column, start: start.start, end };
  }

  /** Guards recursion so that absurdly nested input is a ParseError, not a stack overflow. */
  enter(): void {
    if (++this.depth > 400) {
      throw this.errorWith(
        'PARSE_SYNTAX_ERROR',
        `Syntax error at or near '${this.peek().value || 'end of input'}': the statement is nested too deeply.`,
      );
    }
  }

  leave(): void {
    this.depth--;
  }
}
