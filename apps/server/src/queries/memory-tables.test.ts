import { describe, expect, it } from 'vitest';
import { MemoryTables } from './memory-tables.js';

const schema = [
  { name: 'word', type: 'string', nullable: true },
  { name: 'n', type: 'bigint', nullable: false },
];

describe('memory tables', () => {
  it('complete mode replaces the rows, keeping the newest maxRows', () => {
    const tables = new MemoryTables(2);
    tables.open('t', 'q', schema, 'complete');
    expect(tables.addBatch('t', 0, [{ word: 'a', n: 1 }])).toMatchObject({ mode: 'replace', rowCount: 1 });
    const change = tables.addBatch('t', 1, [
      { word: 'a', n: 2 },
      { word: 'b', n: 1 },
      { word: 'c', n: 1 },
    ]);
    expect(change).toMatchObject({ mode: 'replace', rowCount: 2, truncated: true });
    expect(change?.rows).toEqual([
      { word: 'b', n: 1 },
      { word: 'c', n: 1 },
    ]);
    expect(tables.get('t')?.rows).toEqual(change?.rows);
  });

  it('append mode appends and drops the oldest rows beyond maxRows', () => {
    const tables = new MemoryTables(3);
    tables.open('t', 'q', schema, 'append');
    tables.addBatch('t', 0, [
      { word: 'a', n: 1 },
      { word: 'b', n: 1 },
    ]);
    expect(tables.get('t')?.truncated).toBe(false);
    const change = tables.addBatch('t', 1, [
      { word: 'c', n: 1 },
      { word: 'd', n: 1 },
    ]);
    expect(change).toMatchObject({ mode: 'append', rowCount: 3, truncated: true });
    expect(tables.get('t')?.rows.map((r) => r.word)).toEqual(['b', 'c', 'd']);
  });

  it('update mode upserts by the grouping key, keeping each row in place', () => {
    const tables = new MemoryTables(10);
    tables.open('t', 'q', schema, 'update', ['word']);
    tables.addBatch('t', 0, [
      { word: 'a', n: 1 },
      { word: 'b', n: 1 },
    ]);
    const change = tables.addBatch('t', 1, [
      { word: 'a', n: 2 },
      { word: 'c', n: 1 },
    ]);
    expect(change).toMatchObject({ mode: 'upsert', key: ['word'], rowCount: 3 });
    expect(tables.get('t')?.rows).toEqual([
      { word: 'a', n: 2 },
      { word: 'b', n: 1 },
      { word: 'c', n: 1 },
    ]);
  });

  it('update mode without a grouping key appends', () => {
    const tables = new MemoryTables(10);
    tables.open('t', 'q', schema, 'update', null);
    tables.addBatch('t', 0, [{ word: 'a', n: 1 }]);
    expect(tables.addBatch('t', 1, [{ word: 'a', n: 1 }])).toMatchObject({ mode: 'append', rowCount: 2 });
  });

  it('a keyed table beyond maxRows drops the groups inserted first', () => {
    const tables = new MemoryTables(2);
    tables.open('t', 'q', schema, 'update', ['word']);
    tables.addBatch('t', 0, [
      { word: 'a', n: 1 },
      { word: 'b', n: 1 },
    ]);
    tables.addBatch('t', 1, [
      { word: 'b', n: 2 },
      { word: 'c', n: 1 },
    ]);
    expect(tables.get('t')?.rows).toEqual([
      { word: 'b', n: 2 },
      { word: 'c', n: 1 },
    ]);
    expect(tables.get('t')?.truncated).toBe(true);
  });

  it('skips a re-run batch and keeps the rows of a reopened table of the same query', () => {
    const tables = new MemoryTables(10);
    tables.open('t', 'q', schema, 'append');
    tables.addBatch('t', 0, [{ word: 'a', n: 1 }]);
    expect(tables.addBatch('t', 0, [{ word: 'a', n: 1 }])).toBeNull();
    tables.open('t', 'q', schema, 'append');
    expect(tables.get('t')?.rowCount).toBe(1);
    tables.open('t', 'other', schema, 'append');
    expect(tables.get('t')?.rowCount).toBe(0);
  });
});
