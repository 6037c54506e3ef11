import { describe, expect, it } from 'vitest';
import { filterFromUrl, filterSearch } from './filters';
import { jsonErrorOffset, jsonErrorPosition, parseErrorPosition, positionInMessage } from './parse-position';

describe('parse error positions', () => {
  it('reads a 0-based position or a 1-based line and column from a message', () => {
    expect(positionInMessage("Unexpected token '}' at position 9", '{"id": 1,}')).toBe(9);
    expect(positionInMessage('bad value at line 2 column 3', '{\n  x}')).toBe(4);
    expect(positionInMessage('no place named', 'abc')).toBeUndefined();
    expect(positionInMessage('position 99', 'abc')).toBeUndefined();
  });

  it('falls back to where JSON.parse stops when the message names no place', () => {
    const text = '{"id": 1,}';
    const at = parseErrorPosition('Malformed records are detected in record parsing.', text);
    expect(at).toBe(9);
    expect(text[at!]).toBe('}');
    expect(jsonErrorPosition('{"a":')?.position).toBe(5);
    expect(jsonErrorPosition('{"a":1}')).toBeUndefined();
  });
});

describe('where JSON stops being valid', () => {
  it('finds the first character a JSON parser refuses', () => {
    const cases: [string, number | undefined][] = [
      ['{"id": 3, "amount": }', 20],
      ['{"id": 1,}', 9],
      ['[1, 2', 5],
      ['{"a": tru}', 9],
      ['{"a": "x\\q"}', 9],
      ['{"a": 01}', 7],
      ['{"a": 1} x', 9],
      ['', 0],
      ['{"a": [1, {"b": null}], "c": -1.5e3, "d": "\\u00e9"}', undefined],
      [' 42 ', undefined],
    ];
    for (const [text, at] of cases) expect(jsonErrorOffset(text), text).toBe(at);
    // It agrees with JSON.parse on what is valid.
    for (const [text] of cases) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(jsonErrorOffset(text) === undefined, text).toBe(valid);
    }
  });
});

describe('dead-letter filters in the URL', () => {
  it('maps the page parameters to the API filter, a range to a whole-minute start', () => {
    const now = Date.parse('2026-12-05T10:30:45.123Z');
    const filter = filterFromUrl(
      new URLSearchParams('query=orders&stage=parse&error=X&q=%20id%20&range=1h&replayed=no&stage2=x'),
      now,
    );
    expect(filter).toEqual({
      queryName: 'orders',
      stage: 'parse',
      errorClass: 'X',
      q: 'id',
      from: '2026-12-05T09:30:00.000Z',
      replayed: false,
    });
    expect(filterSearch(filter).toString()).toBe(
      'queryName=orders&stage=parse&errorClass=X&q=id&from=2026-12-05T09%3A30%3A00.000Z&replayed=false',
    );
    expect(filterFromUrl(new URLSearchParams('stage=compile&range=2y'))).toEqual({});
  });
});
