import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DataFrame } from '../dataframe/dataframe.js';
import { col, count, expr, sum } from '../dataframe/functions.js';
import { AnalysisError, StreamingQueryError } from '../errors.js';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { field, struct, T } from '../sources/schema-util.js';
import type { Row } from '../types/data-type.js';
import {
  allowedOutputModes,
  checkOutputModes,
  memoryStreamDF,
  progressJson,
  progressPrettyJson,
  type StreamingQuery,
  type StreamingQueryListener,
} from './index.js';
import { waitFor } from './test-support/wait-for.js';
import { ManualClock } from './trigger-clock.js';

const dirs: string[] = [];
function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-mb-${prefix}-`));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const running: StreamingQuery[] = [];
afterEach(async () => {
  for (const q of running.splice(0)) await q.stop();
});
function track(q: StreamingQuery): StreamingQuery {
  running.push(q);
  return q;
}

const wordSchema = struct(field('word', T.string), field('n', T.long));

function session(): Session {
  return Session.builder().create();
}

describe('micro-batch execution', () => {
  it('runs a stateless query into a memory table queryable with session.sql, with Spark progress', async () => {
    const s = session();
    const events: string[] = [];
    const listener: StreamingQueryListener = {
      onQueryStarted: (e) => events.push(`started ${e.name}`),
      onQueryProgress: (e) => events.push(`progress ${e.progress.batchId}`),
      onQueryTerminated: (e) => events.push(`terminated ${e.exception}`),
    };
    s.streams.addListener(listener);
    const ms = new MemoryStream(wordSchema);
    const q = track(
      memoryStreamDF(s, ms)
        .where(col('n').gt(1))
        .select(col('word'), col('n').multiply(10).as('n10'))
        .writeStream.format('memory')
        .queryName('big_words')
        .start(),
    );
    expect(events).toEqual(['started big_words']);
    expect(s.streams.active).toEqual([q]);
    expect(s.streams.get(q.id)).toBe(q);
    ms.addData([
      ['a', 1],
      ['b', 2],
    ]);
    await q.processAllAvailable();
    ms.addData([{ word: 'c', n: 3 }]);
    await q.processAllAvailable();
    expect(await s.sql('SELECT word, n10 FROM big_words ORDER BY word').collectValues()).toEqual([
      ['b', 20],
      ['c', 30],
    ]);
    expect(await s.table('big_words').count()).toBe(2);
    const p = q.lastProgress!;
    expect(Object.keys(p)).toEqual([
      'id',
      'runId',
      'name',
      'timestamp',
      'batchId',
      'batchDuration',
      'numInputRows',
      'inputRowsPerSecond',
      'processedRowsPerSecond',
      'durationMs',
      'stateOperators',
      'sources',
      'sink',
    ]);
    expect(p).toMatchObject({ id: q.id, runId: q.runId, name: 'big_words', batchId: 1, numInputRows: 1 });
    expect(Object.keys(p.durationMs!)).toEqual([
      'addBatch',
      'commitOffsets',
      'getBatch',
      'latestOffset',
      'queryPlanning',
      'triggerExecution',
      'walCommit',
    ]);
    expect(p.sources[0]).toMatchObject({
      description: 'MemoryStream[word,n]',
      startOffset: 0,
      endOffset: 1,
      numInputRows: 1,
    });
    expect(p.sink).toEqual({ description: 'MemorySink', numOutputRows: 1 });
    expect(q.recentProgress[0]!.sources[0]!.startOffset).toBeNull();
    expect(progressJson(p)).toMatch(/"inputRowsPerSecond":\d+\.\d,"processedRowsPerSecond":\d+\.\d,/);
    const pretty = progressPrettyJson(p);
    expect(pretty).toContain(`{\n  "id" : "${q.id}",\n  "runId" : "${q.runId}",\n  "name" : "big_words",`);
    expect(pretty).toContain(
      '"stateOperators" : [ ],\n  "sources" : [ {\n    "description" : "MemoryStream[word,n]",',
    );
    expect(pretty).toMatch(/"processedRowsPerSecond" : \d+\.\d,/);
    expect(pretty).toContain(
      '  "sink" : {\n    "description" : "MemorySink",\n    "numOutputRows" : 1\n  }\n}',
    );
    expect(q.status).toEqual({
      message: 'Waiting for data to arrive',
      isDataAvailable: false,
      isTriggerActive: false,
    });
    await q.stop();
    expect(q.isActive).toBe(false);
    expect(q.status.message).toBe('Stopped');
    expect(await s.streams.awaitAnyTermination(10)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['started big_words', 'progress 0', 'progress 1', 'terminated null']);
    s.streams.removeListener(listener);
  });

  it('aggregates in complete and update mode and restores state from the checkpoint on restart', async () => {
    const s = session();
    const ckpt = tmp('agg');
    const ms = new MemoryStream(wordSchema);
    const counts = (mode: string) =>
      memoryStreamDF(s, ms)
        .groupBy('word')
        .agg(count('*').as('cnt'), sum('n').as('total'))
        .writeStream.format('memory')
        .queryName(`counts_${mode}`)
        .outputMode(mode)
        .option('checkpointLocation', path.join(ckpt, mode))
        .start();
    const complete = track(counts('complete'));
    const update = track(counts('update'));
    ms.addData([
      ['a', 1],
      ['b', 2],
      ['a', 3],
    ]);
    await complete.processAllAvailable();
    await update.processAllAvailable();
    ms.addData([['a', 10]]);
    await complete.processAllAvailable();
    await update.processAllAvailable();
    expect(await s.sql('SELECT * FROM counts_complete ORDER BY word').collectValues()).toEqual([
      ['a', 3, 14],
      ['b', 1, 2],
    ]);
    // Update mode appends the changed rows of each batch to the memory table.
    expect(await s.sql('SELECT * FROM counts_update').collectValues()).toEqual([
      ['a', 2, 4],
      ['b', 1, 2],
      ['a', 3, 14],
    ]);
    const op = complete.lastProgress!.stateOperators[0]!;
    expect(op).toMatchObject({
      operatorName: 'stateStoreSave',
      numRowsTotal: 2,
      numRowsUpdated: 1,
      numRowsRemoved: 0,
    });
    expect(op.memoryUsedBytes).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(ckpt, 'complete', 'state', '0', '0', '2.delta'))).toBe(true);
    const firstId = complete.id;
    await complete.stop();
    running.splice(running.indexOf(complete), 1);

    const again = track(counts('complete'));
    expect(again.id).toBe(firstId);
    ms.addData([['b', 5]]);
    await again.processAllAvailable();
    expect(await s.sql('SELECT * FROM counts_complete ORDER BY word').collectValues()).toEqual([
      ['a', 3, 14],
      ['b', 2, 7],
    ]);
    expect(again.lastProgress!.batchId).toBe(2);
  });

  it('re-runs a batch that has an offsets entry but no commit, with exactly the same offsets', async () => {
    const s = session();
    const ckpt = tmp('rerun');
    const seen: [number, Row[]][] = [];
    const start = () =>
      s.readStream
        .format('rate-micro-batch')
        .option('rowsPerBatch', 3)
        .option('startTimestamp', 1000)
        .load()
        .writeStream.foreachBatch(async (df: DataFrame, id: number) => {
          seen.push([id, await df.collectValues()]);
        })
        .option('checkpointLocation', ckpt)
        .trigger({ once: true })
        .start();
    const q1 = start();
    await q1.awaitTermination();
    const q2 = start();
    await q2.awaitTermination();
    expect(seen.map(([id]) => id)).toEqual([0, 1]);
    expect(fs.readFileSync(path.join(ckpt, 'offsets', '1'), 'utf8')).toMatch(
      /^v1\n\{"batchWatermarkMs":0,"batchTimestampMs":\d+,"conf":\{.*\}\}\n\{"offset":6,"timestamp":3000\}$/,
    );
    // A crash after the write-ahead log and before the commit: batch 1 is re-run as it was.
    fs.rmSync(path.join(ckpt, 'commits', '1'));
    const q3 = start();
    await q3.awaitTermination();
    expect(seen.map(([id]) => id)).toEqual([0, 1, 1]);
    expect(seen[2]![1]).toEqual(seen[1]![1]);
    expect(seen[1]![1]).toEqual([
      [2_000_000, 3],
      [2_000_000, 4],
      [2_000_000, 5],
    ]);
    expect(q3.lastProgress!.sources[0]!.startOffset).toEqual({ offset: 3, timestamp: 2000 });
  });

  it('Trigger.AvailableNow drains the files present at start in rate-limited batches, then stops', async () => {
    const s = session();
    const dir = tmp('avail');
    fs.mkdirSync(path.join(dir, 'in'));
    for (let i = 0; i < 5; i++) {
      const f = path.join(dir, 'in', `f${i}.json`);
      fs.writeFileSync(f, `{"word":"w${i}","n":${i}}\n`);
      fs.utimesSync(f, 1_700_000_000 + i, 1_700_000_000 + i);
    }
    const q = s.readStream
      .schema('word STRING, n LONG')
      .option('maxFilesPerTrigger', 2)
      .json(path.join(dir, 'in'))
      .writeStream.format('memory')
      .queryName('avail')
      .trigger({ availableNow: true })
      .start();
    expect(await q.awaitTermination(10_000)).toBe(true);
    expect(q.recentProgress.map((p: { numInputRows: number }) => p.numInputRows)).toEqual([2, 2, 1]);
    expect(await s.table('avail').count()).toBe(5);
  });

  it('Trigger.AvailableNow over a memory stream takes what is there at start; rate falls back to one batch', async () => {
    const s = session();
    const ms = new MemoryStream(wordSchema);
    ms.addData([['a', 1]]);
    ms.addData([['b', 2]]);
    const q = memoryStreamDF(s, ms)
      .writeStream.format('memory')
      .queryName('avail_mem')
      .trigger({ availableNow: true })
      .start();
    ms.addData([['late', 3]]);
    expect(await q.awaitTermination(5000)).toBe(true);
    expect(await s.table('avail_mem').collectValues()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const r = s.readStream
      .format('rate')
      .load()
      .writeStream.format('memory')
      .queryName('avail_rate')
      .trigger({ availableNow: true })
      .start() as StreamingQuery;
    expect(await r.awaitTermination(5000)).toBe(true);
    expect(r.recentProgress.length).toBeLessThanOrEqual(1);
  });

  it('Trigger.ProcessingTime spaces batches by the interval', async () => {
    const s = session();
    // The schedule follows a manual clock (Spark's StreamManualClock): nothing races the wall clock.
    const clock = new ManualClock(1_000);
    s.streams.triggerClock = clock;
    const ms = new MemoryStream(wordSchema);
    const q = track(
      memoryStreamDF(s, ms)
        .writeStream.format('memory')
        .queryName('pt')
        .trigger({ processingTime: '200 milliseconds' })
        .start(),
    );
    ms.addData([['w', 1]]);
    await waitFor(() => q.recentProgress.length === 1 && clock.waiting === 1);
    // Data that arrives between triggers waits for the next multiple of the interval (1200).
    ms.addData([['w', 2]]);
    clock.advance(150);
    expect(clock.waiting).toBe(1);
    expect(q.recentProgress.length).toBe(1);
    clock.advance(50);
    await waitFor(() => q.recentProgress.length === 2 && clock.waiting === 1);
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([1, 1]);
  });

  it('Trigger.Continuous processes rows as they arrive and checkpoints epochs', async () => {
    const s = session();
    const ckpt = tmp('cont');
    const ms = new MemoryStream(wordSchema);
    track(
      memoryStreamDF(s, ms)
        .where(col('n').gt(0))
        .select(col('word'))
        .writeStream.format('memory')
        .queryName('cont')
        .option('checkpointLocation', ckpt)
        .trigger({ continuous: '2 seconds' })
        .start(),
    );
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    ms.addData([
      ['x', 1],
      ['y', 0],
    ]);
    await waitFor(async () => (await s.table('cont').count()) === 1);
    // Visible long before the 2-second epoch ends: processed record-at-a-time, not per epoch.
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(fs.existsSync(path.join(ckpt, 'commits', '0'))).toBe(false);
    await waitFor(() => fs.existsSync(path.join(ckpt, 'commits', '0')), 5000);
    expect(fs.readFileSync(path.join(ckpt, 'offsets', '0'), 'utf8').split('\n')[0]).toBe('v1');
    expect(() =>
      memoryStreamDF(s, ms)
        .groupBy('word')
        .count()
        .writeStream.format('memory')
        .queryName('cont_agg')
        .outputMode('complete')
        .trigger({ continuous: '1 second' })
        .start(),
    ).toThrow('Continuous processing does not support Aggregate operations.');
  });

  it('Trigger.Continuous resumes after the last committed epoch on restart', async () => {
    const s = session();
    const ckpt = tmp('cont-restart');
    const ms = new MemoryStream(wordSchema);
    const start = () =>
      memoryStreamDF(s, ms)
        .select(col('word'))
        .writeStream.format('memory')
        .queryName('cont_restart')
        .option('checkpointLocation', ckpt)
        .trigger({ continuous: '50 milliseconds' })
        .start() as StreamingQuery;
    const q1 = start();
    ms.addData([['a', 1]]);
    await waitFor(async () => (await s.table('cont_restart').count()) === 1);
    await q1.stop();
    const epochs = fs.readdirSync(path.join(ckpt, 'commits')).filter((f) => /^\d+$/.test(f)).length;
    expect(epochs).toBeGreaterThan(0);
    const q2 = track(start());
    expect(q2.id).toBe(q1.id);
    ms.addData([['b', 1]]);
    await waitFor(async () => (await s.table('cont_restart').count()) >= 2);
    await new Promise((r) => setTimeout(r, 120));
    expect(await s.table('cont_restart').collectValues()).toEqual([['a'], ['b']]);
  });

  it('reports a failing batch as the query exception and to listeners', async () => {
    const s = session();
    const ended: (string | null)[] = [];
    s.streams.addListener({
      onQueryTerminated: (e: { errorClassOnException: string | null }) => ended.push(e.errorClassOnException),
    });
    const ms = new MemoryStream(struct(field('text', T.string)));
    const q = memoryStreamDF(s, ms)
      .select(expr('CAST(text AS INT) AS n'))
      .writeStream.format('memory')
      .queryName('bad_cast')
      .start();
    ms.addData([['12'], ['not a number']]);
    await expect(q.awaitTermination()).rejects.toBeInstanceOf(StreamingQueryError);
    expect(q.exception?.message).toMatch(/terminated with exception: .*not a number/);
    expect(q.isActive).toBe(false);
    expect(ended).toEqual(['CAST_INVALID_INPUT']);
    await expect(s.streams.awaitAnyTermination()).rejects.toBeInstanceOf(StreamingQueryError);
    s.streams.resetTerminated();
    expect(await s.streams.awaitAnyTermination(20)).toBe(false);
  });

  it('posts onQueryIdle when triggers find no data, and feeds streaming temp views / toTable', async () => {
    const s = session();
    s.conf.set('spark.sql.streaming.noDataProgressEventInterval', 20);
    const idle: string[] = [];
    s.streams.addListener({ onQueryIdle: (e: { id: string }) => idle.push(e.id) });
    const ms = new MemoryStream(wordSchema);
    memoryStreamDF(s, ms).createOrReplaceTempView('words_stream');
    const viaTable = s.readStream.table('words_stream') as DataFrame;
    expect(viaTable.isStreaming).toBe(true);
    expect(() => s.readStream.table('nope')).toThrow(/TABLE_OR_VIEW_NOT_FOUND/);
    s.conf.set('spark.sql.warehouse.dir', tmp('warehouse'));
    const q = track(
      viaTable
        .where(col('n').gt(0))
        .writeStream.option('checkpointLocation', tmp('to-table-cp'))
        .toTable('positive_words') as StreamingQuery,
    );
    await waitFor(() => idle.length > 0);
    expect(idle[0]).toBe(q.id);
    ms.addData([
      ['a', 1],
      ['b', 0],
    ]);
    await q.processAllAvailable();
    // toTable appends to a managed (parquet) table, read back in batch.
    expect(await s.table('positive_words').collectValues()).toEqual([['a', 1]]);
    expect(s.catalog.listTables().find((t) => t.name === 'positive_words')?.tableType).toBe('MANAGED');
  });

  it('reads the rate source in real time (rowsPerSecond)', async () => {
    const s = session();
    const q = track(
      s.readStream
        .format('rate')
        .option('rowsPerSecond', 50)
        .load()
        .writeStream.format('memory')
        .queryName('rate_rt')
        .start(),
    );
    await waitFor(() => q.recentProgress.length > 0, 5000);
    const p = q.recentProgress[0]!;
    expect(p.sources[0]!.description).toBe(
      'RateStreamV2[rowsPerSecond=50, rampUpTimeSeconds=0, numPartitions=default',
    );
    expect(p.numInputRows % 50).toBe(0);
    const rows = await s.table('rate_rt').collectValues();
    expect(rows.slice(0, 3).map((r) => r[1])).toEqual([0, 1, 2]);
  });

  it('tracks event time and the watermark (withWatermark) in progress and the checkpoint logs', async () => {
    const s = session();
    const ckpt = tmp('wm');
    const ms = new MemoryStream(struct(field('id', T.long), field('ts', T.timestamp)));
    const q = track(
      memoryStreamDF(s, ms)
        .withWatermark('ts', '10 seconds')
        .select(col('id'))
        .writeStream.format('memory')
        .queryName('wm')
        .option('checkpointLocation', ckpt)
        .start(),
    );
    const sec = (n: number) => n * 1_000_000;
    ms.addData([
      [1, sec(100)],
      [2, sec(40)],
    ]);
    await q.processAllAvailable();
    ms.addData([[3, sec(50)]]);
    await q.processAllAvailable();
    const [p0, p1] = q.recentProgress;
    expect(p0!.eventTime).toEqual({
      avg: '1970-01-01T00:01:10.000Z',
      max: '1970-01-01T00:01:40.000Z',
      min: '1970-01-01T00:00:40.000Z',
      watermark: '1970-01-01T00:00:00.000Z',
    });
    expect(p1!.eventTime?.watermark).toBe('1970-01-01T00:01:30.000Z');
    expect(fs.readFileSync(path.join(ckpt, 'commits', '0'), 'utf8')).toBe(
      'v1\n{"nextBatchWatermarkMs":90000}',
    );
    expect(fs.readFileSync(path.join(ckpt, 'offsets', '1'), 'utf8')).toContain('"batchWatermarkMs":90000');
    expect(q.explainString()).toContain('EventTimeWatermark ts, 10000 ms');
  });

  it('never starves timers, even when the source always has data', async () => {
    const s = session();
    const q = track(
      s.readStream
        .format('rate-micro-batch')
        .option('rowsPerBatch', 10)
        .load()
        .writeStream.format('memory')
        .queryName('always_full')
        .start() as StreamingQuery,
    );
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(q.recentProgress.length).toBeGreaterThan(1);
  });

  it('reads a named memory stream (REST feeding) and writes through writeStream.foreach', async () => {
    const s = session();
    const name = `feed_${Date.now()}`;
    const df = s.readStream
      .format('memory')
      .option('name', name)
      .schema('word STRING, n LONG')
      .load() as DataFrame;
    const feed = MemoryStream.get(name)!;
    expect(feed).toBeDefined();
    const seen: string[] = [];
    const events: string[] = [];
    const q = track(
      (await df
        .where(col('n').geq(2))
        .writeStream.foreach({
          open: (p: number, e: number) => {
            events.push(`open ${p} ${e}`);
            return true;
          },
          process: (r: Record<string, unknown>) => {
            seen.push(`${r.word}:${r.n}`);
          },
          close: (err: Error | null) => {
            events.push(`close ${err}`);
          },
        })
        .option('checkpointLocation', tmp('foreach'))
        .start()) as StreamingQuery,
    );
    feed.addData([
      { word: 'a', n: 1 },
      { word: 'b', n: 2 },
    ]);
    await q.processAllAvailable();
    feed.addData([['c', 3]]);
    await q.processAllAvailable();
    expect(seen).toEqual(['b:2', 'c:3']);
    expect(events).toEqual(['open 0 0', 'close null', 'open 0 1', 'close null']);
    expect(q.lastProgress!.sink.description).toBe('ForeachSink');
    MemoryStream.drop(name);
  });

  it('explains the incremental plan', async () => {
    const s = session();
    const ms = new MemoryStream(wordSchema);
    const q = track(
      memoryStreamDF(s, ms)
        .groupBy('word')
        .count()
        .writeStream.format('memory')
        .queryName('ex')
        .outputMode('update')
        .start(),
    );
    const text = q.explainString();
    expect(text).toContain('== Physical Plan ==');
    expect(text).toContain('StateStoreSave [word], state info [operatorId = 0]');
    expect(text).toContain('MicroBatchScan');
  });
});

describe('refused at start()', () => {
  const s = Session.builder().create();
  const ms = new MemoryStream(wordSchema);
  const df = () => memoryStreamDF(s, ms);

  it('invalid output mode / query combinations, with Spark’s reasons', async () => {
    expect(() => df().writeStream.format('memory').queryName('m1').outputMode('complete').start()).toThrow(
      'This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets',
    );
    expect(() => df().groupBy('word').count().writeStream.format('console').start()).toThrow(
      'This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets',
    );
    expect(() => df().writeStream.outputMode('sideways')).toThrow(/Unknown output mode sideways/);
    const dir = tmp('badmode');
    expect(() =>
      df()
        .groupBy('word')
        .count()
        .writeStream.format('json')
        .outputMode('complete')
        .option('checkpointLocation', path.join(dir, 'c'))
        .start(path.join(dir, 'out')),
    ).toThrow('Data source json does not support Complete output mode.');
    expect(() => df().orderBy('word').writeStream.format('memory').queryName('m2').start()).toThrow(
      'Sorting is not supported on streaming DataFrames/Datasets',
    );
    expect(() =>
      s
        .createDataFrame([[1]], 'a INT')
        .writeStream.format('memory')
        .queryName('m3')
        .start(),
    ).toThrow('Queries without streaming sources cannot be executed with writeStream.start()');
    expect(() => df().writeStream.trigger({ processingTime: 'soon' })).toThrow(AnalysisError);
  });

  it('reports the allowed output modes without starting (for validation endpoints)', async () => {
    expect(allowedOutputModes(df())).toEqual(['append', 'update']);
    expect(allowedOutputModes(df().groupBy('word').count())).toEqual(['update', 'complete']);
    const checks = checkOutputModes(df());
    expect(checks[2]).toEqual({
      outputMode: 'complete',
      ok: false,
      error:
        '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets.',
    });
    expect(checkOutputModes(df().groupBy('word').count(), true).every((c) => !c.ok)).toBe(true);
  });

  it('a missing checkpointLocation where the sink needs one; foreach and foreachBatch get a temporary one', async () => {
    const dir = tmp('nockpt');
    expect(() => df().writeStream.format('json').start(path.join(dir, 'out'))).toThrow(
      'checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)',
    );
    // As in Spark 4 (asked of pyspark): foreachBatch and foreach start on a temporary checkpoint.
    const fb = df()
      .writeStream.foreachBatch(() => {})
      .start();
    expect(fb.isActive).toBe(true);
    await fb.processAllAvailable();
    await fb.stop();
    expect(fb.exception).toBeNull();
    const fe = df()
      .writeStream.foreach({ open: () => true, process: () => {}, close: () => {} })
      .start();
    await fe.stop();
    const s2 = Session.builder().create();
    s2.conf.set('spark.sql.streaming.checkpointLocation', path.join(dir, 'base'));
    const q = memoryStreamDF(s2, ms)
      .writeStream.format('json')
      .queryName('with_conf')
      .start(path.join(dir, 'out2'));
    expect(fs.existsSync(path.join(dir, 'base', 'with_conf', 'metadata'))).toBe(true);
    return q.stop();
  });

  it('a corrupt checkpoint file, reported with its path', async () => {
    const dir = tmp('corrupt');
    const q = df().writeStream.format('memory').queryName('c1').option('checkpointLocation', dir).start();
    ms.addData([['a', 1]]);
    await q.processAllAvailable();
    await q.stop();
    const file = path.join(dir, 'offsets', '0');
    fs.writeFileSync(file, 'v1\n{"batchWatermarkMs":0,');
    expect(() =>
      df().writeStream.format('memory').queryName('c1').option('checkpointLocation', dir).start(),
    ).toThrow(file);
    fs.writeFileSync(file, 'v7\n{}\n0');
    expect(() =>
      df().writeStream.format('memory').queryName('c1').option('checkpointLocation', dir).start(),
    ).toThrow(/maximum supported log version is v1, but encountered v7/);
    fs.writeFileSync(path.join(dir, 'metadata'), 'garbage');
    expect(() =>
      df().writeStream.format('memory').queryName('c1').option('checkpointLocation', dir).start(),
    ).toThrow(path.join(dir, 'metadata'));
  });

  it('a corrupt state file stops the query with an exception naming it', async () => {
    const dir = tmp('corrupt-state');
    const run = () =>
      df()
        .groupBy('word')
        .count()
        .writeStream.format('memory')
        .queryName('cs')
        .outputMode('complete')
        .option('checkpointLocation', dir)
        .start();
    const q = run();
    ms.addData([['a', 1]]);
    await q.processAllAvailable();
    await q.stop();
    const delta = path.join(dir, 'state', '0', '0', '1.delta');
    fs.writeFileSync(delta, 'nonsense');
    const q2 = run();
    ms.addData([['b', 1]]);
    await expect(q2.awaitTermination()).rejects.toThrow(delta);
  });

  it('two active queries with the same name', async () => {
    const q = df().writeStream.format('memory').queryName('dup').start();
    expect(() => df().writeStream.format('memory').queryName('dup').start()).toThrow(
      'Cannot start query with name dup as a query with that name is already active',
    );
    await q.stop();
  });
});
