import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../dataframe/dataframe.js';
import { col, count, expr, window } from '../dataframe/functions.js';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { field, struct, T } from '../sources/schema-util.js';
import { memoryStreamDF, type StreamingQuery } from './index.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ssjoin-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const SEC = 1_000_000;
const imprSchema = struct(field('adid_impr', T.long), field('ts_impr', T.timestamp));
const clickSchema = struct(field('adid_click', T.long), field('ts_click', T.timestamp));

interface Streams {
  s: Session;
  impressions: MemoryStream;
  clicks: MemoryStream;
  impr: DataFrame;
  click: DataFrame;
}

function streams(provider = 'memory'): Streams {
  const s = Session.builder().create();
  s.conf.set('spark.sql.streaming.stateStore.providerClass', provider);
  const impressions = new MemoryStream(imprSchema);
  const clicks = new MemoryStream(clickSchema);
  return {
    s,
    impressions,
    clicks,
    impr: memoryStreamDF(s, impressions).withWatermark('ts_impr', '10 seconds'),
    click: memoryStreamDF(s, clicks).withWatermark('ts_click', '20 seconds'),
  };
}

// The seeds' attribution join: a click belongs to the impression of the same ad shown at most
// a minute before it.
const TIME_RANGE =
  'adid_click = adid_impr AND ts_click >= ts_impr AND ts_click <= ts_impr + interval 1 minute';

function start(df: DataFrame, name: string, checkpoint = tmp()): StreamingQuery {
  return df.writeStream
    .format('memory')
    .queryName(name)
    .outputMode('append')
    .option('checkpointLocation', checkpoint)
    .start() as StreamingQuery;
}

async function table(s: Session, name: string): Promise<unknown[][]> {
  const rows = await s.sql(`SELECT * FROM ${name}`).collectValues();
  return rows.map((r) => [...r]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/**
 * The attribution scenario: two impressions, then their clicks a batch later (and ad 3's click
 * before its impression, which comes last); `moreClicks` join the clicks' batch.
 */
async function feedAttribution(t: Streams, q: StreamingQuery, moreClicks: unknown[][] = []): Promise<void> {
  t.impressions.addData([
    [1, 0],
    [2, 5 * SEC],
  ]);
  await q.processAllAvailable();
  t.clicks.addData([[1, 30 * SEC], [3, 50 * SEC], [2, 100 * SEC], ...moreClicks]);
  await q.processAllAvailable();
  t.impressions.addData([[3, 45 * SEC]]);
  await q.processAllAvailable();
}

/** Both watermarks far ahead (400 s − delay): everything buffered before falls below them. */
async function advanceBoth(t: Streams, q: StreamingQuery): Promise<void> {
  t.impressions.addData([[9, 400 * SEC]]);
  t.clicks.addData([[9, 400 * SEC]]);
  await q.processAllAvailable();
}

describe.each(['memory', 'lmdb'])('stream-stream joins (%s state store)', (provider) => {
  it('inner join with a time range: each pair once, whichever side comes first; state evicted by the state watermark', async () => {
    const t = streams(provider);
    const q = start(t.impr.join(t.click, expr(TIME_RANGE)), `inner_${provider}`);
    // The click comes a batch later than its impression; the impression of ad 3 comes after its click.
    await feedAttribution(t, q);
    expect(await table(t.s, `inner_${provider}`)).toEqual([
      [1, 0, 1, 30 * SEC],
      [3, 45 * SEC, 3, 50 * SEC],
    ]);
    // The watermark became min(45 − 10, 100 − 20) = 35 s, and a no-data batch evicted the clicks at
    // or below it (click 1 at 30 s: `ts_click >= ts_impr` means no later impression can match it).
    // Buffered: 3 impressions, 2 clicks.
    const join = q.lastProgress!.stateOperators[0]!;
    expect(q.lastProgress!.numInputRows).toBe(0);
    expect(join).toMatchObject({
      operatorName: 'symmetricHashJoin',
      numRowsTotal: 5,
      numRowsRemoved: 1,
      numShufflePartitions: 4,
      numStateStoreInstances: 16,
    });
    // Both watermarks advance far: everything buffered is below its state watermark.
    await advanceBoth(t, q);
    // Watermark min(400 − 10, 400 − 20) = 380 s: only the two rows at 400 s are left.
    expect(q.lastProgress!.stateOperators[0]!.numRowsTotal).toBe(2);
    await q.stop();
  });

  it.each([
    [
      'a time range written in WHERE, with BETWEEN, bounds the state as one in ON does (the filter joins the condition)',
      'where',
      `SELECT * FROM impr JOIN click ON adid_click = adid_impr
       WHERE ts_click BETWEEN ts_impr AND ts_impr + interval 1 minute`,
      'state cleanup [ left value predicate',
    ],
    [
      // Before, the comma join had no keys: every row was buffered under one key and tried against all.
      'a comma join keeps its state by the key its WHERE equality names (ExtractEquiJoinKeys)',
      'comma',
      `SELECT * FROM impr, click
       WHERE adid_click = adid_impr AND ts_click BETWEEN ts_impr AND ts_impr + interval 1 minute`,
      'StreamingSymmetricHashJoin [adid_impr], [adid_click], Inner',
    ],
  ])('%s', async (_, label, sql, explained) => {
    const t = streams(provider);
    t.impr.createOrReplaceTempView('impr');
    t.click.createOrReplaceTempView('click');
    const sink = `${label}_${provider}`;
    const q = start(t.s.sql(sql), sink);
    expect(q.explainString()).toContain(explained);
    await feedAttribution(t, q, [[1, 90 * SEC]]);
    // Click 1 at 90 s is 90 s after its impression: outside the range, never joined.
    expect(await table(t.s, sink)).toEqual([
      [1, 0, 1, 30 * SEC],
      [3, 45 * SEC, 3, 50 * SEC],
    ]);
    await advanceBoth(t, q);
    expect(q.lastProgress!.stateOperators[0]!.numRowsTotal).toBe(2);
    await q.stop();
  });

  it('left outer join: unmatched impressions come out with NULLs once the watermark passes them, in a no-data batch', async () => {
    const t = streams(provider);
    const ck = tmp();
    const q = start(t.impr.join(t.click, expr(TIME_RANGE), 'leftOuter'), `left_${provider}`, ck);
    t.impressions.addData([
      [1, 0],
      [2, 5 * SEC],
    ]);
    await q.processAllAvailable();
    t.clicks.addData([[1, 30 * SEC]]);
    await q.processAllAvailable();
    expect(await table(t.s, `left_${provider}`)).toEqual([[1, 0, 1, 30 * SEC]]);
    const batchesBefore = q.recentProgress.length;
    t.impressions.addData([[3, 200 * SEC]]);
    t.clicks.addData([[3, 210 * SEC]]);
    await q.processAllAvailable();
    // Watermark = min(200 − 10, 210 − 20) = 190 s; impressions below 190 s − 1 min can no longer
    // match: impression 2 never did.
    expect(await table(t.s, `left_${provider}`)).toEqual([
      [1, 0, 1, 30 * SEC],
      [2, 5 * SEC, null, null],
      [3, 200 * SEC, 3, 210 * SEC],
    ]);
    const noData = q.recentProgress.slice(batchesBefore).filter((p) => p.numInputRows === 0);
    expect(noData.length).toBeGreaterThanOrEqual(1);
    expect(q.lastProgress!.eventTime?.watermark).toBe(new Date(190_000).toISOString());
    await q.stop();

    // The state reads as a table (Spark's statestore source with joinSide): impression 3 and
    // click 3 are still buffered, matched.
    const left = await t.s.read.format('statestore').option('joinSide', 'left').load(ck).collect();
    expect(JSON.parse(JSON.stringify(left))).toEqual([
      { key: { field0: 3 }, value: { adid_impr: 3, ts_impr: 200 * SEC }, partition_id: expect.any(Number) },
    ]);
  });

  it('right outer, full outer and left semi joins', async () => {
    const run = async (how: string, name: string) => {
      const t = streams(provider);
      const q = start(t.impr.join(t.click, expr(TIME_RANGE), how), name);
      t.impressions.addData([
        [1, 0],
        [2, 5 * SEC],
      ]);
      t.clicks.addData([
        [1, 30 * SEC],
        [1, 40 * SEC],
        [7, 20 * SEC],
      ]);
      await q.processAllAvailable();
      t.impressions.addData([[3, 300 * SEC]]);
      t.clicks.addData([[3, 300 * SEC]]);
      await q.processAllAvailable();
      const rows = await table(t.s, name);
      await q.stop();
      return rows;
    };
    expect(await run('rightOuter', `right_${provider}`)).toEqual([
      [1, 0, 1, 30 * SEC],
      [1, 0, 1, 40 * SEC],
      [3, 300 * SEC, 3, 300 * SEC],
      [null, null, 7, 20 * SEC],
    ]);
    expect(await run('full', `full_${provider}`)).toEqual([
      [1, 0, 1, 30 * SEC],
      [1, 0, 1, 40 * SEC],
      [2, 5 * SEC, null, null],
      [3, 300 * SEC, 3, 300 * SEC],
      [null, null, 7, 20 * SEC],
    ]);
    // Left semi: impression 1 once, though two clicks match it.
    expect(await run('left_semi', `semi_${provider}`)).toEqual([
      [1, 0],
      [3, 300 * SEC],
    ]);
  });

  it('joins on a watermarked window key, and aggregates the join output downstream', async () => {
    const t = streams(provider);
    const imprWin = t.impr
      .groupBy(window(col('ts_impr'), '10 seconds').as('w'), col('adid_impr'))
      .agg(count('*').as('shown'));
    const clickWin = t.click
      .groupBy(window(col('ts_click'), '10 seconds').as('w'), col('adid_click'))
      .agg(count('*').as('clicked'));
    const joined = imprWin.join(clickWin, ['w']);
    const q = start(joined, `winjoin_${provider}`);
    t.impressions.addData([
      [1, 1 * SEC],
      [1, 2 * SEC],
    ]);
    t.clicks.addData([[1, 3 * SEC]]);
    await q.processAllAvailable();
    t.impressions.addData([[1, 100 * SEC]]);
    t.clicks.addData([[1, 100 * SEC]]);
    await q.processAllAvailable();
    const rows = await t.s
      .sql(`SELECT w.start, adid_impr, shown, adid_click, clicked FROM winjoin_${provider}`)
      .collectValues();
    expect(rows.map((r) => [...r])).toEqual([[0, 1, 2, 1, 1]]);
    await q.stop();
  });

  it('restarts from the checkpoint with both sides buffered', async () => {
    const ck = tmp();
    const t1 = streams(provider);
    const q1 = start(t1.impr.join(t1.click, expr(TIME_RANGE)), `restart1_${provider}`, ck);
    t1.impressions.addData([[1, 0]]);
    await q1.processAllAvailable();
    await q1.stop();
    // A new run over the same checkpoint: the memory streams continue at their committed offsets.
    const t2 = streams(provider);
    t2.impressions.addData([[1, 0]]);
    const q2 = start(t2.impr.join(t2.click, expr(TIME_RANGE)), `restart2_${provider}`, ck);
    t2.clicks.addData([[1, 30 * SEC]]);
    await q2.processAllAvailable();
    expect(await table(t2.s, `restart2_${provider}`)).toEqual([[1, 0, 1, 30 * SEC]]);
    await q2.stop();
  });
});

/**
 * The in-memory provider's join sides keep their rows per key and write the stores' files
 * themselves (docs/decisions/0007); the on-disk provider goes through the generic stores. Both
 * must leave the same state behind, and each must continue the other's checkpoint.
 */
describe('join state files: the in-memory join side and the generic stores agree', () => {
  const STORES = [
    'left-keyToNumValues',
    'left-keyWithIndexToValue',
    'right-keyToNumValues',
    'right-keyWithIndexToValue',
  ];

  /** Batches with matches, outer rows, several rows per key, evictions that renumber a key. */
  const BATCHES: [unknown[][], unknown[][]][] = [
    [
      [
        [1, 0],
        [1, 2 * SEC],
        [2, 5 * SEC],
      ],
      [],
    ],
    [
      [],
      [
        [1, 30 * SEC],
        [4, 31 * SEC],
      ],
    ],
    [
      [
        [1, 40 * SEC],
        [3, 45 * SEC],
      ],
      [
        [3, 50 * SEC],
        [1, 61 * SEC],
      ],
    ],
    [
      [[2, 90 * SEC]],
      [
        [2, 95 * SEC],
        [1, 100 * SEC],
      ],
    ],
    [[[5, 200 * SEC]], [[5, 230 * SEC]]],
    [
      [
        [1, 300 * SEC],
        [1, 301 * SEC],
      ],
      [[1, 302 * SEC]],
    ],
  ];

  type Run = Streams & { q: StreamingQuery; states: Record<string, string[]>[] };

  /** Runs batches `from` to `to`, reading every store after each (the state the checkpoint holds). */
  function run(
    provider: string,
    ck: string,
    name: string,
    from: number,
    to: number,
    snapshotEvery = 100,
  ): Promise<Run> {
    const t = streams(provider);
    t.s.conf.set('spark.sql.streaming.stateStore.minDeltasForSnapshot', String(snapshotEvery));
    t.s.conf.set('spark.sql.streaming.minBatchesToRetain', '3');
    // Memory streams restart at their committed offsets: replay what earlier runs read.
    for (let i = 0; i < from; i++) {
      t.impressions.addData(BATCHES[i]![0]);
      t.clicks.addData(BATCHES[i]![1]);
    }
    const q = start(t.impr.join(t.click, expr(TIME_RANGE), 'leftOuter'), name, ck);
    return (async () => {
      const states: Record<string, string[]>[] = [];
      for (let i = from; i < to; i++) {
        t.impressions.addData(BATCHES[i]![0]);
        t.clicks.addData(BATCHES[i]![1]);
        await q.processAllAvailable();
        states.push(await stateOf(t.s, ck));
      }
      return { ...t, q, states };
    })();
  }

  async function stateOf(s: Session, ck: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const storeName of STORES) {
      const rows = await s.read.format('statestore').option('storeName', storeName).load(ck).collectValues();
      // With the shard each entry is in: a key must be where its hash sends it.
      out[storeName] = rows.map((r) => JSON.stringify([r[0], r[1], r[2]])).sort();
    }
    return out;
  }

  it('writes the same deltas: every version reads the same with both providers', async () => {
    const states: Record<string, unknown>[] = [];
    for (const provider of ['memory', 'lmdb']) {
      // No snapshot: each version is read from the deltas alone.
      const t = await run(provider, tmp(), `deltas_${provider}`, 0, BATCHES.length);
      await t.q.stop();
      states.push({ output: await table(t.s, `deltas_${provider}`), states: t.states });
    }
    expect(states[0]).toEqual(states[1]);
    // The scenario renumbers a key: impression 1 at 40 s moves to index 0 when 0 s and 2 s leave.
    const history = states[0]!.states as Record<string, string[]>[];
    const renumbered = (st: Record<string, string[]>) =>
      st['left-keyWithIndexToValue']!.some((e) => e.startsWith('[[1,0],[1,40000000,true],'));
    expect(history.some(renumbered)).toBe(true);
  });

  it('writes the same snapshots, and cleans up old files, every minDeltasForSnapshot versions', async () => {
    const states: Record<string, unknown>[] = [];
    for (const provider of ['memory', 'lmdb']) {
      const ck = tmp();
      const t = await run(provider, ck, `snap_${provider}`, 0, BATCHES.length, 2);
      await t.q.stop();
      states.push({ output: await table(t.s, `snap_${provider}`), last: t.states.at(-1) });
      for (const store of ['left-keyWithIndexToValue', 'right-keyToNumValues']) {
        const files = fs.readdirSync(path.join(ck, 'state', '0', '0', store));
        expect(files.some((f) => f.endsWith('.snapshot'))).toBe(true);
        expect(files).not.toContain('1.delta');
      }
    }
    expect(states[0]).toEqual(states[1]);
  });

  it.each([
    ['memory', 'lmdb'],
    ['lmdb', 'memory'],
  ])('a checkpoint written with %s continues with %s', async (first, second) => {
    const wholeCk = tmp();
    const whole = await run('memory', wholeCk, `whole_${first}`, 0, BATCHES.length);
    await whole.q.stop();
    const ck = tmp();
    const a = await run(first, ck, `first_${first}`, 0, 3);
    await a.q.stop();
    const b = await run(second, ck, `second_${first}`, 3, BATCHES.length);
    await b.q.stop();
    // The rows of both runs together are those of one run that never stopped.
    const rows = [...(await table(a.s, `first_${first}`)), ...(await table(b.s, `second_${first}`))];
    const sorted = rows.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(sorted).toEqual(await table(whole.s, `whole_${first}`));
    expect(b.states.at(-1)).toEqual(whole.states.at(-1));
  });
});

describe('the unsupported-operation checker on stream-stream joins (Spark 4 messages)', () => {
  it('refuses outer and semi joins that could never finalize, and non-append modes', async () => {
    const s = Session.builder().create();
    const impr = memoryStreamDF(s, new MemoryStream(imprSchema));
    const click = memoryStreamDF(s, new MemoryStream(clickSchema));
    const startIt = (df: DataFrame, mode = 'append') =>
      df.writeStream
        .format('memory')
        .queryName(`chk_${Math.random().toString(36).slice(2)}`)
        .outputMode(mode)
        .start();
    expect(() => startIt(impr.join(click, expr('adid_click = adid_impr'), 'leftOuter'))).toThrow(
      'Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition',
    );
    // A watermark on the nullable (right) side but no range condition: still refused.
    expect(() =>
      startIt(
        impr.join(click.withWatermark('ts_click', '1 minute'), expr('adid_click = adid_impr'), 'left_semi'),
      ),
    ).toThrow('Stream-stream LeftSemi join between two streaming DataFrame/Datasets is not supported');
    expect(() => startIt(impr.join(click, expr('adid_click = adid_impr'), 'full'))).toThrow(
      'Stream-stream FullOuter join',
    );
    expect(() => startIt(impr.join(click, expr('adid_click = adid_impr')), 'update')).toThrow(
      'Join between two streaming DataFrames/Datasets is not supported in Update output mode, only in Append output mode',
    );
    expect(() => startIt(impr.join(click, expr('adid_click = adid_impr'), 'left_anti'))).toThrow(
      'LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported',
    );
    expect(() => startIt(impr.intersect(impr))).toThrow(
      'Intersect of streaming DataFrames/Datasets is not supported',
    );
    // The range condition with the other side's watermark makes the left outer join valid.
    const ok = startIt(
      impr.join(click.withWatermark('ts_click', '20 seconds'), expr(TIME_RANGE), 'leftOuter'),
    ) as StreamingQuery;
    return ok.stop();
  });
});

describe('stream-static joins (stateless, every batch against the static side)', () => {
  it('inner, left outer and left semi with the stream on the left; right outer with it on the right', async () => {
    const s = Session.builder().create();
    const ads = s.createDataFrame(
      [
        [1, 'shoes'],
        [2, 'hats'],
      ],
      'adid LONG, product STRING',
    );
    const run = async (make: (stream: DataFrame) => DataFrame, name: string) => {
      const impressions = new MemoryStream(imprSchema);
      const q = start(make(memoryStreamDF(s, impressions)), name);
      impressions.addData([
        [1, 0],
        [3, SEC],
      ]);
      await q.processAllAvailable();
      impressions.addData([[2, 2 * SEC]]);
      await q.processAllAvailable();
      await q.stop();
      return table(s, name);
    };
    const on = expr('adid = adid_impr');
    expect(await run((st) => st.join(ads, on), 'ss_inner')).toEqual([
      [1, 0, 1, 'shoes'],
      [2, 2 * SEC, 2, 'hats'],
    ]);
    expect(await run((st) => st.join(ads, on, 'left'), 'ss_left')).toEqual([
      [1, 0, 1, 'shoes'],
      [2, 2 * SEC, 2, 'hats'],
      [3, SEC, null, null],
    ]);
    expect(await run((st) => st.join(ads, on, 'left_semi'), 'ss_semi')).toEqual([
      [1, 0],
      [2, 2 * SEC],
    ]);
    expect(await run((st) => ads.join(st, on, 'right'), 'ss_right')).toEqual([
      [1, 'shoes', 1, 0],
      [2, 'hats', 2, 2 * SEC],
      [null, null, 3, SEC],
    ]);
  });
});
