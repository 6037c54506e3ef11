/**
 * Spark SQL lexer: turns SQL text into tokens with 1-based line/column positions.
 *
 * Follows Spark's SqlBaseLexer: case-insensitive keywords (kept as `word` tokens; the parser decides
 * what is a keyword in context, so non-reserved keywords work as identifiers), identifiers made of
 * letters, digits and `_` (they may start with a digit: `1a`), backquoted identifiers with doubled
 * backquotes, '…' and "…" strings with backslash escapes, raw strings `r'…'`, numeric literals with
 * the suffixes L/S/Y/D/F/BD and exponents, `--` and nested `/* *\/` comments, and hints `/*+ … *\/`
 * right after SELECT. A lexical problem (unterminated string, unclosed comment, unknown character)
 * does not throw here: it becomes an `error` token that the parser reports when it reaches it, so the
 * reported error is always the first one in the text.
 *
 * Hand-written over char codes; no regular expressions on the hot path (no backtracking traps).
 */

export type TokenKind =
  /** An unquoted identifier or keyword (`SELECT`, `a`, `1a`). */
  | 'word'
  /** A backquoted identifier; `value` has the backquotes removed and doubled backquotes undone. */
  | 'quoted'
  /** A string literal; `value` is unescaped. */
  | 'string'
  | 'number'
  /** Punctuation and operators; `value` is the operator text (`(`, `<=>`, `::`). */
  | 'op'
  /** `/*+` right after SELECT. */
  | 'hintStart'
  /** `*\/` closing a hint. */
  | 'hintEnd'
  /** A lexical error; the parser throws `errorClass` / `message` when it reaches this token. */
  | 'error'
  | 'eof';

/** Numeric literal kinds, as Spark's lexer rules. */
export type NumberKind =
  | 'int' // INTEGER_VALUE: 123
  | 'bigint' // 123L
  | 'smallint' // 123S
  | 'tinyint' // 123Y
  | 'decimal' // DECIMAL_VALUE: 1.5, .5, 1.
  | 'exponent' // EXPONENT_VALUE: 1e10, 1.5E-3 (a double)
  | 'double' // 1.5D
  | 'float' // 1.5F
  | 'bigdecimal'; // 1.5BD

export interface Token {
  readonly kind: TokenKind;
  /** Identifier/keyword text as written, unescaped string, operator text, or the number's digits without suffix. */
  readonly value: string;
  /** For `word` tokens: the upper-cased text (keyword matching); empty otherwise. */
  readonly upper: string;
  /** Offsets into the SQL text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly numberKind?: NumberKind;
  /** For strings: written with double quotes. */
  readonly doubleQuoted?: boolean;
  /** For `error` tokens. */
  readonly errorClass?: string;
  readonly message?: string;
}

enum C {
  TAB = 9,
  LF = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  SPACE = 32,
  BANG = 33,
  DQUOTE = 34,
  PERCENT = 37,
  AMP = 38,
  QUOTE = 39,
  LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  D0 = 48,
  D7 = 55,
  D9 = 57,
  COLON = 58,
  SEMI = 59,
  LT = 60,
  EQ = 61,
  GT = 62,
  QUESTION = 63,
  UA = 65,
  UZ = 90,
  LBRACKET = 91,
  BACKSLASH = 92,
  RBRACKET = 93,
  CARET = 94,
  UNDERSCORE = 95,
  BACKQUOTE = 96,
  LA = 97,
  LZ = 122,
  LBRACE = 123,
  PIPE = 124,
  RBRACE = 125,
  TILDE = 126,
}

const UNICODE_LETTER = /\p{L}/u;

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

/** Identifier characters: letters (any script), digits, underscore. */
function isIdentChar(c: number, text: string, i: number): boolean {
  if (c < 128) {
    return (
      (c >= C.LA && c <= C.LZ) || (c >= C.UA && c <= C.UZ) || (c >= C.D0 && c <= C.D9) || c === C.UNDERSCORE
    );
  }
  if (Number.isNaN(c)) return false;
  const cp = text.codePointAt(i) ?? c;
  return UNICODE_LETTER.test(String.fromCodePoint(cp));
}

function isSpace(c: number): boolean {
  return (
    c === C.SPACE ||
    c === C.TAB ||
    c === C.LF ||
    c === C.CR ||
    c === C.FF ||
    c === C.VT ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Two-char operators (the only three-char one, `<=>`, is checked first). */
const OPS2 = new Set(['<=', '>=', '<>', '!=', '!<', '!>', '==', '=>', '->', '::', '||', '<<']);
const OPS1 = new Set([
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
  ';',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
  '&',
  '|',
  '^',
  ':',
  '?',
  '=',
  '<',
  '>',
  '!',
  '{',
  '}',
]);

/**
 * Spark's `unescapeSQLString`: `\n \t \r \b \0 \Z \\ \' \"`, `\uXXXX`, `\UXXXXXXXX`, octal `\ooo`;
 * `\%` and `\_` keep their backslash (they are LIKE escapes); any other `\x` is `x`.
 */
export function unescapeSqlString(body: string): string {
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  let i = 0;
  const n = body.length;
  while (i < n) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= n) {
      out += ch;
      i++;
      continue;
    }
    const next = body[i + 1]!;
    if (next === 'u' && i + 6 <= n && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 2, i + 6), 16));
      i += 6;
      continue;
    }
    if (next === 'U' && i + 10 <= n && /^[0-9a-fA-F]{8}$/.test(body.slice(i + 2, i + 10))) {
      const cp = Number.parseInt(body.slice(i + 2, i + 10), 16);
      if (cp <= 0x10ffff) {
        out += String.fromCodePoint(cp);
        i += 10;
        continue;
      }
    }
    const c1 = body.charCodeAt(i + 1);
    const c2 = body.charCodeAt(i + 2);
    const c3 = body.charCodeAt(i + 3);
    if (c1 >= C.D0 && c1 <= 51 && c2 >= C.D0 && c2 <= C.D7 && c3 >= C.D0 && c3 <= C.D7) {
      out += String.fromCharCode((c1 - C.D0) * 64 + (c2 - C.D0) * 8 + (c3 - C.D0));
      i += 4;
      continue;
    }
    switch (next) {
      case '0':
        out += '\u0000';
        break;
      case 'b':
        out += '\b';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'Z':
        out += '\u001A';
        break;
      case '%':
        out += '\\%';
        break;
      case '_':
        out += '\\_';
        break;
      default:
        out += next;
    }
    i += 2;
  }
  return out;
}

/** Tokenizes the whole text; the last token is always `eof`. Never throws. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  /** Inside a `/*+ … *\/` hint. */
  let inHint = false;

  const push = (
    kind: TokenKind,
    start: number,
    end: number,
    value: string,
    startLine: number,
    startCol: number,
    extra?: Partial<Token>,
  ): void => {
    // Every token has the same shape (all fields present) so property reads stay monomorphic.
    tokens.push({
      kind,
      value,
      upper: kind === 'word' ? value.toUpperCase() : '',
      start,
      end,
      line: startLine,
      column: startCol,
      numberKind: extra?.numberKind,
      doubleQuoted: extra?.doubleQuoted,
      errorClass: extra?.errorClass,
      message: extra?.message,
    });
  };

  /** Advances over [from, to), counting newlines. */
  const advanceLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (text.charCodeAt(k) === C.LF) {
        line++;
        lineStart = k + 1;
      }
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    const col = i - lineStart + 1;
    const startLine = line;

    if (isSpace(c)) {
      if (c === C.LF) {
        line++;
        lineStart = i + 1;
      }
      i++;
      continue;
    }

    // Comments.
    if (c === C.MINUS && text.charCodeAt(i + 1) === C.MINUS) {
      while (i < n && text.charCodeAt(i) !== C.LF) i++;
      continue;
    }
    if (c === C.SLASH && text.charCodeAt(i + 1) === C.STAR) {
      const prev = tokens[tokens.length - 1];
      if (text.charCodeAt(i + 2) === C.PLUS && !inHint && prev?.kind === 'word' && prev.upper === 'SELECT') {
        push('hintStart', i, i + 3, '/*+', startLine, col);
        inHint = true;
        i += 3;
        continue;
      }
      // Nested bracketed comment.
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        const ck = text.charCodeAt(k);
        if (ck === C.SLASH && text.charCodeAt(k + 1) === C.STAR) {
          depth++;
          k += 2;
        } else if (ck === C.STAR && text.charCodeAt(k + 1) === C.SLASH) {
          depth--;
          k += 2;
        } else k++;
      }
      if (depth > 0) {
        push('error', i, n, text.slice(i, i + 2), startLine, col, {
          errorClass: 'UNCLOSED_BRACKETED_COMMENT',
          message: 'Found an unclosed bracketed comment. Please, append */ at the end of the comment.',
        });
        advanceLines(i, n);
        i = n;
        break;
      }
      advanceLines(i, k);
      i = k;
      continue;
    }
    if (inHint && c === C.STAR && text.charCodeAt(i + 1) === C.SLASH) {
      push('hintEnd', i, i + 2, '*/', startLine, col);
      inHint = false;
      i += 2;
      continue;
    }

    // Raw strings r'…' / R"…" (no escapes).
    if (
      (c === 82 || c === 114) &&
      (text.charCodeAt(i + 1) === C.QUOTE || text.charCodeAt(i + 1) === C.DQUOTE)
    ) {
      const q = text.charCodeAt(i + 1);
      const close = text.indexOf(String.fromCharCode(q), i + 2);
      if (close < 0) {
        pushUnterminated(i, startLine, col);
        break;
      }
      push('string', i, close + 1, text.slice(i + 2, close), startLine, col, {
        doubleQuoted: q === C.DQUOTE,
      });
      advanceLines(i, close + 1);
      i = close + 1;
      continue;
    }

    // Numbers (and identifiers that start with a digit).
    if (isDigit(c) || (c === C.DOT && isDigit(text.charCodeAt(i + 1)) && !afterNameLike(tokens))) {
      i = lexNumberOrIdent(i, startLine, col);
      continue;
    }

    if (isIdentChar(c, text, i)) {
      let k = i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      while (k < n) {
        const ck = text.charCodeAt(k);
        if (!isIdentChar(ck, text, k)) break;
        k += ck >= 0xd800 && ck <= 0xdbff ? 2 : 1;
      }
      push('word', i, k, text.slice(i, k), startLine, col);
      i = k;
      continue;
    }

    if (c === C.BACKQUOTE) {
      let k = i + 1;
      let value = '';
      let closed = false;
      while (k < n) {
        const ck = text.charCodeAt(k);
        if (ck === C.BACKQUOTE) {
          if (text.charCodeAt(k + 1) === C.BACKQUOTE) {
            value += '`';
            k += 2;
            continue;
          }
          closed = true;
          k++;
          break;
        }
        value += text[k];
        k++;
      }
      if (!closed) {
        push('error', i, n, '`', startLine, col, {
          errorClass: 'PARSE_SYNTAX_ERROR',
          message: "Syntax error at or near '`': unclosed quoted identifier.",
        });
        advanceLines(i, n);
        i = n;
        break;
      }
      push('quoted', i, k, value, startLine, col);
      advanceLines(i, k);
      i = k;
      continue;
    }

    if (c === C.QUOTE || c === C.DQUOTE) {
      let k = i + 1;
      let closed = false;
      while (k < n) {
        const ck = text.charCodeAt(k);
        if (ck === C.BACKSLASH) {
          k += 2;
          continue;
        }
        if (ck === c) {
          closed = true;
          break;
        }
        k++;
      }
      if (!closed) {
        pushUnterminated(i, startLine, col);
        break;
      }
      push('string', i, k + 1, unescapeSqlString(text.slice(i + 1, k)), startLine, col, {
        doubleQuoted: c === C.DQUOTE,
      });
      advanceLines(i, k + 1);
      i = k + 1;
      continue;
    }

    // Operators, longest match first.
    const one = text[i]!;
    if (OPS1.has(one)) {
      if (c === C.LT && text.startsWith('<=>', i)) {
        push('op', i, i + 3, '<=>', startLine, col);
        i += 3;
        continue;
      }
      const two = text.slice(i, i + 2);
      if (OPS2.has(two)) {
        push('op', i, i + 2, two, startLine, col);
        i += 2;
        continue;
      }
      push('op', i, i + 1, one, startLine, col);
      i++;
      continue;
    }

    // Anything else is an unrecognized character.
    const cp = text.codePointAt(i) ?? c;
    const chText = String.fromCodePoint(cp);
    push('error', i, i + chText.length, chText, startLine, col, {
      errorClass: 'PARSE_SYNTAX_ERROR',
      message: `Syntax error at or near '${chText}'.`,
    });
    i += chText.length;
  }

  push('eof', n, n, '', line, n - lineStart + 1);
  return tokens;

  function pushUnterminated(start: number, startLine: number, col: number): void {
    push('error', start, n, text[start] ?? '', startLine, col, {
      errorClass: 'PARSE_SYNTAX_ERROR',
      message: `Syntax error at or near '${text[start] === 'r' || text[start] === 'R' ? text.slice(start, start + 2) : text[start]}': unclosed string literal.`,
    });
    advanceLines(start, n);
    i = n;
  }

  /**
   * Lexes at a digit (or `.digit`): the longer of a numeric literal and an identifier run wins,
   * a tie goes to the number (Spark's rule order). Returns the new position.
   */
  function lexNumberOrIdent(start: number, startLine: number, col: number): number {
    let k = start;
    while (isDigit(text.charCodeAt(k))) k++;
    let hasDot = false;
    if (text.charCodeAt(k) === C.DOT) {
      hasDot = true;
      k++;
      while (isDigit(text.charCodeAt(k))) k++;
    }
    let hasExp = false;
    const ce = text.charCodeAt(k);
    if (ce === 69 || ce === 101) {
      const s = text.charCodeAt(k + 1);
      if (isDigit(s)) {
        hasExp = true;
        k += 1;
      } else if ((s === C.PLUS || s === C.MINUS) && isDigit(text.charCodeAt(k + 2))) {
        hasExp = true;
        k += 2;
      }
      if (hasExp) while (isDigit(text.charCodeAt(k))) k++;
    }
    const digitsEnd = k;
    let kind: NumberKind = hasExp ? 'exponent' : hasDot ? 'decimal' : 'int';
    const s1 = text.charCodeAt(k) | 0x20; // lower-case
    const s2 = text.charCodeAt(k + 1) | 0x20;
    if (s1 === 98 && s2 === 100) {
      kind = 'bigdecimal';
      k += 2;
    } else if (s1 === 100) {
      kind = 'double';
      k++;
    } else if (s1 === 102) {
      kind = 'float';
      k++;
    } else if (!hasDot && !hasExp && s1 === 108) {
      kind = 'bigint';
      k++;
    } else if (!hasDot && !hasExp && s1 === 115) {
      kind = 'smallint';
      k++;
    } else if (!hasDot && !hasExp && s1 === 121) {
      kind = 'tinyint';
      k++;
    }
    if (hasDot) {
      // Spark's isValidDecimal: a number with a dot may not run into a letter, digit or `_`.
      if (k < n && isIdentChar(text.charCodeAt(k), text, k)) {
        let end = k;
        while (end < n && isIdentChar(text.charCodeAt(end), text, end)) end++;
        const bad = text.slice(start, end);
        push('error', start, end, bad, startLine, col, {
          errorClass: 'PARSE_SYNTAX_ERROR',
          message: `Syntax error at or near '${bad}'.`,
        });
        return end;
      }
    } else {
      // Without a dot an identifier (`123abc`, `1Lx`) competes: the longer wins, a tie goes to the number.
      let identEnd = start;
      while (identEnd < n && isIdentChar(text.charCodeAt(identEnd), text, identEnd)) identEnd++;
      if (identEnd > k) {
        push('word', start, identEnd, text.slice(start, identEnd), startLine, col);
        return identEnd;
      }
    }
    push('number', start, k, text.slice(start, digitsEnd), startLine, col, { numberKind: kind });
    return k;
  }
}

/** After a name, `)` or `]`, a `.5` is a dereference dot followed by digits, not a decimal. */
function afterNameLike(tokens: Token[]): boolean {
  const prev = tokens[tokens.length - 1];
  if (!prev) return false;
  return (
    prev.kind === 'word' ||
    prev.kind === 'quoted' ||
    (prev.kind === 'op' && (prev.value === ')' || prev.value === ']'))
  );
}
