import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { col, count, window } from '../dataframe/functions.js';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { field, struct, T } from '../sources/schema-util.js';
import { memoryStreamDF, type StreamingQuery } from './index.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-stateful-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const schema = struct(field('user', T.string), field('ts', T.timestamp));
const SEC = 1_000_000;

function windowedCounts(s: Session, ms: MemoryStream, checkpoint: string, name: string): StreamingQuery {
  return memoryStreamDF(s, ms)
    .withWatermark('ts', '10 seconds')
    .groupBy(window(col('ts'), '10 seconds'))
    .agg(count('*').as('n'))
    .writeStream.format('memory')
    .queryName(name)
    .outputMode('append')
    .option('checkpointLocation', checkpoint)
    .start() as StreamingQuery;
}

// Every test that runs state runs on both providers (docs/decisions/0004).
const providers = ['memory', 'lmdb'] as const;

function sessionWith(provider: string): Session {
  const s = Session.builder().create();
  s.conf.set('spark.sql.streaming.stateStore.providerClass', provider);
  return s;
}

describe.each(providers)('stateful operators on the chunked core (%s state store)', (provider) => {
  it('shards state (4 by default, recorded in the offsets log), evicts, drops late rows and reports Spark fields', async () => {
    const s = sessionWith(provider);
    const ms = new MemoryStream(schema);
    const ck = tmp();
    const q = windowedCounts(s, ms, ck, `wc_append_${provider}`);
    ms.addData([
      ['a', 1 * SEC],
      ['b', 2 * SEC],
      ['c', 15 * SEC],
    ]);
    await q.processAllAvailable();
    ms.addData([['d', 40 * SEC]]);
    await q.processAllAvailable();
    ms.addData([['late', 3 * SEC]]);
    await q.processAllAvailable();
    const rows = await s
      .sql(`SELECT window.start AS w, n FROM wc_append_${provider} ORDER BY w`)
      .collectValues();
    expect(rows).toEqual([
      [0, 2],
      [10 * SEC, 1],
    ]);
    const withLate = q.recentProgress.find((p) => (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0) > 0);
    expect(withLate?.stateOperators[0]).toMatchObject({
      operatorName: 'stateStoreSave',
      numRowsDroppedByWatermark: 1,
      numShufflePartitions: 4,
      numStateStoreInstances: 4,
    });
    expect(q.recentProgress.some((p) => (p.stateOperators[0]?.numRowsRemoved ?? 0) > 0)).toBe(true);
    await q.stop();
    expect(fs.readdirSync(path.join(ck, 'state', '0')).sort()).toEqual(['0', '1', '2', '3', '_metadata']);
    const offsets = fs.readFileSync(path.join(ck, 'offsets', '0'), 'utf8');
    expect(offsets).toContain('"spark.sql.shuffle.partitions":"4"');
    expect(offsets).toContain(`"spark.sql.streaming.stateStore.providerClass":"${provider}"`);
    // The on-disk provider reports its LMDB working copy; the in-memory one does not have any.
    const custom = q.lastProgress?.stateOperators[0]?.customMetrics ?? {};
    expect('lmdbDataBytes' in custom).toBe(provider === 'lmdb');
    expect(fs.readFileSync(path.join(ck, 'state', '0', '_metadata', 'metadata'), 'utf8')).toBe(
      'v1\n{"operatorInfo":{"operatorId":0,"operatorName":"stateStoreSave"},"stateStoreInfo":[{"storeName":"default","numColsPrefixKey":0,"numPartitions":4}]}',
    );
  });

  it('restarts from the checkpoint with the provider it recorded, whatever the session says', async () => {
    const s = sessionWith(provider);
    const ms = new MemoryStream(schema);
    const ck = tmp();
    const q = windowedCounts(s, ms, ck, `wc_restart_${provider}`);
    ms.addData([
      ['a', 1 * SEC],
      ['b', 2 * SEC],
      ['c', 11 * SEC],
    ]);
    await q.processAllAvailable();
    await q.stop();
    // The state reads as a table through the provider the checkpoint recorded.
    const state = await s.read
      .format('statestore')
      .load(ck)
      .selectExpr('key.window.start AS w', 'value')
      .orderBy('w')
      .collect();
    expect(JSON.parse(JSON.stringify(state))).toEqual([
      { w: 0, value: { 'count(1)': 2 } },
      { w: 10 * SEC, value: { 'count(1)': 1 } },
    ]);
    // The other provider in the session: the checkpoint's wins, as in Spark.
    const other = sessionWith(provider === 'lmdb' ? 'memory' : 'lmdb');
    const ms2 = new MemoryStream(schema);
    ms2.addData([['skipped', 0]]);
    const again = memoryStreamDF(other, ms2)
      .withWatermark('ts', '10 seconds')
      .groupBy(window(col('ts'), '10 seconds'))
      .agg(count('*').as('n'))
      .writeStream.format('memory')
      .queryName(`wc_restart2_${provider}`)
      .outputMode('update')
      .option('checkpointLocation', ck)
      .start() as StreamingQuery;
    await again.processAllAvailable();
    ms2.addData([
      ['d', 3 * SEC],
      ['e', 12 * SEC],
      ['f', 13 * SEC],
    ]);
    await again.processAllAvailable();
    const rows = await other
      .sql(`SELECT window.start AS w, n FROM wc_restart2_${provider} ORDER BY w`)
      .collectValues();
    // The counts go on from the state of the first run (2 and 1), which the restart restored.
    expect(rows).toEqual([
      [0, 3],
      [10 * SEC, 3],
    ]);
    const last = again.lastProgress?.stateOperators[0];
    expect('lmdbDataBytes' in (last?.customMetrics ?? {})).toBe(provider === 'lmdb');
    expect(last?.numRowsTotal).toBe(2);
    await again.stop();
  });

  it('refuses a checkpoint whose operator layout or shard count differs, naming the path', async () => {
    const s = sessionWith(provider);
    const ms = new MemoryStream(schema);
    const ck = tmp();
    const q = windowedCounts(s, ms, ck, `wc_layout_${provider}`);
    ms.addData([['a', 1 * SEC]]);
    await q.processAllAvailable();
    await q.stop();
    // Another stateful operator at id 0.
    const dedup = memoryStreamDF(s, ms)
      .dropDuplicates(['user'])
      .writeStream.format('memory')
      .queryName(`wc_layout2_${provider}`)
      .option('checkpointLocation', ck)
      .start() as StreamingQuery;
    await expect(dedup.awaitTermination()).rejects.toThrow(
      /Stateful operators in the metadata: \[\(OperatorId: 0 -> OperatorName: stateStoreSave\)\]; Stateful operators in current batch: \[\(OperatorId: 0 -> OperatorName: dedupe\)\]/,
    );
    // The shard count is the checkpoint's: a partition directory too many is reported.
    fs.mkdirSync(path.join(ck, 'state', '0', '4'));
    fs.rmSync(path.join(ck, 'state', '0', '_metadata'), { recursive: true });
    const again = windowedCounts(s, ms, ck, `wc_layout3_${provider}`);
    await expect(again.awaitTermination()).rejects.toThrow(
      `The state of operator 0 in ${path.join(ck, 'state', '0')} has 5 partition(s), but the query runs with 4`,
    );
  });
});

describe('stateful operators: the recorded state schema (Spark’s StateSchemaCompatibilityChecker)', () => {
  const counts = (s: Session, ms: MemoryStream, ck: string, name: string, key: string) =>
    memoryStreamDF(s, ms)
      .selectExpr(`${key} AS k`)
      .groupBy('k')
      .count()
      .writeStream.format('memory')
      .queryName(name)
      .outputMode('update')
      .option('checkpointLocation', ck)
      .start() as StreamingQuery;

  it('refuses a restart whose state key has another type, unless stateSchemaCheck is false', async () => {
    const s = Session.builder().create();
    const ms = new MemoryStream(schema);
    const ck = tmp();
    const q = counts(s, ms, ck, 'schema_1', 'user');
    ms.addData([['a', 1 * SEC]]);
    await q.processAllAvailable();
    await q.stop();
    // The same query restarts; another grouping key type does not.
    const same = counts(s, ms, ck, 'schema_2', 'user');
    await same.processAllAvailable();
    await same.stop();
    const other = counts(s, ms, ck, 'schema_3', 'length(user)');
    await expect(other.awaitTermination()).rejects.toThrow(
      /\[STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE\] Provided key schema does not match existing state key schema\.[\s\S]*Existing key_schema=STRUCT<k: STRING> and new key_schema=STRUCT<k: INT>/,
    );
    s.conf.set('spark.sql.streaming.stateStore.stateSchemaCheck', 'false');
    const unchecked = counts(s, ms, ck, 'schema_4', 'length(user)');
    await unchecked.processAllAvailable();
    await unchecked.stop();
  });
});

describe('stateful operators: output-mode checks', () => {
  it('refuses Append mode for an aggregation without an event-time grouping key, as Spark does', async () => {
    const s = Session.builder().create();
    const ms = new MemoryStream(schema);
    expect(() =>
      memoryStreamDF(s, ms)
        .withWatermark('ts', '10 seconds')
        .groupBy('user')
        .count()
        .writeStream.format('memory')
        .queryName('no_key')
        .outputMode('append')
        .start(),
    ).toThrow(
      'This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets',
    );
  });
});
