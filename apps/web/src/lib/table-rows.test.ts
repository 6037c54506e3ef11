import { describe, expect, it } from 'vitest';
import type { TableRowsEvent } from './sluice-types';
import { applyRowsEvent } from './table-rows';

const event = (over: Partial<TableRowsEvent>): TableRowsEvent => ({
  table: 't',
  batchId: 1,
  mode: 'append',
  schema: [],
  rows: [],
  ...over,
});

describe('applyRowsEvent', () => {
  const before = [
    { word: 'a', n: 1 },
    { word: 'b', n: 1 },
  ];

  it('replaces in complete mode and appends in append mode', () => {
    expect(applyRowsEvent(before, event({ mode: 'replace', rows: [{ word: 'c', n: 9 }] }))).toEqual([
      { word: 'c', n: 9 },
    ]);
    expect(applyRowsEvent(before, event({ rows: [{ word: 'a', n: 2 }] }))).toHaveLength(3);
  });

  it('upserts by the grouping key in update mode, keeping each row in place', () => {
    const after = applyRowsEvent(
      before,
      event({
        mode: 'upsert',
        key: ['word'],
        rows: [
          { word: 'a', n: 2 },
          { word: 'c', n: 1 },
        ],
      }),
    );
    expect(after).toEqual([
      { word: 'a', n: 2 },
      { word: 'b', n: 1 },
      { word: 'c', n: 1 },
    ]);
  });
});
