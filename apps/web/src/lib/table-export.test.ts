import { describe, expect, it } from 'vitest';
import { toCsv, toJson } from './table-export';

const schema = [
  { name: 'word', type: 'string' },
  { name: 'n', type: 'bigint' },
  { name: 'window', type: 'struct<start:timestamp,end:timestamp>' },
];

describe('toCsv', () => {
  it('writes a header and quotes fields with commas, quotes and line breaks', () => {
    const csv = toCsv(schema, [
      { word: 'plain', n: 1, window: null },
      { word: 'a,b', n: 2, window: { start: 's', end: 'e' } },
      { word: 'say "hi"\nthere', n: null },
    ]);
    expect(csv).toBe(
      [
        'word,n,window',
        'plain,1,',
        '"a,b",2,"{""start"":""s"",""end"":""e""}"',
        '"say ""hi""\nthere",,',
        '',
      ].join('\r\n'),
    );
  });

  it('writes only the header for an empty table', () => {
    expect(toCsv(schema, [])).toBe('word,n,window\r\n');
  });
});

describe('toJson', () => {
  it('keeps the schema order and turns missing values into null', () => {
    const json = toJson(schema, [{ n: 3, word: 'x' }]);
    expect(JSON.parse(json)).toEqual([{ word: 'x', n: 3, window: null }]);
    expect(Object.keys(JSON.parse(json)[0])).toEqual(['word', 'n', 'window']);
  });
});
