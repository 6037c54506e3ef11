/**
 * Exact 64-bit longs (docs/decisions/0006-exact-longs.md). Expected values of the SQL cases were
 * printed by Apache Spark 4.0.1 (pyspark, local mode) for the same queries.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { parseTableSchema } from '../sql/index.js';
import { memoryStreamDF, type StreamingQuery } from '../streaming/index.js';
import {
  canonicalLong,
  longAdd,
  longFromDouble,
  longMultiply,
  longOverflowRule,
  parseLongDigits,
  stringifyWithLongs,
  wrapLongOverflow,
} from './long.js';

const overflow = longOverflowRule(true, () => new Error('overflow'));

describe('long values', () => {
  it('are numbers when safe and bigints beyond, never a bigint for a safe value', () => {
    expect(canonicalLong(5n)).toBe(5);
    expect(canonicalLong(2n ** 53n - 1n)).toBe(2 ** 53 - 1);
    expect(canonicalLong(2n ** 53n)).toBe(2n ** 53n);
    expect(parseLongDigits('', '1234567890123456')).toBe(1234567890123456);
    expect(parseLongDigits('-', '12345678901234567')).toBe(-12345678901234567n);
    expect(longAdd(2 ** 53 - 1, 2, overflow)).toBe(2n ** 53n + 1n);
    expect(longAdd(2n ** 53n + 1n, -2, overflow)).toBe(2 ** 53 - 1);
    expect(longMultiply(3037000499, 3037000499, overflow)).toBe(9223372030926249001n);
    expect(() => longAdd(2n ** 63n - 1n, 1, overflow)).toThrow('overflow');
    expect(longAdd(2n ** 63n - 1n, 1, wrapLongOverflow)).toBe(-(2n ** 63n));
    expect(longFromDouble(9.223372036854775e18)).toBe(9223372036854774784n);
    expect(longFromDouble(2 ** 63)).toBeUndefined();
    expect(stringifyWithLongs({ id: 2n ** 60n, n: 1, s: 'x' })).toBe(
      '{"id":1152921504606846976,"n":1,"s":"x"}',
    );
  });
});

async function row(sql: string): Promise<unknown[]> {
  const s = Session.builder().create();
  return [...(await s.sql(sql).collectValues())[0]!];
}

describe('exact longs in SQL, as Spark 4.0.1 computes them', () => {
  it('xxhash64 gives Spark’s value', async () => {
    expect(await row("SELECT xxhash64('Spark')")).toEqual([-4294468057691064905n]);
    expect(await row("SELECT xxhash64(9223372036854775807L), xxhash64(9007199254740993L, 'a')")).toEqual([
      -3246596055638297850n,
      7917901536727282308n,
    ]);
  });

  it('literals, arithmetic, casts and bitwise operators beyond 2^53', async () => {
    expect(await row('SELECT 9007199254740993 + 1, 9223372036854775807 - 1, 9007199254740993L * 3')).toEqual([
      9007199254740994n,
      9223372036854775806n,
      27021597764222979n,
    ]);
    expect(
      await row(
        "SELECT CAST('9007199254740993' AS BIGINT), CAST(9007199254740993L AS DOUBLE), CAST(9007199254740993L AS STRING)",
      ),
    ).toEqual([9007199254740993n, 9007199254740992, '9007199254740993']);
    expect(
      await row(
        'SELECT hash(9007199254740993L), ~9007199254740993L, 9007199254740993L & 4611686018427387903L',
      ),
    ).toEqual([1386081767, -9007199254740994n, 9007199254740993n]);
    expect(
      await row(
        'SELECT 9007199254740993L div 2, 9007199254740993L % 10, pmod(-9007199254740993L, 10), -9007199254740993L',
      ),
    ).toEqual([4503599627370496, 3, 7, -9007199254740993n]);
    expect(
      await row(
        "SELECT CAST(9.223372036854775E18D AS BIGINT), CAST(CAST('12345678901234567890' AS DECIMAL(20,0)) / 1000 AS BIGINT)",
      ),
    ).toEqual([9223372036854774784n, 12345678901234567n]);
    expect(await row('SELECT try_add(9223372036854775807L, 1)')).toEqual([null]);
    expect(await row('SELECT pmod(-7, -3), pmod(-7, 3), pmod(7, -3), pmod(-7L, -3L)')).toEqual([
      -1, 2, 1, -1,
    ]);
    expect(
      await row(
        'SELECT shiftleft(9007199254740993L, 2), shiftright(-9007199254740993L, 1), shiftrightunsigned(-1L, 1), bit_count(9007199254740993L)',
      ),
    ).toEqual([36028797018963972n, -4503599627370497, 9223372036854775807n, 2]);
    await expect(row('SELECT CAST(9007199254740993L AS INT)')).rejects.toThrow(/CAST_OVERFLOW/);
    expect(await row('SELECT abs(-9007199254740993L), try_cast(9007199254740993L AS INT)')).toEqual([
      9007199254740993n,
      null,
    ]);
    const [dec, avg, max, min] = await row(
      'SELECT CAST(9007199254740993L AS DECIMAL(20,2)), avg(v), max(v), min(v) FROM VALUES (9007199254740993L), (9007199254740995L) AS t(v)',
    );
    expect([String(dec), avg, max, min]).toEqual([
      '9007199254740993.00',
      9007199254740994,
      9007199254740995n,
      9007199254740993n,
    ]);
  });

  it('overflow at 2^63 fails with Spark’s error classes', async () => {
    await expect(row('SELECT 9223372036854775807L + 1')).rejects.toThrow(
      /ARITHMETIC_OVERFLOW.*long overflow/,
    );
    await expect(row('SELECT sum(v) FROM VALUES (9223372036854775807L), (1L) AS t(v)')).rejects.toThrow(
      /ARITHMETIC_OVERFLOW/,
    );
    await expect(row("SELECT CAST('9223372036854775808' AS BIGINT)")).rejects.toThrow(/CAST_INVALID_INPUT/);
  });

  it('sums, groups and orders big longs exactly', async () => {
    expect(
      await row('SELECT sum(v) FROM VALUES (9007199254740993L), (9007199254740993L), (1L) AS t(v)'),
    ).toEqual([18014398509481987n]);
    const s = Session.builder().create();
    const groups = await s
      .sql(
        'SELECT v, count(*) FROM VALUES (9007199254740993L), (9007199254740992L), (9007199254740993L) AS t(v) GROUP BY v ORDER BY v',
      )
      .collectValues();
    expect(groups.map((r) => [...r])).toEqual([
      [9007199254740992n, 1],
      [9007199254740993n, 2],
    ]);
  });

  it('reads and writes JSON without rounding', async () => {
    expect(await row(`SELECT from_json('{"id": 9007199254740993}', 'id BIGINT').id`)).toEqual([
      9007199254740993n,
    ]);
    expect(await row("SELECT to_json(named_struct('id', 9007199254740993L))")).toEqual([
      '{"id":9007199254740993}',
    ]);
    expect(await row(`SELECT get_json_object('{"a": {"id": 12345678901234567890}}', '$.a')`)).toEqual([
      '{"id":12345678901234567890}',
    ]);
  });

  it('createDataFrame takes bigint values', async () => {
    const s = Session.builder().create();
    const df = s.createDataFrame([[2n ** 60n], [7n]], 'id BIGINT');
    expect((await df.selectExpr('id + 1').collectValues()).map((r) => r[0])).toEqual([2n ** 60n + 1n, 8]);
  });

  it('keeps big long keys and sums exact through streaming state and a restart, on both providers', async () => {
    for (const provider of ['memory', 'lmdb']) {
      const ck = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-longs-'));
      try {
        const schema = parseTableSchema('id BIGINT, v BIGINT');
        const big = 2n ** 60n;
        const run = async (batches: unknown[][][], name: string) => {
          const s = Session.builder().create();
          s.conf.set('spark.sql.streaming.stateStore.providerClass', provider);
          const ms = new MemoryStream(schema);
          const q = memoryStreamDF(s, ms)
            .dropDuplicates(['id', 'v'])
            .groupBy('id')
            .agg({ v: 'sum' })
            .writeStream.format('memory')
            .queryName(name)
            .outputMode('complete')
            .option('checkpointLocation', ck)
            .start() as StreamingQuery;
          for (const b of batches) {
            ms.addData(b);
            await q.processAllAvailable();
          }
          await q.stop();
          return (await s.sql(`SELECT * FROM ${name} ORDER BY 1`).collectValues()).map((r) => [...r]);
        };
        const first = [
          [big, big],
          [1n, 5n],
          [big, big],
        ];
        await run([first], `longs_a_${provider}`);
        // The restarted run's stream has the first batch again (offset 0, already committed).
        const second = [
          [big, 3n],
          [big + 1n, big],
        ];
        expect(await run([first, second], `longs_b_${provider}`)).toEqual([
          [1, 5],
          [big, big + 3n],
          [big + 1n, big],
        ]);
      } finally {
        fs.rmSync(ck, { recursive: true, force: true });
      }
    }
  });
});
