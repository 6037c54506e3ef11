/**
 * Spark 4's transformWithState: a StatefulProcessor with value, list and map state (with TTL) and
 * timers, on processing time (a manual clock) and event time, across a restart from the checkpoint.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { parseTableSchema } from '../sql/index.js';
import { memoryStreamDF, type StreamingQuery } from './index.js';
import {
  type ExpiredTimerInfo,
  type ListState,
  type MapState,
  StatefulProcessor,
  type TimerValues,
  type ValueState,
} from './stateful-processor.js';
import { ManualClock } from './trigger-clock.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-tws-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Click {
  user: string;
  page: string;
}
interface Out {
  user: string;
  kind: string;
  clicks: number;
  pages: string[];
  distinct: number;
}
const OUT = 'user STRING, kind STRING, clicks INT, pages ARRAY<STRING>, distinct INT';

/** Counts clicks per user (value state), keeps the last 3 pages (list state) and pages seen within
 * the TTL (map state), and reports a user idle for 1 minute (a processing-time timer). */
class SessionTracker extends StatefulProcessor<string, Click, Out> {
  private count!: ValueState<number>;
  private recent!: ListState<string>;
  private seen!: MapState<string, number>;

  override init(): void {
    const h = this.getHandle();
    this.count = h.getValueState<number>('count');
    this.recent = h.getListState<string>('recent');
    this.seen = h.getMapState<string, number>('seen', { ttlDurationMs: 90_000 });
  }

  handleInputRows(user: string, rows: Click[], timers: TimerValues): Out[] {
    const n = (this.count.get() ?? 0) + rows.length;
    this.count.update(n);
    this.recent.put([...this.recent.get(), ...rows.map((r) => r.page)].slice(-3));
    for (const r of rows) this.seen.updateValue(r.page, (this.seen.getValue(r.page) ?? 0) + 1);
    const h = this.getHandle();
    for (const t of h.listTimers()) h.deleteTimer(t);
    h.registerTimer(timers.getCurrentProcessingTimeInMs() + 60_000);
    return [{ user, kind: 'active', clicks: n, pages: this.recent.get(), distinct: this.seen.keys().length }];
  }

  override handleExpiredTimer(user: string, _t: TimerValues, info: ExpiredTimerInfo): Out[] {
    const out = {
      user,
      kind: `idle@${info.getExpiryTimeInMs()}`,
      clicks: this.count.get() ?? 0,
      pages: this.recent.get(),
      distinct: this.seen.keys().length,
    };
    this.count.clear();
    this.recent.clear();
    return [out];
  }
}

const clickSchema = parseTableSchema('user STRING, page STRING');

function start(s: Session, ms: MemoryStream, name: string, ck: string): StreamingQuery {
  return memoryStreamDF(s, ms)
    .as<Click>()
    .groupByKey((c) => c.user)
    .transformWithState(new SessionTracker(), 'ProcessingTime', 'update', OUT)
    .writeStream.format('memory')
    .queryName(name)
    .outputMode('update')
    .option('checkpointLocation', ck)
    .start() as StreamingQuery;
}

async function table(s: Session, name: string): Promise<unknown[][]> {
  return (await s.sql(`SELECT * FROM ${name}`).collectValues()).map((r) => [...r]);
}

/** The state after the first batch, read with `read.format('statestore')` one variable at a time. */
async function expectStateTables(s: Session, ck: string): Promise<void> {
  const read = (opts: Record<string, string>) => s.read.format('statestore').options(opts).load(ck);
  const values = async (df: ReturnType<typeof read>, ...cols: string[]) =>
    (await df.selectExpr(...cols).collectValues()).map((r) => [...r]).sort();
  const count = read({ stateVarName: 'count' });
  expect(count.schema.fields.map((f) => f.name)).toEqual(['key', 'value', 'partition_id']);
  expect(await values(count, 'key.value', 'value.value')).toEqual([
    ['a', 2],
    ['b', 1],
  ]);
  expect(await values(read({ stateVarName: 'recent' }), 'key.value', 'value.value')).toEqual([
    ['a', '/home'],
    ['a', '/shop'],
    ['b', '/home'],
  ]);
  const recent = read({ stateVarName: 'recent', flattenCollectionTypes: 'false' });
  expect(recent.schema.fields.map((f) => f.name)).toEqual(['key', 'list_value', 'partition_id']);
  expect(await values(recent, 'key.value', 'transform(list_value, e -> e.value)')).toEqual([
    ['a', ['/home', '/shop']],
    ['b', ['/home']],
  ]);
  // The map state has a TTL of 90 s from its update at 1,000,000 ms.
  const seen = read({ stateVarName: 'seen' });
  expect(seen.schema.fields.map((f) => f.name)).toEqual([
    'key',
    'user_map_key',
    'user_map_value',
    'partition_id',
  ]);
  expect(
    await values(
      seen,
      'key.value',
      'user_map_key.value',
      'user_map_value.value',
      'user_map_value.ttlExpirationMs',
    ),
  ).toEqual([
    ['a', '/home', 1, 1_090_000],
    ['a', '/shop', 1, 1_090_000],
    ['b', '/home', 1, 1_090_000],
  ]);
  const timers = read({ readRegisteredTimers: 'true' });
  expect(await values(timers, 'key.key.value', 'key.expiryTimestampMs')).toEqual([
    ['a', 1_060_000],
    ['b', 1_060_000],
  ]);
  expect(() => read({})).toThrow(/STDS_REQUIRED_OPTION_UNSPECIFIED.*'stateVarName' must be specified/s);
  expect(() => read({ stateVarName: 'nope' })).toThrow(/State variable nope is not defined/);
  const meta = s.read.format('state-metadata').load(ck);
  const [row] = (await meta.select('operatorName', 'operatorProperties').collectValues()).map((r) => [...r]);
  expect(row![0]).toBe('transformWithStateExec');
  expect(JSON.parse(row![1] as string)).toEqual({
    timeMode: 'ProcessingTime',
    outputMode: 'Update',
    stateVariables: [
      { stateName: 'count', stateVariableType: 'ValueState', ttlEnabled: false },
      { stateName: 'recent', stateVariableType: 'ListState', ttlEnabled: false },
      { stateName: 'seen', stateVariableType: 'MapState', ttlEnabled: true },
    ],
  });
}

describe('transformWithState', () => {
  it('value, list and map state with TTL, processing-time timers, state kept across a restart', async () => {
    const clock = new ManualClock(1_000_000);
    const ck = tmp();
    const s1 = Session.builder().create();
    s1.streams.triggerClock = clock;
    const ms1 = new MemoryStream(clickSchema);
    const q1 = start(s1, ms1, 'tws1', ck);
    ms1.addData([
      ['a', '/home'],
      ['a', '/shop'],
      ['b', '/home'],
    ]);
    await q1.processAllAvailable();
    expect(await table(s1, 'tws1')).toEqual([
      ['a', 'active', 2, ['/home', '/shop'], 2],
      ['b', 'active', 1, ['/home'], 1],
    ]);
    expect(q1.lastProgress?.stateOperators[0]).toMatchObject({
      operatorName: 'transformWithStateExec',
      customMetrics: expect.objectContaining({
        numValueStateVars: 1,
        numListStateVars: 1,
        numMapStateVars: 1,
        numMapStateWithTTLVars: 1,
        numRegisteredTimers: 2,
      }),
    });
    await q1.stop();
    await expectStateTables(s1, ck);

    const s2 = Session.builder().create();
    s2.streams.triggerClock = clock;
    const ms2 = new MemoryStream(clickSchema);
    ms2.addData([
      ['a', '/home'],
      ['a', '/shop'],
      ['b', '/home'],
    ]);
    const q2 = start(s2, ms2, 'tws2', ck);
    await q2.processAllAvailable();
    clock.advance(30_000);
    ms2.addData([
      ['a', '/cart'],
      ['a', '/pay'],
    ]);
    await q2.processAllAvailable();
    expect(await table(s2, 'tws2')).toEqual([['a', 'active', 4, ['/shop', '/cart', '/pay'], 4]]);
    // b's timer (at 1,060,000) passes; a's (1,090,000) not yet: b reports idle in a batch without data.
    clock.advance(40_000);
    const deadline = Date.now() + 10_000;
    while ((await table(s2, 'tws2')).length < 2 && Date.now() < deadline) {
      await q2.processAllAvailable();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await table(s2, 'tws2'))[1]).toEqual(['b', 'idle@1060000', 1, ['/home'], 1]);
    expect(q2.lastProgress?.stateOperators[0]?.customMetrics?.numExpiredTimers).toBe(1);
    // The map state's TTL (90 s after each update): a's /home and /shop (updated at 1,000,000) are gone
    // at 1,100,000, /cart and /pay (1,030,000) are not, /home comes back.
    clock.advance(30_000);
    ms2.addData([['a', '/home']]);
    await q2.processAllAvailable();
    const rows = await table(s2, 'tws2');
    // Input rows come before timers: a's click re-registers its timer before it could fire.
    expect(rows.filter((r) => r[0] === 'a' && r[1] === 'active').at(-1)).toEqual([
      'a',
      'active',
      5,
      ['/cart', '/pay', '/home'],
      3,
    ]);
    await q2.stop();
  });

  it('registering a timer with timeMode None fails with Spark’s error class', async () => {
    class Bad extends StatefulProcessor<string, Click, Out> {
      handleInputRows(): Out[] {
        this.getHandle().registerTimer(1);
        return [];
      }
    }
    const s = Session.builder().create();
    const ms = new MemoryStream(clickSchema);
    const q = memoryStreamDF(s, ms)
      .as<Click>()
      .groupByKey((c) => c.user)
      .transformWithState(new Bad(), 'None', 'append', OUT)
      .writeStream.format('memory')
      .queryName('tws_bad')
      .start() as StreamingQuery;
    ms.addData([['a', '/x']]);
    await expect(q.processAllAvailable()).rejects.toThrow(
      /STATEFUL_PROCESSOR_CANNOT_PERFORM_OPERATION_WITH_INVALID_TIME_MODE/,
    );
  });

  it('starts from an initial state through handleInitialState', async () => {
    class Counter extends StatefulProcessor<string, Click, { user: string; n: number }> {
      private n!: ValueState<number>;
      override init(): void {
        this.n = this.getHandle().getValueState<number>('n');
      }
      override handleInitialState(_user: string, initial: unknown): void {
        this.n.update(initial as number);
      }
      handleInputRows(user: string, rows: Click[]) {
        const n = (this.n.get() ?? 0) + rows.length;
        this.n.update(n);
        return [{ user, n }];
      }
    }
    const s = Session.builder().create();
    const ms = new MemoryStream(clickSchema);
    const initial = s
      .createDataFrame([['a', 100]], 'user STRING, n INT')
      .as<{ user: string; n: number }>()
      .groupByKey((r) => r.user)
      .mapValues((r) => r.n);
    const q = memoryStreamDF(s, ms)
      .as<Click>()
      .groupByKey((c) => c.user)
      .transformWithState(new Counter(), 'None', 'update', 'user STRING, n INT', initial)
      .writeStream.format('memory')
      .queryName('tws_initial')
      .outputMode('update')
      .start() as StreamingQuery;
    ms.addData([
      ['a', '/1'],
      ['b', '/2'],
    ]);
    await q.processAllAvailable();
    expect((await table(s, 'tws_initial')).sort()).toEqual([
      ['a', 101],
      ['b', 1],
    ]);
    await q.stop();
  });

  it('runs on a batch Dataset once per key', async () => {
    const s = Session.builder().create();
    const ds = s
      .createDataFrame(
        [
          ['a', '/1'],
          ['a', '/2'],
          ['b', '/3'],
        ],
        'user STRING, page STRING',
      )
      .as<Click>();
    const out = await ds
      .groupByKey((c) => c.user)
      .transformWithState(new SessionTracker(), 'ProcessingTime', 'append', OUT)
      .toDF()
      .selectExpr('user', 'clicks')
      .orderBy('user')
      .collectValues();
    expect(out.map((r) => [...r])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
