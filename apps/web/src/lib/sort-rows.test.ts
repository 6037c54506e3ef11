import { describe, expect, it } from 'vitest';
import { compareCells, nextSort, sortRows } from './sort-rows';

const schema = [
  { name: 'word', type: 'string' },
  { name: 'n', type: 'bigint' },
  { name: 'ok', type: 'boolean' },
];

describe('sortRows', () => {
  const rows = [
    { word: 'b', n: 10, ok: true },
    { word: 'a', n: 9, ok: false },
    { word: null, n: null, ok: null },
    { word: 'c', n: 100, ok: true },
  ];

  it('orders numbers numerically, not as text', () => {
    expect(sortRows(rows, schema, { column: 'n', direction: 'asc' }).map((r) => r.n)).toEqual([
      9,
      10,
      100,
      null,
    ]);
    expect(sortRows(rows, schema, { column: 'n', direction: 'desc' }).map((r) => r.n)).toEqual([
      100,
      10,
      9,
      null,
    ]);
  });

  it('keeps nulls last in both directions and is stable', () => {
    expect(sortRows(rows, schema, { column: 'word', direction: 'desc' }).map((r) => r.word)).toEqual([
      'c',
      'b',
      'a',
      null,
    ]);
    const same = [
      { word: 'x', n: 1 },
      { word: 'y', n: 1 },
      { word: 'z', n: 1 },
    ];
    expect(sortRows(same, schema, { column: 'n', direction: 'desc' }).map((r) => r.word)).toEqual([
      'x',
      'y',
      'z',
    ]);
  });

  it('compares longs beyond 2^53 sent as strings exactly', () => {
    expect(compareCells('9007199254740993', '9007199254740992', 'bigint')).toBe(1);
    expect(compareCells('-5', '3', 'bigint')).toBe(-1);
    expect(compareCells('12.5', '3', 'decimal(10,2)')).toBe(1);
  });

  it('orders booleans false first and timestamps chronologically', () => {
    expect(compareCells(false, true, 'boolean')).toBe(-1);
    expect(compareCells('2026-01-02T00:00:00.000Z', '2025-12-31T23:59:59.000Z', 'timestamp')).toBe(1);
  });

  it('leaves rows alone when unsorted or sorted by an unknown column', () => {
    expect(sortRows(rows, schema, null)).toBe(rows);
    expect(sortRows(rows, schema, { column: 'nope', direction: 'asc' })).toBe(rows);
  });
});

describe('nextSort', () => {
  it('cycles ascending, descending, unsorted, and restarts on another column', () => {
    const asc = nextSort(null, 'n');
    expect(asc).toEqual({ column: 'n', direction: 'asc' });
    const desc = nextSort(asc, 'n');
    expect(desc).toEqual({ column: 'n', direction: 'desc' });
    expect(nextSort(desc, 'n')).toBeNull();
    expect(nextSort(desc, 'word')).toEqual({ column: 'word', direction: 'asc' });
  });
});
