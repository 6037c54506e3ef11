/**
 * Where in a payload a parser gave up, from its message: `position 12` / `at offset 12` (0-based
 * characters), or `line 2 column 5` (1-based). Undefined when the message says neither or the
 * place is outside the text.
 */
export function positionInMessage(message: string, text: string): number | undefined {
  const lineColumn = /line (\d+)(?:,)? column (\d+)/i.exec(message);
  let at: number | undefined;
  const plain = /(?:position|offset|char(?:acter)?) (\d+)/i.exec(message);
  if (plain) {
    at = Number(plain[1]);
  } else if (lineColumn) {
    const line = Number(lineColumn[1]);
    const column = Number(lineColumn[2]);
    const lines = text.split('\n');
    if (line >= 1 && line <= lines.length) {
      at = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    }
  }
  return at !== undefined && at >= 0 && at <= text.length ? at : undefined;
}

/**
 * Where a JSON document stops being valid: the offset of the first character a JSON parser cannot
 * accept (the text's length when it ends too early), or undefined when it is valid JSON. Browsers'
 * JSON.parse messages do not all say where (newer V8 names only the token), so the place is found
 * by scanning the grammar (RFC 8259) here.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c.charCodeAt(0) < 0x20) fail();
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i++;
        } else {
          fail();
        }
      } else {
        i++;
      }
    }
  };
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? '')) fail();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

/** JSON.parse's complaint and the place the text stops being JSON; undefined when it parses. */
export function jsonErrorPosition(
  text: string,
): { position: number | undefined; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return { message: (error as Error).message, position: jsonErrorOffset(text) };
  }
}

/**
 * The parse error's place in a dead letter's value: the position its error message names, else the
 * place the text stops being JSON (a parse-stage dead letter of a JSON source fails there).
 */
export function parseErrorPosition(errorMessage: string, text: string): number | undefined {
  return positionInMessage(errorMessage, text) ?? jsonErrorPosition(text)?.position;
}
