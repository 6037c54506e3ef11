import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import type { SelectBody } from './ast.js';
import { parseExpression, parseSelect } from './index.js';
import { stripSpans } from './test-support.js';

const where = (sql: string, args: Record<string, unknown> | unknown[]) =>
  stripSpans((parseSelect(sql, { args }).body as SelectBody).where);

describe('parameter markers (spark.sql(sqlText, args))', () => {
  it('named markers take values from an object', async () => {
    expect(where('SELECT * FROM t WHERE id = :id AND name = :name', { id: 5, name: "O'Brien" })).toEqual({
      type: 'binary',
      op: 'and',
      left: {
        type: 'binary',
        op: '=',
        left: { type: 'column', nameParts: ['id'] },
        right: { type: 'literal', value: 5, dataType: { kind: 'int' } },
      },
      right: {
        type: 'binary',
        op: '=',
        left: { type: 'column', nameParts: ['name'] },
        right: { type: 'literal', value: "O'Brien", dataType: { kind: 'string' } },
      },
    });
  });

  it('positional markers take values in order', async () => {
    const e = stripSpans(parseExpression('? + ? * ?', { args: [1, 2.5, 3_000_000_000] }));
    expect(e).toEqual({
      type: 'binary',
      op: '+',
      left: { type: 'literal', value: 1, dataType: { kind: 'int' } },
      right: {
        type: 'binary',
        op: '*',
        left: { type: 'literal', value: 2.5, dataType: { kind: 'double' } },
        right: { type: 'literal', value: 3_000_000_000, dataType: { kind: 'long' } },
      },
    });
  });

  it('maps JavaScript values to typed literals', async () => {
    const value = (v: unknown) => stripSpans(parseExpression(':v', { args: { v } }));
    expect(value(true)).toMatchObject({ value: true, dataType: { kind: 'boolean' } });
    expect(value(null)).toMatchObject({ value: null, dataType: { kind: 'null' } });
    expect(value(10n)).toMatchObject({ value: 10, dataType: { kind: 'long' } });
    expect(value(2n ** 70n)).toMatchObject({ dataType: { kind: 'decimal', precision: 22, scale: 0 } });
    expect(value(new Date(Date.UTC(2024, 0, 1)))).toMatchObject({
      value: Date.UTC(2024, 0, 1) * 1000,
      dataType: { kind: 'timestamp' },
    });
    expect(value(new Uint8Array([1, 2]))).toMatchObject({ dataType: { kind: 'binary' } });
    expect(value(Decimal.parse('12.50'))).toMatchObject({
      dataType: { kind: 'decimal', precision: 4, scale: 2 },
    });
    expect(value(new Interval(0, 1, 0))).toMatchObject({ dataType: { kind: 'interval' } });
    expect(value([1, 2])).toMatchObject({
      type: 'function',
      name: 'array',
      args: [{ value: 1 }, { value: 2 }],
    });
  });

  it('missing, mixed or unsupported arguments are ParseErrors with positions', async () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        return [(e as ParseError).errorClass, (e as ParseError).position?.column];
      }
      throw new Error('no error');
    };
    expect(err(() => parseSelect('SELECT :x', { args: {} }))).toEqual(['UNBOUND_SQL_PARAMETER', 8]);
    expect(err(() => parseSelect('SELECT ?, ?', { args: [1] }))).toEqual(['UNBOUND_SQL_PARAMETER', 11]);
    expect(err(() => parseSelect('SELECT ?', { args: { a: 1 } }))).toEqual([
      'INVALID_QUERY_MIXED_QUERY_PARAMETERS',
      8,
    ]);
    expect(err(() => parseSelect('SELECT :a', { args: [1] }))).toEqual([
      'INVALID_QUERY_MIXED_QUERY_PARAMETERS',
      8,
    ]);
    expect(err(() => parseSelect('SELECT :a', { args: { a: { nested: 1 } } }))).toEqual([
      'INVALID_SQL_ARG',
      8,
    ]);
    expect(err(() => parseSelect('SELECT : a', { args: { a: 1 } }))).toEqual(['PARSE_SYNTAX_ERROR', 8]);
  });

  it('a colon elsewhere (struct types) is not a marker', async () => {
    expect(parseExpression('CAST(x AS STRUCT<a: INT>)', { args: {} })).toMatchObject({ type: 'cast' });
  });
});
