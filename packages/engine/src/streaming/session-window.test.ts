import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { col, count, session_window, sum } from '../dataframe/functions.js';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { field, struct, T } from '../sources/schema-util.js';
import { memoryStreamDF, type StreamingQuery } from './index.js';
import { loadGoldenSpec, prepareInputs, startQuery } from './test-support/golden-runner.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-session-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const schema = struct(field('user', T.string), field('ts', T.timestamp), field('v', T.long));
const SEC = 1_000_000;

function sessions(s: Session, ms: MemoryStream, ck: string, name: string, mode: 'append' | 'complete') {
  let df = memoryStreamDF(s, ms);
  if (mode === 'append') df = df.withWatermark('ts', '10 seconds');
  return df
    .groupBy(col('user'), session_window(col('ts'), '10 seconds'))
    .agg(count('*').as('n'), sum('v').as('total'))
    .writeStream.format('memory')
    .queryName(name)
    .outputMode(mode)
    .option('checkpointLocation', ck)
    .start() as StreamingQuery;
}

async function table(s: Session, name: string): Promise<unknown[][]> {
  return await s
    .sql(
      `SELECT user, session_window.start AS s, session_window.end AS e, n, total FROM ${name} ORDER BY user, s`,
    )
    .collectValues();
}

describe('streaming session windows', () => {
  it('merges sessions across batches, including two sessions joined by a later event (complete mode)', async () => {
    const s = Session.builder().create();
    const ms = new MemoryStream(schema);
    const q = sessions(s, ms, tmp(), 'sw_complete', 'complete');
    ms.addData([
      ['a', 0, 1],
      ['b', 100 * SEC, 5],
    ]);
    await q.processAllAvailable();
    ms.addData([['a', 20 * SEC, 2]]);
    await q.processAllAvailable();
    expect(await table(s, 'sw_complete')).toEqual([
      ['a', 0, 10 * SEC, 1, 1],
      ['a', 20 * SEC, 30 * SEC, 1, 2],
      ['b', 100 * SEC, 110 * SEC, 1, 5],
    ]);
    // 10 s reaches both: [10, 20] touches the first session's end and the second's start.
    ms.addData([['a', 10 * SEC, 4]]);
    await q.processAllAvailable();
    expect(await table(s, 'sw_complete')).toEqual([
      ['a', 0, 30 * SEC, 3, 7],
      ['b', 100 * SEC, 110 * SEC, 1, 5],
    ]);
    const op = q.lastProgress!.stateOperators[0]!;
    expect(op.operatorName).toBe('sessionWindowStateStoreSaveExec');
    expect(op.numRowsTotal).toBe(2);
    await q.stop();
  });

  it('merges out-of-order rows of one batch into one session, and keeps separate ones apart', async () => {
    const s = Session.builder().create();
    const ms = new MemoryStream(schema);
    const q = sessions(s, ms, tmp(), 'sw_order', 'complete');
    ms.addData([
      ['a', 0, 1],
      ['a', 20 * SEC, 2],
      ['b', 50 * SEC, 8],
      ['a', 40 * SEC, 16],
      ['a', 10 * SEC, 4],
      [null as unknown as string, 5 * SEC, 32],
      ['b', null as unknown as number, 64],
    ]);
    await q.processAllAvailable();
    // a: 0, 20 and 10 chain into [0, 30]; 40 is its own session. A null key is a key; a null time
    // belongs to no session.
    expect(await table(s, 'sw_order')).toEqual([
      [null, 5 * SEC, 15 * SEC, 1, 32],
      ['a', 0, 30 * SEC, 3, 7],
      ['a', 40 * SEC, 50 * SEC, 1, 16],
      ['b', 50 * SEC, 60 * SEC, 1, 8],
    ]);
    await q.stop();
  });

  it('continues a session after a restart from the checkpoint and emits it once in append mode', async () => {
    const ck = tmp();
    const s1 = Session.builder().create();
    const ms1 = new MemoryStream(schema);
    const q1 = sessions(s1, ms1, ck, 'sw_append1', 'append');
    ms1.addData([['a', 0, 1]]);
    await q1.processAllAvailable();
    await q1.stop();

    const s2 = Session.builder().create();
    const ms2 = new MemoryStream(schema);
    // The restarted MemoryStream continues from the committed offset.
    ms2.addData([['a', 0, 1]]);
    const q2 = sessions(s2, ms2, ck, 'sw_append2', 'append');
    ms2.addData([['a', 8 * SEC, 2]]);
    await q2.processAllAvailable();
    expect(await table(s2, 'sw_append2')).toEqual([]);
    // Watermark 40 s - 10 s = 30 s passes the session's end (18 s): emitted with both rows.
    ms2.addData([['b', 40 * SEC, 9]]);
    await q2.processAllAvailable();
    expect(await table(s2, 'sw_append2')).toEqual([['a', 0, 18 * SEC, 2, 3]]);
    // A row whose window ends at or below the watermark is late: dropped and counted.
    ms2.addData([['a', 5 * SEC, 100]]);
    ms2.addData([['b', 41 * SEC, 1]]);
    await q2.processAllAvailable();
    const dropped = q2.recentProgress.reduce(
      (n, p) => n + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0),
      0,
    );
    expect(dropped).toBe(1);
    expect(await table(s2, 'sw_append2')).toEqual([['a', 0, 18 * SEC, 2, 3]]);
    await q2.stop();
  });

  it('reports the state-row counts Spark 4.0.1 reports for the golden inputs', async () => {
    // Spark's stateOperators[0] per batch as [numRowsTotal, numRowsDroppedByWatermark,
    // numRowsUpdated, numRowsRemoved], printed by test/streaming/pyspark/session_windows.py
    // (pyspark 4.0.1) for the same input files.
    const spark: Record<string, number[][]> = {
      session_window_append: [
        [2, 0, 2, 0],
        [4, 0, 4, 0],
        [3, 0, 5, 3],
        [3, 1, 2, 1],
        [3, 1, 5, 2],
        [2, 0, 2, 2],
        [2, 0, 0, 0],
      ],
      session_window_dynamic_gap: [
        [2, 0, 2, 0],
        [3, 0, 3, 0],
        [4, 0, 5, 2],
        [4, 1, 2, 1],
        [4, 1, 5, 2],
        [2, 0, 3, 3],
        [2, 0, 0, 0],
      ],
      session_window_complete: [
        [2, 0, 2, 0],
        [4, 0, 4, 0],
        [5, 0, 5, 1],
        [6, 0, 5, 0],
        [8, 0, 8, 0],
        [9, 0, 5, 0],
      ],
    };
    for (const [name, expected] of Object.entries(spark)) {
      const spec = await loadGoldenSpec(name);
      const work = tmp();
      prepareInputs(spec, work);
      const q = await startQuery(spec, work);
      await q.awaitTermination();
      const actual = q.recentProgress.map((p) => {
        const op = p.stateOperators[0]!;
        expect(op.operatorName).toBe('sessionWindowStateStoreSaveExec');
        return [op.numRowsTotal, op.numRowsDroppedByWatermark, op.numRowsUpdated, op.numRowsRemoved];
      });
      expect(actual, name).toEqual(expected);
    }
  });

  it('refuses what Spark async refuses: Update mode, no key besides the session, Append without watermark', async () => {
    const s = Session.builder().create();
    const df = memoryStreamDF(s, new MemoryStream(schema));
    const start = (d: typeof df, mode: 'append' | 'update' | 'complete') => () =>
      d.writeStream.format('memory').queryName(`sw_${mode}`).outputMode(mode).start();
    const byUser = await df
      .withWatermark('ts', '1 second')
      .groupBy(col('user'), session_window(col('ts'), '5 seconds'))
      .count();
    expect(start(byUser, 'update')).toThrow(
      '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. This output mode is not supported for session window streaming aggregations on streaming DataFrames/DataSets.',
    );
    const global = await df
      .withWatermark('ts', '1 second')
      .groupBy(session_window(col('ts'), '5 seconds'))
      .count();
    expect(start(global, 'append')).toThrow(
      'Global aggregation with session window in streaming query is not supported.',
    );
    const noWatermark = await df.groupBy(col('user'), session_window(col('ts'), '5 seconds')).count();
    expect(start(noWatermark, 'append')).toThrow('without watermark');
  });

  it('runs from SQL with a gap given per row', async () => {
    const s = Session.builder().create();
    const ms = new MemoryStream(schema);
    memoryStreamDF(s, ms).withWatermark('ts', '1 minute').createOrReplaceTempView('clicks');
    const q = s
      .sql(
        `SELECT user, session_window, count(*) AS n, sum(v) AS total FROM clicks
         GROUP BY user, session_window(ts, CASE WHEN user = 'a' THEN '30 seconds' ELSE '5 seconds' END)`,
      )
      .writeStream.format('memory')
      .queryName('sw_sql')
      .outputMode('complete')
      .start() as StreamingQuery;
    ms.addData([
      ['a', 0, 1],
      ['b', 0, 1],
    ]);
    await q.processAllAvailable();
    ms.addData([
      ['a', 20 * SEC, 1],
      ['b', 20 * SEC, 1],
    ]);
    await q.processAllAvailable();
    expect(await table(s, 'sw_sql')).toEqual([
      ['a', 0, 50 * SEC, 2, 2],
      ['b', 0, 5 * SEC, 1, 1],
      ['b', 20 * SEC, 25 * SEC, 1, 1],
    ]);
    await q.stop();
  });
});
