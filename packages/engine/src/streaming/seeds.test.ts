/**
 * The seeds' examples that need no Kafka (spark-kafka-structured-streaming-ko.md §4 and §6,
 * spark-streaming-patterns-ko.md's word count shape), translated line by line to TypeScript.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { col, count } from '../dataframe/functions.js';
import { Session } from '../session/session.js';
import { consoleOutput } from '../sinks/console-sink.js';
import './index.js';
import type { StreamingQuery } from './streaming-query.js';
import { waitFor } from './test-support/wait-for.js';
import { ManualClock } from './trigger-clock.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-seeds-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The book's activity data: one JSON object per line.
const activity = [
  {
    Arrival_Time: 1424686735090,
    Device: 'nexus4_1',
    Index: 0,
    Model: 'nexus4',
    User: 'a',
    gt: 'stand',
    x: 0.1,
  },
  {
    Arrival_Time: 1424686735091,
    Device: 'nexus4_1',
    Index: 1,
    Model: 'nexus4',
    User: 'a',
    gt: 'walk',
    x: 0.2,
  },
  {
    Arrival_Time: 1424686735092,
    Device: 'nexus4_2',
    Index: 2,
    Model: 'nexus4',
    User: 'b',
    gt: 'stand',
    x: 0.3,
  },
  {
    Arrival_Time: 1424686735093,
    Device: 'nexus4_2',
    Index: 3,
    Model: 'nexus4',
    User: 'b',
    gt: 'sit',
    x: 0.4,
  },
];
const activityDir = path.join(dir, 'activity-data');
fs.mkdirSync(activityDir);
activity.forEach((r, i) => {
  const f = path.join(activityDir, `part-${i}.json`);
  fs.writeFileSync(f, `${JSON.stringify(r)}\n`);
  fs.utimesSync(f, 1_700_000_000 + i, 1_700_000_000 + i);
});
const activitySchema =
  'Arrival_Time LONG, Device STRING, Index LONG, Model STRING, User STRING, gt STRING, x DOUBLE';

let printed: string[] = [];
const origWrite = consoleOutput.write;
beforeEach(() => {
  printed = [];
  consoleOutput.write = (t) => printed.push(t);
});
const started: StreamingQuery[] = [];
afterEach(async () => {
  consoleOutput.write = origWrite;
  for (const q of started.splice(0)) await q.stop();
});

function spark(): Session {
  return Session.builder().appName('seeds').create();
}

/** `streaming = spark.readStream.schema(staticSchema).option("maxFilesPerTrigger", 1).json(...)`. */
function activityCounts(s: Session) {
  const streaming = s.readStream.schema(activitySchema).option('maxFilesPerTrigger', 1).json(activityDir);
  return streaming.groupBy('gt').count();
}

describe('seed examples (no Kafka)', () => {
  it('4.2 console sink: activityCounts.writeStream.format("console").outputMode("complete").start()', async () => {
    const s = spark();
    const q = activityCounts(s).writeStream.format('console').outputMode('complete').start();
    started.push(q);
    await q.processAllAvailable();
    const text = printed.join('');
    expect(text).toContain(
      '-------------------------------------------\nBatch: 0\n-------------------------------------------\n',
    );
    expect(text).toContain('Batch: 3\n');
    const last = text.slice(text.lastIndexOf('Batch: 3'));
    expect(last).toContain('+-----+-----+\n|   gt|count|\n+-----+-----+\n');
    expect(last).toMatch(/\|stand\| {4}2\|/);
    expect(last).toMatch(/\| {2}sit\| {4}1\|/);
  });

  it('4.3 memory sink: activityCounts.writeStream.format("memory").queryName("my_device_table")', async () => {
    const s = spark();
    const q = activityCounts(s)
      .writeStream.format('memory')
      .queryName('my_device_table')
      .outputMode('complete')
      .start();
    started.push(q);
    await q.processAllAvailable();
    expect(await s.sql('SELECT * FROM my_device_table ORDER BY gt').collectValues()).toEqual([
      ['sit', 1],
      ['stand', 2],
      ['walk', 1],
    ]);
  });

  it('6 triggers: trigger(processingTime="5 seconds") and trigger(once=True)', async () => {
    const s = spark();
    // The trigger schedule follows a manual clock (Spark's StreamManualClock), so nothing here races
    // the wall clock: batches start at multiples of 5 s on this clock and only when the test moves it.
    const clock = new ManualClock(1_000);
    s.streams.triggerClock = clock;
    const periodic = activityCounts(s)
      .writeStream.trigger({ processingTime: '5 seconds' })
      .format('console')
      .outputMode('complete')
      .start();
    started.push(periodic);
    await waitFor(() => periodic.recentProgress.length === 1 && clock.waiting === 1);
    // One file per trigger (maxFilesPerTrigger=1): the first batch read one file, the rest waits for
    // the next trigger at 5 s.
    expect(periodic.status.message).toBe('Waiting for next trigger');
    expect(periodic.recentProgress[0]?.numInputRows).toBe(1);
    clock.advance(3_000); // 4 s: not yet
    expect(clock.waiting).toBe(1);
    expect(periodic.recentProgress.length).toBe(1);
    clock.advance(1_000); // 5 s: the second trigger
    await waitFor(() => periodic.recentProgress.length === 2 && clock.waiting === 1);
    expect(periodic.recentProgress[1]?.numInputRows).toBe(1);
    await periodic.stop();

    printed = [];
    const once = activityCounts(s)
      .writeStream.trigger({ once: true })
      .format('console')
      .outputMode('complete')
      .start();
    await once.awaitTermination();
    expect(once.isActive).toBe(false);
    expect(once.recentProgress.length).toBe(1);
    // As in Spark, Trigger.Once ignores maxFilesPerTrigger: every available file in its one batch.
    expect(once.recentProgress[0]?.numInputRows).toBe(activity.length);
    expect(printed.join('')).toContain('Batch: 0\n');
  });

  it('4.1 socket source: spark.readStream.format("socket").option("host", "localhost").option("port", 9999).load()', async () => {
    // `nc -lk 9999`: a server that sends lines to whoever connects.
    const clients: net.Socket[] = [];
    const server = net.createServer((c) => clients.push(c));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const s = spark();
      const socketDF = s.readStream.format('socket').option('host', 'localhost').option('port', port).load();
      expect(socketDF.isStreaming).toBe(true);
      expect(socketDF.columns).toEqual(['value']);
      // The patterns seed's word count: groupBy(col("value").cast("string").as("key")).agg(count("*").as("value"))
      const q: StreamingQuery = socketDF
        .groupBy(col('value').cast('string').as('key'))
        .agg(count('*').as('value'))
        .writeStream.format('memory')
        .queryName('socket_counts')
        .outputMode('update')
        .start();
      started.push(q);
      await waitFor(() => clients.length === 1);
      clients[0]!.write('apple\nbanana\napple\n');
      await waitFor(() => q.recentProgress.some((p) => p.numInputRows > 0));
      await q.processAllAvailable();
      expect(
        await s
          .sql('SELECT key, max(value) AS value FROM socket_counts GROUP BY key ORDER BY key')
          .collectValues(),
      ).toEqual([
        ['apple', 2],
        ['banana', 1],
      ]);
      expect(q.lastProgress!.sources[0]!.description).toBe(`TextSocketV2[host: localhost, port: ${port}]`);
      await q.stop();
    } finally {
      for (const c of clients) c.destroy();
      server.close();
    }
  });
});
