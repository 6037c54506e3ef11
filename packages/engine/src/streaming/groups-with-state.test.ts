/**
 * Arbitrary stateful processing: `groupByKey` with mapGroups/flatMapGroups/reduceGroups/count on
 * batch Datasets, and `mapGroupsWithState`/`flatMapGroupsWithState` with GroupState and timeouts on
 * streams — including the seeds' user-profile pattern (the last N events of each user).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../dataframe/dataset.js';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { parseTableSchema } from '../sql/index.js';
import { type GroupState, GroupStateTimeout } from './group-state.js';
import { memoryStreamDF, type StreamingQuery } from './index.js';
import { ManualClock } from './trigger-clock.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-gws-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface UserEvent {
  userId: string;
  eventType: string;
  ts: number;
}

describe('groupByKey on batch Datasets', () => {
  it('mapGroups, flatMapGroups, reduceGroups, count, keys and mapPartitions', async () => {
    const s = Session.builder().create();
    const ds = s
      .createDataFrame(
        [
          ['u1', 'view', 1],
          ['u2', 'view', 2],
          ['u1', 'order', 3],
        ],
        'userId STRING, eventType STRING, ts INT',
      )
      .as<UserEvent>();
    const byUser = ds.groupByKey((e) => e.userId);
    expect(
      await byUser
        .mapGroups(
          (k, es) => ({ userId: k, n: es.length, last: es[es.length - 1]!.eventType }),
          'userId STRING, n INT, last STRING',
        )
        .orderBy('userId')
        .collect(),
    ).toEqual([
      { userId: 'u1', n: 2, last: 'order' },
      { userId: 'u2', n: 1, last: 'view' },
    ]);
    expect(
      (await byUser.flatMapGroups((k, es) => es.map((e) => `${k}:${e.ts}`), 'string').collect()).sort(),
    ).toEqual(['u1:1', 'u1:3', 'u2:2']);
    expect((await byUser.count().toDF().orderBy('key').collectValues()).map((r) => [...r])).toEqual([
      ['u1', 2],
      ['u2', 1],
    ]);
    expect((await byUser.keys().collect()).sort()).toEqual(['u1', 'u2']);
    const reduced = await byUser
      .reduceGroups((a, b) => (a.ts > b.ts ? a : b))
      .toDF()
      .selectExpr('key', 'value.eventType')
      .orderBy('key')
      .collectValues();
    expect(reduced.map((r) => [...r])).toEqual([
      ['u1', 'order'],
      ['u2', 'view'],
    ]);
    expect(await ds.mapPartitions((it) => [[...it].length], 'int').collect()).toEqual([3]);
    // Spark runs flatMapGroupsWithState on batch data once, each key with an empty state.
    const once = await byUser
      .flatMapGroupsWithState(
        'append',
        GroupStateTimeout.NoTimeout,
        (k, es, st: GroupState<number>) => [`${k}:${st.exists()}:${es.length}`],
        'string',
      )
      .collect();
    expect(once.sort()).toEqual(['u1:false:2', 'u2:false:1']);
  });
});

const eventSchema = parseTableSchema('userId STRING, eventType STRING, ts INT');

/** The seeds' user profile: the last 2 events of each user, kept in state, expired after 1 minute idle. */
function userProfile(
  events: Dataset<UserEvent>,
): Dataset<{ userId: string; recent: string[]; expired: boolean }> {
  return events
    .groupByKey((e) => e.userId)
    .flatMapGroupsWithState<string[], { userId: string; recent: string[]; expired: boolean }>(
      'update',
      GroupStateTimeout.ProcessingTimeTimeout,
      (userId, inputs, state) => {
        if (state.hasTimedOut()) {
          const last = state.get();
          state.remove();
          return [{ userId, recent: last, expired: true }];
        }
        const sorted = [...inputs].sort((a, b) => a.ts - b.ts).map((e) => e.eventType);
        const recent = [...(state.getOption() ?? []), ...sorted].slice(-2);
        state.update(recent);
        state.setTimeoutDuration('1 minute');
        return [{ userId, recent, expired: false }];
      },
      'userId STRING, recent ARRAY<STRING>, expired BOOLEAN',
    );
}

function startProfile(s: Session, ms: MemoryStream, name: string, checkpoint: string): StreamingQuery {
  return userProfile(memoryStreamDF(s, ms).as<UserEvent>())
    .writeStream.format('memory')
    .queryName(name)
    .outputMode('update')
    .option('checkpointLocation', checkpoint)
    .start() as StreamingQuery;
}

async function rows(s: Session, name: string): Promise<unknown[][]> {
  return (await s.sql(`SELECT userId, recent, expired FROM ${name}`).collectValues()).map((r) => [...r]);
}

async function rows2(s: Session, name: string): Promise<unknown[][]> {
  return (await s.sql(`SELECT * FROM ${name}`).collectValues()).map((r) => [...r]);
}

describe('flatMapGroupsWithState and mapGroupsWithState on streams', () => {
  it("the seeds' user profile: last N events per user, a processing-time timeout, kept across a restart", async () => {
    const clock = new ManualClock(1_000_000);
    const ck = tmp();
    const s1 = Session.builder().create();
    s1.streams.triggerClock = clock;
    const ms1 = new MemoryStream(eventSchema);
    const q1 = startProfile(s1, ms1, 'profile1', ck);
    ms1.addData([
      ['u1', 'view', 1],
      ['u1', 'cart', 2],
      ['u1', 'search', 0],
      ['u2', 'view', 1],
    ]);
    await q1.processAllAvailable();
    expect(await rows(s1, 'profile1')).toEqual([
      ['u1', ['view', 'cart'], false],
      ['u2', ['view'], false],
    ]);
    expect(q1.lastProgress?.stateOperators[0]).toMatchObject({
      operatorName: 'flatMapGroupsWithState',
      numRowsTotal: 2,
    });
    await q1.stop();
    // The state as a table: Spark's layout (groupState, timeoutTimestamp), the key and state types
    // inferred from the values (a string key and an array state are Spark's struct<value>).
    const state = s1.read.format('statestore').load(ck);
    expect(state.schema.fields.map((f) => f.name)).toEqual(['key', 'value', 'partition_id']);
    expect(
      (
        await state
          .selectExpr('key.value', 'value.groupState.value', 'value.timeoutTimestamp')
          .collectValues()
      )
        .map((r) => [...r])
        .sort(),
    ).toEqual([
      // The timeout: 1 minute after the batch's processing time (the manual clock, 1,000,000 ms).
      ['u1', ['view', 'cart'], 1_060_000],
      ['u2', ['view'], 1_060_000],
    ]);
    expect(() => s1.read.format('statestore').option('stateVarName', 'x').load(ck)).toThrow(
      /only supported with the transformWithState operator/,
    );

    // A new run over the checkpoint keeps the state.
    const s2 = Session.builder().create();
    s2.streams.triggerClock = clock;
    const ms2 = new MemoryStream(eventSchema);
    ms2.addData([
      ['u1', 'view', 1],
      ['u1', 'cart', 2],
      ['u1', 'search', 0],
      ['u2', 'view', 1],
    ]);
    const q2 = startProfile(s2, ms2, 'profile2', ck);
    await q2.processAllAvailable();
    clock.advance(30_000);
    ms2.addData([['u1', 'order', 3]]);
    await q2.processAllAvailable();
    expect(await rows(s2, 'profile2')).toEqual([['u1', ['cart', 'order'], false]]);
    // u2 idle for more than a minute: its timeout fires in a batch without data; u1's not yet.
    clock.advance(45_000);
    await q2.processAllAvailable();
    const deadline = Date.now() + 10_000;
    while ((await rows(s2, 'profile2')).length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      await q2.processAllAvailable();
    }
    expect(await rows(s2, 'profile2')).toEqual([
      ['u1', ['cart', 'order'], false],
      ['u2', ['view'], true],
    ]);
    expect(q2.lastProgress?.numInputRows).toBe(0);
    expect(q2.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(1);
    await q2.stop();
  });

  it('mapGroupsWithState: a running count per key in Update mode; an event-time timeout with a watermark', async () => {
    const s = Session.builder().create();
    const ms = new MemoryStream(parseTableSchema('user STRING, at TIMESTAMP'));
    const SEC = 1_000_000;
    const counts = memoryStreamDF(s, ms)
      .withWatermark('at', '10 seconds')
      .as<{ user: string; at: number }>()
      .groupByKey((e) => e.user)
      .mapGroupsWithState(
        GroupStateTimeout.EventTimeTimeout,
        (user, events, state: GroupState<number>) => {
          if (state.hasTimedOut()) {
            const n = state.get();
            state.remove();
            return { user, n, closed: true };
          }
          const n = (state.getOption() ?? 0) + events.length;
          state.update(n);
          // A timestamp field is microseconds since the epoch (the engine's value); timeouts are in ms.
          state.setTimeoutTimestamp(Math.max(...events.map((e) => e.at)) / 1000, '5 seconds');
          return { user, n, closed: false };
        },
        'user STRING, n INT, closed BOOLEAN',
      );
    const q = counts.writeStream
      .format('memory')
      .queryName('running')
      .outputMode('update')
      .start() as StreamingQuery;
    ms.addData([
      ['a', 1 * SEC],
      ['a', 2 * SEC],
      ['b', 3 * SEC],
    ]);
    await q.processAllAvailable();
    ms.addData([['a', 4 * SEC]]);
    await q.processAllAvailable();
    // Watermark 50 s − 10 s = 40 s passes both timeouts (a: 9 s, b: 8 s): they close in a no-data batch.
    ms.addData([['c', 50 * SEC]]);
    await q.processAllAvailable();
    const deadline = Date.now() + 10_000;
    while (q.recentProgress.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const out = (await s.sql('SELECT user, n, closed FROM running').collectValues()).map((r) => [...r]);
    expect(out.slice(0, 4)).toEqual([
      ['a', 2, false],
      ['b', 1, false],
      ['a', 3, false],
      ['c', 1, false],
    ]);
    // Timed-out keys come in state order (unordered, as in Spark).
    expect(out.slice(4).sort()).toEqual([
      ['a', 3, true],
      ['b', 1, true],
    ]);
    expect(q.recentProgress.at(-1)?.numInputRows).toBe(0);
    await q.stop();
  });

  it('hands a timed-out key back as the value it was (a bigint stays a bigint)', async () => {
    const clock = new ManualClock(1_000_000);
    const s = Session.builder().create();
    s.streams.triggerClock = clock;
    const ms = new MemoryStream(parseTableSchema('id BIGINT, v STRING'));
    const q = memoryStreamDF(s, ms)
      .as<{ id: number; v: string }>()
      .groupByKey((e) => BigInt(e.id) * 2n ** 60n)
      .flatMapGroupsWithState(
        'update',
        GroupStateTimeout.ProcessingTimeTimeout,
        (key, events, state: GroupState<number>) => {
          if (state.hasTimedOut()) {
            state.remove();
            return [{ key: String(key), kind: typeof key }];
          }
          state.update(events.length);
          state.setTimeoutDuration('1 minute');
          return [];
        },
        'key STRING, kind STRING',
      )
      .writeStream.format('memory')
      .queryName('bigint_keys')
      .outputMode('update')
      .start() as StreamingQuery;
    ms.addData([[3, 'a']]);
    await q.processAllAvailable();
    clock.advance(61_000);
    const deadline = Date.now() + 10_000;
    while ((await rows2(s, 'bigint_keys')).length < 1 && Date.now() < deadline) {
      await q.processAllAvailable();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await rows2(s, 'bigint_keys')).toEqual([[String(3n * 2n ** 60n), 'bigint']]);
    await q.stop();
  });

  it('starts from an initial state (a batch grouped Dataset), in the first batch only', async () => {
    const s = Session.builder().create();
    const ms = new MemoryStream(eventSchema);
    const initial = s
      .createDataFrame(
        [
          ['u1', 10],
          ['u9', 99],
        ],
        'userId STRING, n INT',
      )
      .as<{ userId: string; n: number }>()
      .groupByKey((r) => r.userId)
      .mapValues((r) => r.n);
    const q = memoryStreamDF(s, ms)
      .as<UserEvent>()
      .groupByKey((e) => e.userId)
      .mapGroupsWithState(
        GroupStateTimeout.NoTimeout,
        (user, events, state: GroupState<number>) => {
          const n = (state.getOption() ?? 0) + events.length;
          state.update(n);
          return { user, n };
        },
        'user STRING, n INT',
        initial,
      )
      .writeStream.format('memory')
      .queryName('with_initial')
      .outputMode('update')
      .start() as StreamingQuery;
    ms.addData([
      ['u1', 'view', 1],
      ['u2', 'view', 2],
    ]);
    await q.processAllAvailable();
    // u9 is only in the initial state: not called (Spark's rule), but kept in state.
    expect((await rows2(s, 'with_initial')).sort()).toEqual([
      ['u1', 11],
      ['u2', 1],
    ]);
    expect(q.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(3);
    ms.addData([['u9', 'view', 3]]);
    await q.processAllAvailable();
    expect((await rows2(s, 'with_initial')).at(-1)).toEqual(['u9', 100]);
    await q.stop();
    const streamingInitial = memoryStreamDF(s, new MemoryStream(eventSchema))
      .as<UserEvent>()
      .groupByKey((e) => e.userId);
    const bad = memoryStreamDF(s, new MemoryStream(eventSchema))
      .as<UserEvent>()
      .groupByKey((e) => e.userId)
      .mapGroupsWithState(GroupStateTimeout.NoTimeout, (k) => k, 'string', streamingInitial as never);
    expect(() =>
      bad.writeStream.format('memory').queryName('bad_initial').outputMode('update').start(),
    ).toThrow('Non-streaming DataFrame/Dataset is not supported as the initial state');
  });

  it("refuses what Spark's checker refuses, with its messages", () => {
    const s = Session.builder().create();
    const ds = memoryStreamDF(s, new MemoryStream(eventSchema)).as<UserEvent>();
    const mapped = ds
      .groupByKey((e) => e.userId)
      .mapGroupsWithState(GroupStateTimeout.NoTimeout, (k) => k, 'string');
    expect(() =>
      mapped.writeStream.format('memory').queryName('m_append').outputMode('append').start(),
    ).toThrow('mapGroupsWithState is not supported with Append output mode on a streaming DataFrame/Dataset');
    const flat = ds
      .groupByKey((e) => e.userId)
      .flatMapGroupsWithState('update', GroupStateTimeout.NoTimeout, (k) => [k], 'string');
    expect(() =>
      flat.writeStream.format('memory').queryName('f_append').outputMode('append').start(),
    ).toThrow(
      'flatMapGroupsWithState in update mode is not supported with Append output mode on a streaming DataFrame/Dataset',
    );
    const eventTime = ds
      .groupByKey((e) => e.userId)
      .flatMapGroupsWithState('append', GroupStateTimeout.EventTimeTimeout, (k) => [k], 'string');
    expect(() =>
      eventTime.writeStream.format('memory').queryName('f_et').outputMode('append').start(),
    ).toThrow('Event-time timeout not supported without watermark.');
  });
});
