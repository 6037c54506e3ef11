import type { SltRecord } from '@sluice/engine/sql-golden';
import { describe, expect, it } from 'vitest';
import { compareRecord } from './compare.js';

const query = (over: Partial<Extract<SltRecord, { kind: 'query' }>> = {}): SltRecord => ({
  kind: 'query',
  types: 'IT',
  rowsort: false,
  sql: 'SELECT 1, x',
  expected: ['1 a'],
  line: 7,
  ...over,
});

describe('compareRecord', () => {
  it('agrees on equal types and rows', () => {
    expect(
      compareRecord('f.slt', query(), { file: 'f.slt', line: 7, kind: 'query', types: 'IT', rows: ['1 a'] }),
    ).toBeUndefined();
  });

  it('reports rows, types, a Spark error and a Spark acceptance', () => {
    const spark = { file: 'f.slt', line: 7, kind: 'query' as const };
    expect(compareRecord('f.slt', query(), { ...spark, types: 'IT', rows: ['1 b'] })?.what).toBe('rows');
    expect(compareRecord('f.slt', query(), { ...spark, types: 'RT', rows: ['1 a'] })?.what).toBe('types');
    expect(
      compareRecord('f.slt', query(), { ...spark, error: { errorClass: 'PARSE_SYNTAX_ERROR', message: 'x' } })
        ?.what,
    ).toBe('spark-error');
    expect(
      compareRecord('f.slt', query({ expectError: '[DIVIDE_BY_ZERO]' }), { ...spark, rows: ['1'] })?.what,
    ).toBe('spark-accepts');
  });

  it('matches error classes up to a sub-class', () => {
    const spark = { file: 'f.slt', line: 7, kind: 'query' as const };
    const golden = query({ expectError: '[DATATYPE_MISMATCH] cannot' });
    expect(
      compareRecord('f.slt', golden, {
        ...spark,
        error: { errorClass: 'DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES', message: '' },
      }),
    ).toBeUndefined();
    expect(
      compareRecord('f.slt', golden, { ...spark, error: { errorClass: 'UNRESOLVED_COLUMN', message: '' } })
        ?.what,
    ).toBe('error-class');
  });
});
