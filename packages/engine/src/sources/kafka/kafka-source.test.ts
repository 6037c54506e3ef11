/**
 * The Kafka source against the real embedded broker over TCP (no mocks): schema and rows, the
 * subscribe/assign/pattern strategies, starting offsets, maxOffsetsPerTrigger, restarts from the
 * checkpoint, transactions and data loss.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { DataFrame } from '../../dataframe/dataframe.js';
import { getMemoryTable } from '../../sinks/memory-sink.js';
import '../../streaming/index.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';
import type { Row } from '../../types/data-type.js';
import { KafkaFetchClient } from './kafka-fetch-client.js';
import { rateLimit } from './kafka-options.js';
import { produceMessages, until, useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('kafka-src');
const { session, uniq, createTopic, track } = env;

type Msg = {
  key?: string | null;
  value: string | null;
  partition?: number;
  headers?: Record<string, string>;
  timestamp?: string;
};
const produce = (topic: string, messages: Msg[]) => produceMessages(env.kafka, topic, messages);

function toMemory(df: DataFrame, name: string, opts: Record<string, string> = {}): StreamingQuery {
  let w = df.writeStream.format('memory').queryName(name);
  for (const [k, v] of Object.entries(opts)) w = w.option(k, v);
  return track(w.start());
}

/** A json file sink into `dir`, checkpointed in `ckpt` (a restart continues it). */
function writeJson(df: DataFrame, dir: string, ckpt: string): StreamingQuery {
  return track(df.writeStream.format('json').option('path', dir).option('checkpointLocation', ckpt).start());
}

const rowsOf = (name: string): readonly Row[] => getMemoryTable(name)?.rows ?? [];
const inputRowsOf = (q: StreamingQuery): number =>
  q.recentProgress.reduce((sum, p) => sum + p.numInputRows, 0);
/** The records a json file sink wrote to `dir` (none before its first file). */
function jsonLinesIn<T>(dir: string): T[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as T),
    );
}

const str = (v: unknown) => (v === null ? null : Buffer.from(v as Uint8Array).toString());

describe('kafka source', () => {
  it('has Spark schema and reads keys, values, headers, timestamps and offsets', async () => {
    const s = session();
    const topic = uniq('schema');
    await createTopic(topic);
    await produce(topic, [
      { key: 'k1', value: 'v1', headers: { h: 'x' }, timestamp: '1700000000123' },
      { key: null, value: 'v2', timestamp: '1700000000456' },
      { key: 'k3', value: null, timestamp: '1700000000789' },
    ]);
    const df: DataFrame = s.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', ` ${env.broker.bootstrap} `)
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('includeHeaders', 'true')
      .load();
    expect(df.schema.fields.map((f) => `${f.name}:${f.dataType.kind}`)).toEqual([
      'key:binary',
      'value:binary',
      'topic:string',
      'partition:int',
      'offset:long',
      'timestamp:timestamp',
      'timestampType:int',
      'headers:array',
    ]);
    const name = uniq('schema_t');
    const q = toMemory(df, name);
    await until(() => rowsOf(name).length === 3, '3 rows');
    const rows = rowsOf(name);
    expect(rows.map((r) => [str(r[0]), str(r[1]), r[2], r[3], r[4], r[5], r[6]])).toEqual([
      ['k1', 'v1', topic, 0, 0, 1700000000123000, 0],
      [null, 'v2', topic, 0, 1, 1700000000456000, 0],
      ['k3', null, topic, 0, 2, 1700000000789000, 0],
    ]);
    expect(Buffer.isBuffer(rows[0]?.[1])).toBe(true);
    const h = rows[0]?.[7] as unknown[][];
    expect(h.map(([k, v]) => [k, str(v)])).toEqual([['h', 'x']]);
    expect(rows[1]?.[7]).toEqual([]);
    // The rows are in the table before the batch's commit and progress: wait for those too.
    await q.processAllAvailable();
    const p = q.lastProgress;
    expect(p?.sources[0]?.description).toBe(`KafkaV2[Subscribe[${topic}]]`);
    expect(p?.sources[0]?.metrics).toEqual({
      avgOffsetsBehindLatest: '0.0',
      maxOffsetsBehindLatest: '0',
      minOffsetsBehindLatest: '0',
    });
    expect(JSON.parse(JSON.stringify(p?.sources[0]?.endOffset))).toEqual({ [topic]: { '0': 3 } });
  });

  it('subscribes to several topics ("t1, t2"), to a pattern, and assigns partitions', async () => {
    const s = session();
    const base = uniq('multi');
    const t1 = `${base}.a`;
    const t2 = `${base}.b`;
    await createTopic(t1, 2);
    await createTopic(t2, 1);
    await produce(t1, [
      { value: 'a0', partition: 0 },
      { value: 'a1', partition: 1 },
    ]);
    await produce(t2, [{ value: 'b0' }]);
    const reader = () =>
      s.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('startingOffsets', 'earliest');
    const sub = uniq('sub');
    toMemory(reader().option('subscribe', `${t1}, ${t2}`).load(), sub);
    const pat = uniq('pat');
    toMemory(
      reader()
        .option('subscribePattern', `${base.replace('.', '\\.')}\\..*`)
        .load(),
      pat,
    );
    const asg = uniq('asg');
    toMemory(
      reader()
        .option('assign', JSON.stringify({ [t1]: [1] }))
        .load(),
      asg,
    );
    const values = (name: string) =>
      rowsOf(name)
        .map((r) => str(r[1]))
        .sort();
    await until(
      () => values(sub).length === 3 && values(pat).length === 3 && values(asg).length === 1,
      'rows',
    );
    expect(values(sub)).toEqual(['a0', 'a1', 'b0']);
    expect(values(pat)).toEqual(['a0', 'a1', 'b0']);
    expect(values(asg)).toEqual(['a1']);
    // New data after the start keeps flowing.
    await produce(t2, [{ value: 'b1' }]);
    await until(() => values(sub).length === 4 && values(pat).length === 4, 'b1');
  });

  it('a pattern picks up a topic created after the start (from its earliest offset)', async () => {
    const s = session();
    const base = uniq('late');
    await createTopic(`${base}.first`);
    await produce(`${base}.first`, [{ value: 'f' }]);
    const name = uniq('late_t');
    const q = toMemory(
      s.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('subscribePattern', `${base}\\..*`)
        .load(),
      name,
    );
    const values = () =>
      rowsOf(name)
        .map((r) => `${r[2]}:${str(r[1])}`)
        .sort();
    await q.processAllAvailable(); // the starting offsets (latest) are resolved
    await produce(`${base}.first`, [{ value: 'f2' }]);
    await until(() => values().length === 1, 'f2');
    await createTopic(`${base}.second`, 2);
    await produce(`${base}.second`, [
      { value: 's0', partition: 0 },
      { value: 's1', partition: 1 },
    ]);
    await produce(`${base}.first`, [{ value: 'f3' }]);
    await until(() => values().length === 4, 'the new topic');
    expect(values()).toEqual([
      `${base}.first:f2`,
      `${base}.first:f3`,
      `${base}.second:s0`,
      `${base}.second:s1`,
    ]);
  });

  it('startingOffsets latest (the default) and JSON with -2/-1', async () => {
    const s = session();
    const topic = uniq('starting');
    await createTopic(topic, 2);
    await produce(topic, [
      { value: 'p0-0', partition: 0 },
      { value: 'p0-1', partition: 0 },
      { value: 'p1-0', partition: 1 },
    ]);
    const reader = () => env.readTopic(s, topic);
    const latest = uniq('latest');
    const q1 = toMemory(reader().load(), latest);
    const json = uniq('json');
    const q2 = toMemory(
      reader()
        .option('startingOffsets', JSON.stringify({ [topic]: { '0': 1, '1': -2 } }))
        .load(),
      json,
    );
    await q1.processAllAvailable();
    await q2.processAllAvailable();
    await produce(topic, [{ value: 'new', partition: 0 }]);
    const values = (name: string) =>
      rowsOf(name)
        .map((r) => str(r[1]))
        .sort();
    await until(() => values(latest).length === 1 && values(json).length === 3, 'rows');
    expect(values(latest)).toEqual(['new']);
    expect(values(json)).toEqual(['new', 'p0-1', 'p1-0']);
    const bad = toMemory(
      reader()
        .option('startingOffsets', JSON.stringify({ [topic]: { '0': 1 } }))
        .load(),
      uniq('bad'),
    );
    await expect(bad.awaitTermination()).rejects.toThrow('you must specify all TopicPartitions');
  });

  it('maxOffsetsPerTrigger splits batches in proportion to the backlog', async () => {
    expect(
      JSON.stringify([
        ...(rateLimit(
          10,
          new Map([
            [
              't',
              new Map([
                [0, 0],
                [1, 0],
              ]),
            ],
          ]),
          new Map([
            [
              't',
              new Map([
                [0, 30],
                [1, 10],
              ]),
            ],
          ]),
        ).get('t') ?? []),
      ]),
    ).toBe(
      JSON.stringify([
        [0, 7],
        [1, 2],
      ]),
    );
    const s = session();
    const topic = uniq('maxoff');
    await createTopic(topic, 2);
    await produce(
      topic,
      Array.from({ length: 25 }, (_, i) => ({ value: `v${i}`, partition: i % 5 === 0 ? 1 : 0 })),
    );
    const name = uniq('maxoff_t');
    const q = toMemory(
      env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('maxOffsetsPerTrigger', '10')
        .load(),
      name,
    );
    await until(() => rowsOf(name).length === 25, '25 rows');
    // the rows are visible before the batch's progress is reported
    await until(() => inputRowsOf(q) === 25, 'the progress of 25 rows');
    const counts = q.recentProgress.map((p) => p.numInputRows).filter((c) => c > 0);
    expect(counts).toEqual([10, 10, 5]);
    expect(new Set(rowsOf(name).map((r) => str(r[1]))).size).toBe(25);
  });

  it('restarts from the checkpoint without missing or duplicating a record', async () => {
    const s = session();
    const topic = uniq('restart');
    await createTopic(topic, 3);
    const out = path.join(env.dir, uniq('out'));
    const ckpt = path.join(env.dir, uniq('ckpt'));
    const start = () => {
      const records = env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('maxOffsetsPerTrigger', '7')
        .load()
        .selectExpr('CAST(value AS STRING) AS v', 'partition', 'offset');
      return writeJson(records, out, ckpt);
    };
    const sent: string[] = [];
    const send = async (k: number) => {
      const msgs = Array.from({ length: k }, () => {
        const v = `m${sent.length}`;
        sent.push(v);
        return { value: v, partition: sent.length % 3 };
      });
      await produce(topic, msgs);
    };
    const written = () => jsonLinesIn<{ v: string }>(out).map((r) => r.v);
    await send(20);
    let q = start();
    await until(() => written().length >= 7, 'first batch');
    await q.stop();
    await send(15);
    q = start();
    await send(10);
    await until(() => written().length >= 45, 'all rows');
    await q.processAllAvailable();
    await q.stop();
    expect(written().sort()).toEqual([...sent].sort());
  });

  it('a self-join reads its topic once (one fetcher for both sources), across batches and a restart', async () => {
    const s = session();
    const topic = uniq('selfjoin');
    await createTopic(topic, 3);
    const out = path.join(env.dir, uniq('out'));
    const ckpt = path.join(env.dir, uniq('ckpt'));
    const start = () => {
      const records = env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('maxOffsetsPerTrigger', '9')
        .load()
        .selectExpr('CAST(key AS STRING) AS k', 'CAST(value AS STRING) AS v');
      const pairs = records
        .alias('a')
        .join(records.alias('b'), 'k')
        .selectExpr('a.v AS left', 'b.v AS right');
      return writeJson(pairs, out, ckpt);
    };
    const sent: { key: string; value: string }[] = [];
    const send = async (n: number) => {
      const msgs = Array.from({ length: n }, () => {
        const m = { key: `k${sent.length % 4}`, value: `v${sent.length}`, partition: sent.length % 3 };
        sent.push(m);
        return m;
      });
      await produce(topic, msgs);
    };
    const pairs = () =>
      sent.flatMap((a) => sent.filter((b) => b.key === a.key).map((b) => `${a.value}|${b.value}`)).sort();
    const written = () =>
      jsonLinesIn<{ left: string; right: string }>(out).map((r) => `${r.left}|${r.right}`);
    await send(20);
    const clients = vi.spyOn(KafkaFetchClient.prototype, 'connect');
    let q = start();
    await until(() => q.recentProgress.length > 0, 'a first batch');
    // Both scans are sources of their own (as in Spark), read through one fetch client.
    expect(q.lastProgress?.sources.length).toBe(2);
    expect(clients).toHaveBeenCalledTimes(1);
    clients.mockRestore();
    await q.processAllAvailable();
    await q.stop();
    expect(written().sort()).toEqual(pairs());
    await send(16);
    q = start();
    await send(7);
    await until(() => written().length >= pairs().length, 'all pairs');
    await q.processAllAvailable();
    await q.stop();
    expect(written().sort()).toEqual(pairs());
  });

  it('after a restart, a partition that was idle when the consumer started is read when it gets data', async () => {
    const s = session();
    const topic = uniq('idle');
    await createTopic(topic, 2);
    await produce(topic, [
      { value: 'a0', partition: 0 },
      { value: 'b0', partition: 1 },
    ]);
    const ckpt = path.join(env.dir, uniq('ck'));
    const run = (name: string) =>
      toMemory(
        env
          .readTopic(s, topic)
          .option('startingOffsets', 'earliest')
          .option('kafkaConsumer.pollTimeoutMs', '10000')
          .load(),
        name,
        { checkpointLocation: ckpt },
      );
    const first = uniq('idle1');
    const q = run(first);
    await until(() => rowsOf(first).length === 2, 'first run');
    await q.stop();
    const second = uniq('idle2');
    const q2 = run(second);
    await produce(topic, [{ value: 'a1', partition: 0 }]); // the consumer starts for partition 0 only
    await until(() => rowsOf(second).length === 1, 'a1');
    await produce(topic, [{ value: 'b1', partition: 1 }]);
    await until(() => rowsOf(second).length === 2 || q2.exception !== null, 'b1');
    expect(q2.exception).toBeNull();
    expect(rowsOf(second).map((r) => str(r[1]))).toEqual(['a1', 'b1']);
  });

  it('a busy query is woken by the records its fetcher receives, not by polling (docs/decisions/0011)', async () => {
    const s = session();
    // A trigger that finds nothing sleeps a minute: only the fetcher's wake-up brings each round in
    // within `until`'s 20 s.
    s.conf.set('spark.sql.streaming.pollingDelay', 60_000);
    const topic = uniq('wake');
    await createTopic(topic, 2);
    const name = uniq('wake');
    const q = toMemory(env.readTopic(s, topic).option('startingOffsets', 'earliest').load(), name);
    for (let round = 1; round <= 3; round++) {
      await produce(topic, [
        { value: `r${round}a`, partition: 0 },
        { value: `r${round}b`, partition: 1 },
      ]);
      await until(() => rowsOf(name).length === 2 * round || q.exception !== null, `round ${round}`);
    }
    expect(q.exception).toBeNull();
    expect(
      rowsOf(name)
        .map((r) => str(r[1]))
        .sort(),
    ).toEqual(['r1a', 'r1b', 'r2a', 'r2b', 'r3a', 'r3b']);
  });

  it('reads past an aborted transaction without hanging (read_uncommitted and read_committed)', async () => {
    const s = session();
    const topic = uniq('txn');
    await createTopic(topic);
    await produce(topic, [{ value: 'before' }]);
    const tp = env.kafka.producer({ transactionalId: uniq('tx'), idempotent: true, maxInFlightRequests: 1 });
    await tp.connect();
    const aborted = await tp.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted1' }, { value: 'aborted2' }] });
    await aborted.abort();
    const committed = await tp.transaction();
    await committed.send({ topic, messages: [{ value: 'committed' }] });
    await committed.commit();
    await tp.disconnect();
    const reader = (iso: string) =>
      env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('kafka.isolation.level', iso)
        .load();
    const rc = uniq('rc');
    const ru = uniq('ru');
    const q1 = toMemory(reader('read_committed'), rc);
    const q2 = toMemory(reader('read_uncommitted'), ru);
    await q1.processAllAvailable();
    await q2.processAllAvailable();
    const values = (name: string) => rowsOf(name).map((r) => str(r[1]));
    // Offsets: before=0, aborted1=1, aborted2=2, abort marker=3, committed=4, commit marker=5.
    expect(values(rc)).toEqual(['before', 'committed']);
    expect(values(ru)).toEqual(['before', 'aborted1', 'aborted2', 'committed']);
    expect(rowsOf(rc).map((r) => r[4])).toEqual([0, 4]);
    // The control record at the end is a hole: the next record still arrives.
    await produce(topic, [{ value: 'after' }]);
    await until(() => values(rc).length === 3 && values(ru).length === 5, 'after');
  });

  it('failOnDataLoss: true fails the query after DeleteRecords, false skips with a warning', async () => {
    const s = session();
    const topic = uniq('loss');
    await createTopic(topic);
    await produce(topic, [{ value: 'v0' }, { value: 'v1' }]);
    const ckptTrue = path.join(env.dir, uniq('ck'));
    const ckptFalse = path.join(env.dir, uniq('ck'));
    const run = (fail: string, ckpt: string, name: string) =>
      toMemory(
        env
          .readTopic(s, topic)
          .option('startingOffsets', 'earliest')
          .option('maxOffsetsPerTrigger', '2')
          .option('failOnDataLoss', fail)
          .load(),
        name,
        { checkpointLocation: ckpt },
      );
    // Both queries read v0 and v1, then stop; v2..v9 arrive and v2..v7 are deleted.
    const a = uniq('lossA');
    const b = uniq('lossB');
    let qa = run('true', ckptTrue, a);
    let qb = run('false', ckptFalse, b);
    await until(() => rowsOf(a).length >= 2 && rowsOf(b).length >= 2, 'first batches');
    await qa.stop();
    await qb.stop();
    await produce(
      topic,
      Array.from({ length: 8 }, (_, i) => ({ value: `v${i + 2}` })),
    );
    const admin = env.kafka.admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs needs the metadata loaded first
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '8' }] });
    await admin.disconnect();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => warnings.push(String(m));
    try {
      qa = run('true', ckptTrue, uniq('lossA2'));
      await expect(qa.awaitTermination()).rejects.toThrow(/Some data may have been lost/);
      const b2 = uniq('lossB2');
      qb = run('false', ckptFalse, b2);
      await until(() => rowsOf(b2).length === 2, 'rows after the loss');
      expect(rowsOf(b2).map((r) => str(r[1]))).toEqual(['v8', 'v9']);
      expect(warnings.some((w) => w.includes('failOnDataLoss'))).toBe(true);
    } finally {
      console.warn = warn;
    }
  });

  it('minOffsetsPerTrigger waits for enough records, or for maxTriggerDelay', async () => {
    const s = session();
    const topic = uniq('minoff');
    await createTopic(topic);
    await produce(topic, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    const reader = (delay: string, extra: Record<string, string> = {}): DataFrame =>
      env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('minOffsetsPerTrigger', '5')
        .option('maxTriggerDelay', delay)
        .options(extra)
        .load();
    const waiting = uniq('min_wait');
    const delayed = uniq('min_delay');
    const q1 = toMemory(reader('1h'), waiting);
    toMemory(reader('300ms'), delayed);
    await q1.processAllAvailable();
    expect(rowsOf(waiting).length).toBe(0); // 3 < 5: no batch yet
    await until(() => rowsOf(delayed).length === 3, 'the delayed batch'); // maxTriggerDelay passed
    await produce(topic, [{ value: 'd' }, { value: 'e' }]);
    await until(() => rowsOf(waiting).length === 5, '5 records');
    await until(() => inputRowsOf(q1) === 5, 'the progress of 5 records');
    expect(q1.recentProgress.filter((p) => p.numInputRows > 0).map((p) => p.numInputRows)).toEqual([5]);
    expect(() => reader('1s', { maxOffsetsPerTrigger: '2' })).toThrow(
      'The value of minOffsetPerTrigger(5) is higher than the maxOffsetsPerTrigger(2).',
    );
  });

  it('startingTimestamp and Trigger.AvailableNow', async () => {
    const s = session();
    const topic = uniq('ts');
    await createTopic(topic);
    await produce(topic, [
      { value: 'old', timestamp: '1000' },
      { value: 'mid', timestamp: '2000' },
      { value: 'new', timestamp: '3000' },
    ]);
    const name = uniq('ts_t');
    const q: StreamingQuery = env
      .readTopic(s, topic)
      .option('startingTimestamp', '1500')
      .option('maxOffsetsPerTrigger', '1')
      .load()
      .writeStream.format('memory')
      .queryName(name)
      .trigger({ availableNow: true })
      .start();
    track(q);
    await q.awaitTermination();
    expect(rowsOf(name).map((r) => str(r[1]))).toEqual(['mid', 'new']);
    expect(q.recentProgress.filter((p) => p.numInputRows > 0).map((p) => p.numInputRows)).toEqual([1, 1]);
  });

  it('accepts groupIdPrefix but joins no group (it assigns its partitions, as Spark does) and disconnects on stop', async () => {
    const s = session();
    const topic = uniq('groups');
    await createTopic(topic);
    await produce(topic, [{ value: 'x' }]);
    const prefix = uniq('myprefix');
    const name = uniq('groups_t');
    const disconnects = vi.spyOn(KafkaFetchClient.prototype, 'disconnect');
    const q = toMemory(
      env.readTopic(s, topic).option('startingOffsets', 'earliest').option('groupIdPrefix', prefix).load(),
      name,
    );
    await until(() => rowsOf(name).length === 1, 'row');
    const admin = env.kafka.admin();
    await admin.connect();
    try {
      const mine = async () =>
        (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      expect(await mine()).toEqual([]);
      expect(disconnects).not.toHaveBeenCalled();
      await q.stop();
      expect(disconnects).toHaveBeenCalledTimes(1);
      expect(await mine()).toEqual([]);
    } finally {
      disconnects.mockRestore();
      await admin.disconnect();
    }
  });

  it("rejects bad options with Spark's messages", async () => {
    const s = session();
    const base = () => s.readStream.format('kafka').option('kafka.bootstrap.servers', env.broker.bootstrap);
    expect(() => base().load()).toThrow(
      'One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.',
    );
    expect(() => base().option('subscribe', 'a').option('assign', '{"a":[0]}').load()).toThrow(
      'Only one of the following options can be specified for Kafka source',
    );
    expect(() => s.readStream.format('kafka').option('subscribe', 'a').load()).toThrow(
      "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer",
    );
    expect(() => base().option('subscribe', ' , ').load()).toThrow(
      "No topics to subscribe to as specified value for option 'subscribe' is ' , '",
    );
    // The seeds' `subscribe "topic.*"` (a pattern given to subscribe) used to start and read nothing.
    expect(() => base().option('subscribe', 'topic.*').load()).toThrow(
      /Invalid topics: \[topic\.\*\].*use the option 'subscribePattern'/,
    );
    expect(() =>
      base().option('subscribe', 'a').option('kafka.auto.offset.reset', 'earliest').load(),
    ).toThrow("Kafka option 'auto.offset.reset' is not supported.");
    expect(() => base().option('subscribe', 'a').option('kafka.enable.auto.commit', 'true').load()).toThrow(
      "Kafka option 'enable.auto.commit' is not supported.",
    );
    expect(() => base().option('subscribe', 'a').option('kafka.value.deserializer', 'x').load()).toThrow(
      "Kafka option 'value.deserializer' is not supported",
    );
    expect(() => base().option('assign', '[1]').load()).toThrow('No topicpartitions to assign');
    expect(() => base().option('subscribe', 'a').option('kafka.check.crcs', 'yes').load()).toThrow(
      'Invalid value yes for configuration check.crcs: Expected value to be either true or false',
    );
  });
});
