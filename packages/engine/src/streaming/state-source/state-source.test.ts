import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../dataframe/dataframe.js';
import { avg, col, count, session_window, sum } from '../../dataframe/functions.js';
import { Session } from '../../session/session.js';
import { MemoryStream } from '../../sources/memory-stream.js';
import { field, struct, T } from '../../sources/schema-util.js';
import { simpleString } from '../../types/types.js';
import { memoryStreamDF, type StreamingQuery } from '../index.js';
import { hashKey } from '../operators/sharded-state.js';
import { readStateSchema, stateSchemaPath } from './spark-schema.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../test/streaming/state-source');
const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-state-source-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const schema = struct(field('user', T.string), field('ts', T.timestamp), field('v', T.long));
const SEC = 1_000_000;

/** Runs `build` over the batches (one processAllAvailable each) and stops; returns the checkpoint. */
async function runQuery(
  batches: [string, number, number][][],
  mode: 'append' | 'update' | 'complete',
  build: (df: DataFrame) => DataFrame,
): Promise<{ session: Session; ck: string }> {
  const session = Session.builder().create();
  const ms = new MemoryStream(schema);
  const ck = tmp();
  const q = build(memoryStreamDF(session, ms))
    .writeStream.format('memory')
    .queryName(`q${dirs.length}`)
    .outputMode(mode)
    .option('checkpointLocation', ck)
    .start() as StreamingQuery;
  for (const b of batches) {
    ms.addData(b);
    await q.processAllAvailable();
  }
  await q.stop();
  return { session, ck };
}

const sortByKey = (rows: unknown[][]) =>
  rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("read.format('statestore')", () => {
  it('reads an aggregation state as key/value structs with the partition of each key, at any batch', async () => {
    const { session, ck } = await runQuery(
      [
        [
          ['a', 0, 1],
          ['b', 0, 2],
          ['a', 0, 3],
        ],
        [['a', 0, 10]],
      ],
      'update',
      (df) => df.groupBy('user').agg(count('*').as('n'), sum('v').as('s'), avg('v').as('m')),
    );
    const df = session.read.format('statestore').load(ck);
    expect(simpleString(df.schema)).toBe(
      'struct<key:struct<user:string>,value:struct<count(1):bigint,sum(v):bigint,avg(v):double>,partition_id:int>',
    );
    const shard = (user: string) => hashKey([user]) % 4;
    expect(sortByKey(await df.collectValues())).toEqual([
      [['a'], [3, 14, 14 / 3], shard('a')],
      [['b'], [1, 2, 2], shard('b')],
    ]);
    const first = session.read.format('statestore').option('batchId', 0).option('operatorId', 0).load(ck);
    expect(sortByKey(await first.collectValues())).toEqual([
      [['a'], [2, 4, 2], shard('a')],
      [['b'], [1, 2, 2], shard('b')],
    ]);
    // Through SQL on a temp view, as one would inspect it.
    session.read.format('statestore').load(ck).createOrReplaceTempView('st');
    expect(
      await session.sql('SELECT key.user, value.`count(1)` AS n FROM st ORDER BY user').collectValues(),
    ).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
  });

  it('reads dropDuplicates state with the void value Spark shows', async () => {
    const { session, ck } = await runQuery(
      [
        [
          ['a', 0, 1],
          ['b', 0, 2],
          ['a', 0, 3],
        ],
      ],
      'append',
      (df) => df.dropDuplicates(['user']),
    );
    const df = session.read.format('statestore').load(ck);
    expect(simpleString(df.schema)).toBe(
      'struct<key:struct<user:string>,value:struct<__dummy__:void>,partition_id:int>',
    );
    expect(sortByKey((await df.collectValues()).map((r) => [r[0], r[1]]))).toEqual([
      [['a'], [null]],
      [['b'], [null]],
    ]);
  });

  it('reads session-window state as one row per session, in Spark 4 layout', async () => {
    const { session, ck } = await runQuery(
      [
        [
          ['a', 0, 1],
          ['a', 7 * SEC, 1],
          ['b', 5 * SEC, 1],
        ],
      ],
      'append',
      (df) =>
        df
          .withWatermark('ts', '10 seconds')
          .groupBy(col('user'), session_window(col('ts'), '5 seconds'))
          .agg(count('*').as('count')),
    );
    const df = session.read.format('statestore').load(ck);
    // Spark 4.0.1 for the same query: key:struct<user:string,sessionStartTime:timestamp>,
    // value:struct<user:string,session_window:struct<start:timestamp,end:timestamp>,count:bigint>
    // (its value's aggregate column is the buffer's `count`; Sluice names it after the aggregate).
    expect(simpleString(df.schema)).toBe(
      'struct<key:struct<user:string,sessionStartTime:timestamp>,value:struct<user:string,session_window:struct<start:timestamp,end:timestamp>,count(1):bigint>,partition_id:int>',
    );
    expect(sortByKey((await df.collectValues()).map((r) => [r[0], r[1]]))).toEqual([
      [
        ['a', 0],
        ['a', [0, 5 * SEC], 1],
      ],
      [
        ['a', 7 * SEC],
        ['a', [7 * SEC, 12 * SEC], 1],
      ],
      [
        ['b', 5 * SEC],
        ['b', [5 * SEC, 10 * SEC], 1],
      ],
    ]);
  });

  it("fails with Spark's STDS_* errors", async () => {
    const { session, ck } = await runQuery([[['a', 0, 1]]], 'update', (df) => df.groupBy('user').count());
    const read =
      (opts: Record<string, string>, at = ck) =>
      () =>
        session.read.format('statestore').options(opts).load(at);
    expect(read({}, tmp())).toThrow('[STDS_COMMITTED_BATCH_UNAVAILABLE] No committed batch found');
    expect(read({ batchId: '7' })).toThrow(
      '[STDS_OFFSET_LOG_UNAVAILABLE] The offset log for 7 does not exist',
    );
    expect(read({ operatorId: '5' })).toThrow('[STDS_FAILED_TO_READ_STATE_SCHEMA]');
    expect(read({ storeName: 'foo' })).toThrow('[STDS_FAILED_TO_READ_STATE_SCHEMA]');
    expect(read({ joinSide: 'left' })).toThrow('[STDS_FAILED_TO_READ_STATE_SCHEMA]');
    expect(read({ joinSide: 'up' })).toThrow("Invalid value for source option 'joinSide'");
    expect(read({ joinSide: 'left', storeName: 'x' })).toThrow('[STDS_CONFLICT_OPTIONS]');
    expect(read({ batchId: '-1' })).toThrow('[STDS_INVALID_OPTION_VALUE.IS_NEGATIVE]');
  });

  it("writes the schema file in Spark 4's layout and reads the ones Spark 4.0.1 wrote", async () => {
    const { ck } = await runQuery([[['a', 0, 1]]], 'update', (df) => df.groupBy('user').count());
    const ours = fs.readFileSync(stateSchemaPath(path.join(ck, 'state'), 0));
    expect(ours.subarray(0, 8)).toEqual(Buffer.from([0, 2, 0x76, 0x32, 0, 0, 0, 1]));
    // The key schema, byte for byte what Spark writes for groupBy("user").
    const spark = fs.readFileSync(path.join(fixtures, 'spark-4.0.1-aggregate-schema'));
    const keyLen = spark.readUInt16BE(8);
    expect(ours.subarray(0, 10 + keyLen)).toEqual(spark.subarray(0, 10 + keyLen));
    // Spark's files (copied from pyspark 4.0.1 checkpoints) read back with their types.
    const dir = tmp();
    for (const [name, op] of [
      ['spark-4.0.1-aggregate-schema', 0],
      ['spark-4.0.1-session-window-schema', 1],
    ] as const) {
      const target = stateSchemaPath(path.join(dir, 'state'), op);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(fixtures, name), target);
    }
    const agg = readStateSchema(path.join(dir, 'state'), 0)!;
    expect(simpleString(agg.key)).toBe('struct<user:string>');
    expect(simpleString(agg.value)).toBe('struct<count:bigint,sum:bigint,sum:double,count:bigint>');
    const sess = readStateSchema(path.join(dir, 'state'), 1)!;
    expect(simpleString(sess.key)).toBe('struct<user:string,sessionStartTime:timestamp>');
    expect(sess.value.fields[1]!.metadata).toEqual({
      'spark.sessionWindow': true,
      'spark.watermarkDelayMs': 10000,
    });
  });
});

describe("read.format('state-metadata')", () => {
  it("lists each operator's store with Spark 4's columns", async () => {
    const { session, ck } = await runQuery([[['a', 0, 1]], [['b', 20 * SEC, 1]]], 'append', (df) =>
      df
        .withWatermark('ts', '10 seconds')
        .dropDuplicates(['user', 'ts'])
        .groupBy(col('user'), session_window(col('ts'), '5 seconds'))
        .count(),
    );
    const df = session.read.format('state-metadata').load(ck);
    expect(simpleString(df.schema)).toBe(
      'struct<operatorId:bigint,operatorName:string,stateStoreName:string,numPartitions:int,minBatchId:bigint,maxBatchId:bigint,operatorProperties:string>',
    );
    const rows = await df.collectValues();
    const maxBatch = Math.max(
      ...fs
        .readdirSync(path.join(ck, 'commits'))
        .filter((f) => /^\d+$/.test(f))
        .map(Number),
    );
    expect(rows).toEqual([
      [0, 'dedupe', 'default', 4, 0, maxBatch, null],
      [1, 'sessionWindowStateStoreSaveExec', 'default', 4, 0, maxBatch, null],
    ]);
    expect(await session.read.format('state-metadata').load(tmp()).collectValues()).toEqual([]);
    // The chained session-window operator (id 1) reads too.
    const st = session.read.format('statestore').option('operatorId', 1).load(ck);
    expect((await st.collectValues()).map((r) => r[0])).toEqual([['b', 20 * SEC]]);
  });
});
