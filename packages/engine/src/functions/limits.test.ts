/**
 * Values an argument can make arbitrarily large fail the query with a typed error instead of making
 * V8 abort the whole process (a fatal "invalid size error" took the server down with every query).
 * Each case here crashed or threw a raw RangeError before the limits existed.
 */
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { Session } from '../session/session.js';
import { MAX_COLLECTION_ELEMENTS, MAX_STRING_LENGTH } from './limits.js';

const session = Session.builder().appName('limits').create();

async function errorClassOf(sql: string): Promise<string> {
  try {
    await session.sql(sql).collect();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return (e as SluiceError).errorClass;
  }
  throw new Error(`${sql} did not fail`);
}

async function errorOfSync(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return (e as SluiceError).errorClass;
  }
  throw new Error('did not fail');
}

describe('size limits', () => {
  it.each([
    ['SELECT length(space(2000000000))', 'STRING_SIZE_LIMIT_EXCEEDED'],
    ["SELECT length(repeat('ab', 1500000000))", 'STRING_SIZE_LIMIT_EXCEEDED'],
    ["SELECT length(lpad('a', 2000000000, 'b'))", 'STRING_SIZE_LIMIT_EXCEEDED'],
    ["SELECT length(rpad('a', 2000000000, 'b'))", 'STRING_SIZE_LIMIT_EXCEEDED'],
    ["SELECT format_string('%0999999999d', 1)", 'STRING_SIZE_LIMIT_EXCEEDED'],
    ['SELECT size(array_repeat(1, 100000000))', 'COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER'],
    [
      'SELECT count(*) FROM (SELECT explode(sequence(1, 30000000)))',
      'COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER',
    ],
    [
      "SELECT size(sequence(TIMESTAMP'2020-01-01 00:00:00', TIMESTAMP'2021-01-01 00:00:00', INTERVAL 1 SECOND))",
      'COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER',
    ],
    ['SELECT stack(2147483647, 1)', 'COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER'],
  ])('%s fails with %s', async (sql, errorClass) => {
    expect(await errorClassOf(sql)).toBe(errorClass);
  });

  it('one element past the collection limit fails; the limit itself is the documented number', async () => {
    expect(await errorClassOf(`SELECT stack(${MAX_COLLECTION_ELEMENTS + 1}, 1)`)).toBe(
      'COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER',
    );
    expect(await errorClassOf(`SELECT space(${MAX_STRING_LENGTH + 1})`)).toBe('STRING_SIZE_LIMIT_EXCEEDED');
  });

  it('a timestamp sequence longer than 100000 elements is no longer cut short silently', async () => {
    const [row] = await session
      .sql(
        "SELECT size(sequence(TIMESTAMP'2020-01-01 00:00:00', TIMESTAMP'2020-01-03 00:00:00', INTERVAL 1 SECOND)) AS n",
      )
      .collect();
    expect(row?.toJSON()).toEqual({ n: 2 * 86400 + 1 });
  });

  it('round and bround with a scale of ±2^31 answer like any scale past the digits (no BigInt blow-up)', async () => {
    const [row] = await session
      .sql(
        'SELECT bround(1.5D, -2147483648) AS a, round(12.5D, 2147483647) AS b, round(123, -2147483648) AS c',
      )
      .collect();
    expect(row?.toJSON()).toEqual({ a: 0, b: 12.5, c: 0 });
  });

  it('a collect past spark.sluice.collect.maxRows fails the action instead of the process', async () => {
    const s = Session.builder().appName('collect-limit').create();
    s.conf.set('spark.sluice.collect.maxRows', 1000);
    expect(await s.range(1000).collect()).toHaveLength(1000);
    await expect(s.range(5000).collect()).rejects.toThrow(/COLLECT_ROW_LIMIT_EXCEEDED/);
  });

  it('range(1e8) fails with RANGE_SIZE_LIMIT_EXCEEDED instead of running the process out of memory', async () => {
    expect(await errorOfSync(() => session.range(100_000_000).collect())).toBe('RANGE_SIZE_LIMIT_EXCEEDED');
    expect(await errorOfSync(() => session.sql('SELECT count(*) FROM range(100000000)').collect())).toBe(
      'RANGE_SIZE_LIMIT_EXCEEDED',
    );
  });
});
