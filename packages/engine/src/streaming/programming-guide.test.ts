/**
 * The examples of Spark's Structured Streaming Programming Guide (its Python versions), translated to
 * TypeScript as a new user would: the same calls and names, `await` where an action runs. Inputs the
 * guide leaves abstract ("a streaming DataFrame of schema { timestamp, word }") come from a
 * MemoryStream or from files, so every example checks what it produced.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { avg, explode, split, window } from '../dataframe/functions.js';
import { Session } from '../session/session.js';
import { consoleOutput } from '../sinks/console-sink.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { parseTableSchema } from '../sql/index.js';
import { memoryStreamDF } from './data-stream-reader.js';
import './index.js';
import type { StreamingQueryListener } from './listener.js';
import type { StreamingQuery } from './streaming-query.js';
import { waitFor } from './test-support/wait-for.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-guide-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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

/** What `fn` printed to stdout (show() and printSchema() print there, as in Spark). */
async function stdoutOf(fn: () => unknown): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

function spark(): Session {
  return Session.builder().appName('StructuredNetworkWordCount').create();
}

function track(q: StreamingQuery): StreamingQuery {
  started.push(q);
  return q;
}

/** A fresh directory under the test's temp dir. */
function freshDir(name: string): string {
  const d = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

const ts = (hhmm: string): Date => new Date(`2026-01-01T${hhmm}:00Z`);

describe('Quick Example', () => {
  it('counts words from a socket with explode(split(lines.value, " ")) in complete mode', async () => {
    // `nc -lk 9999`
    const clients: net.Socket[] = [];
    const server = net.createServer((c) => clients.push(c));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const spark_ = spark();
      const lines = spark_.readStream
        .format('socket')
        .option('host', 'localhost')
        .option('port', port)
        .load();
      // Split the lines into words (a DataFrame-qualified column inside explode/split).
      const words = lines.select(explode(split(lines.col('value'), ' ')).alias('word'));
      // Generate running word count
      const wordCounts = await words.groupBy('word').count();
      const query = track(wordCounts.writeStream.outputMode('complete').format('console').start());
      await waitFor(() => clients.length === 1);
      clients[0]!.write('apache spark\napache hadoop\n');
      await waitFor(() => query.recentProgress.some((p) => p.numInputRows > 0));
      await query.processAllAvailable();
      const out = printed.join('');
      expect(out).toContain('|  word|count|');
      expect(out).toMatch(/\|apache\| {4}2\|/);
      expect(out).toMatch(/\| spark\| {4}1\|/);
      expect(out).toMatch(/\|hadoop\| {4}1\|/);
    } finally {
      for (const c of clients) c.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('Creating streaming DataFrames', () => {
  it('socket source schema; csv with sep and a user schema; isStreaming', async () => {
    const s = spark();
    const socketDF = s.readStream.format('socket').option('host', 'localhost').option('port', 9999).load();
    expect(socketDF.isStreaming).toBe(true);
    expect(await stdoutOf(() => socketDF.printSchema())).toBe(
      'root\n |-- value: string (nullable = true)\n\n',
    );

    const d = freshDir('csv');
    fs.writeFileSync(path.join(d, 'people.csv'), 'alice;30\nbob;25\n');
    const userSchema = parseTableSchema('name STRING, age INT');
    const csvDF = s.readStream.option('sep', ';').schema(userSchema).csv(d);
    expect(csvDF.isStreaming).toBe(true);
    const q = track(csvDF.writeStream.format('memory').queryName('people').start());
    await q.processAllAvailable();
    expect(await s.sql('SELECT name, age FROM people ORDER BY name').collectValues()).toEqual([
      ['alice', 30],
      ['bob', 25],
    ]);
  });

  it('spark.sql.streaming.schemaInference: a file stream without a schema infers it from the files', async () => {
    const s = spark();
    const d = freshDir('infer');
    fs.writeFileSync(path.join(d, 'a.json'), '{"device":"d1","signal":12.5}\n{"device":"d2","signal":3}\n');
    expect(() => s.readStream.json(d)).toThrow(/Schema must be specified when creating a streaming source/);
    s.conf.set('spark.sql.streaming.schemaInference', true);
    const df = s.readStream.json(d);
    expect(df.schema.fields.map((f) => `${f.name}:${f.dataType.kind}`)).toEqual([
      'device:string',
      'signal:double',
    ]);
    const q = track(df.where('signal > 10').writeStream.format('memory').queryName('inferred').start());
    await q.processAllAvailable();
    expect(await s.sql('SELECT device FROM inferred').collectValues()).toEqual([['d1']]);
    // With no file to infer from, Spark's error.
    expect(() => s.readStream.json(freshDir('empty'))).toThrow(/Unable to infer schema for JSON/);
  });
});

describe('Basic Operations - Selection, Projection, Aggregation', () => {
  const deviceSchema = parseTableSchema('device STRING, deviceType STRING, signal DOUBLE, time DATE');
  const rows = [
    ['d1', 'phone', 20, '2026-01-01'],
    ['d2', 'tablet', 5, '2026-01-01'],
    ['d3', 'phone', 11, '2026-01-02'],
  ].map(([device, deviceType, signal, time]) => ({
    device,
    deviceType,
    signal,
    time: new Date(`${time}T00:00:00Z`),
  }));

  it('select/where, await groupBy().count(), avg per type, and SQL over a streaming temp view', async () => {
    const s = spark();
    const ms = new MemoryStream(deviceSchema);
    const df = memoryStreamDF(s, ms);
    // Select the devices which have signal more than 10
    const strong = df.select('device').where('signal > 10');
    // Running count of the number of updates for each device type
    const perType = await df.groupBy('deviceType').count();
    // Running average signal for each device type
    const avgSignal = df.groupBy('deviceType').agg(avg('signal'));
    df.createOrReplaceTempView('updates');
    const total = s.sql('select count(*) from updates'); // returns another streaming DF
    expect(df.isStreaming).toBe(true);
    expect(total.isStreaming).toBe(true);

    const qs = [
      track(strong.writeStream.format('memory').queryName('strong').start()),
      track(perType.writeStream.outputMode('complete').format('memory').queryName('per_type').start()),
      track(avgSignal.writeStream.outputMode('complete').format('memory').queryName('avg_signal').start()),
      track(total.writeStream.outputMode('complete').format('memory').queryName('total').start()),
    ];
    ms.addData(rows);
    for (const q of qs) await q.processAllAvailable();
    expect(await s.sql('SELECT * FROM strong ORDER BY device').collectValues()).toEqual([['d1'], ['d3']]);
    expect(await s.sql('SELECT * FROM per_type ORDER BY deviceType').collectValues()).toEqual([
      ['phone', 2],
      ['tablet', 1],
    ]);
    expect(await s.sql('SELECT * FROM avg_signal ORDER BY deviceType').collectValues()).toEqual([
      ['phone', 15.5],
      ['tablet', 5],
    ]);
    expect(await s.sql('SELECT * FROM total').collectValues()).toEqual([[3]]);
  });

  it('an action on a streaming DataFrame is refused with Spark’s message', async () => {
    const s = spark();
    const df = memoryStreamDF(s, new MemoryStream(deviceSchema));
    await expect(async () => await df.count()).rejects.toThrow(
      /Queries with streaming sources must be executed with writeStream.start\(\)/,
    );
  });
});

describe('Window Operations on Event Time', () => {
  const wordsSchema = parseTableSchema('timestamp TIMESTAMP, word STRING');

  it('counts words in 10-minute windows sliding every 5 minutes', async () => {
    const s = spark();
    const ms = new MemoryStream(wordsSchema);
    const words = memoryStreamDF(s, ms);
    // Group the data by window and word and compute the count of each group
    const windowedCounts = await words
      .groupBy(window(words.col('timestamp'), '10 minutes', '5 minutes'), words.col('word'))
      .count();
    const q = track(
      windowedCounts.writeStream.outputMode('complete').format('memory').queryName('windowed').start(),
    );
    ms.addData([
      { timestamp: ts('12:02'), word: 'cat dog' },
      { timestamp: ts('12:03'), word: 'dog dog' },
    ]);
    ms.addData([
      { timestamp: ts('12:07'), word: 'owl cat' },
      { timestamp: ts('12:11'), word: 'dog' },
    ]);
    await q.processAllAvailable();
    const got = await s
      .sql(
        "SELECT date_format(window.start, 'HH:mm') AS s, date_format(window.end, 'HH:mm') AS e, word, count FROM windowed ORDER BY s, word",
      )
      .collectValues();
    expect(got).toEqual([
      ['11:55', '12:05', 'cat dog', 1],
      ['11:55', '12:05', 'dog dog', 1],
      ['12:00', '12:10', 'cat dog', 1],
      ['12:00', '12:10', 'dog dog', 1],
      ['12:00', '12:10', 'owl cat', 1],
      ['12:05', '12:15', 'dog', 1],
      ['12:05', '12:15', 'owl cat', 1],
      ['12:10', '12:20', 'dog', 1],
    ]);
  });

  it('withWatermark: late data within the threshold updates its window, older data is dropped (update and append)', async () => {
    for (const mode of ['update', 'append'] as const) {
      const s = spark();
      const ms = new MemoryStream(wordsSchema);
      const words = memoryStreamDF(s, ms);
      const windowedCounts = await words
        .withWatermark('timestamp', '10 minutes')
        .groupBy(window(words.col('timestamp'), '10 minutes', '5 minutes'), words.col('word'))
        .count();
      const q = track(
        windowedCounts.writeStream.outputMode(mode).format('memory').queryName(`wm_${mode}`).start(),
      );
      ms.addData([
        { timestamp: ts('12:07'), word: 'dog' },
        { timestamp: ts('12:08'), word: 'owl' },
      ]);
      await q.processAllAvailable();
      ms.addData([
        { timestamp: ts('12:14'), word: 'dog' },
        { timestamp: ts('12:09'), word: 'cat' },
      ]);
      await q.processAllAvailable();
      ms.addData([
        { timestamp: ts('12:15'), word: 'cat' },
        { timestamp: ts('12:08'), word: 'dog' }, // late, within 10 minutes of the 12:14 max
        { timestamp: ts('12:13'), word: 'owl' },
        { timestamp: ts('12:21'), word: 'owl' },
      ]);
      await q.processAllAvailable();
      // The watermark is now 12:11: 12:04 is too late and dropped.
      ms.addData([{ timestamp: ts('12:04'), word: 'donkey' }]);
      await q.processAllAvailable();
      const rows = (await s
        .sql(`SELECT date_format(window.start, 'HH:mm') AS s, word, count FROM wm_${mode}`)
        .collectValues()) as [string, string, number][];
      expect(rows.some(([, w]) => w === 'donkey')).toBe(false);
      if (mode === 'update') {
        // The 12:05-12:15 dog window was updated by the late 12:08 dog.
        expect(rows).toContainEqual(['12:05', 'dog', 3]);
      } else {
        // Append emits only windows the watermark (12:11) has closed: those ending by 12:10, once each.
        expect(rows.sort()).toEqual([
          ['12:00', 'cat', 1],
          ['12:00', 'dog', 2],
          ['12:00', 'owl', 1],
        ]);
      }
      const last = q.recentProgress.at(-2)!;
      expect(last.stateOperators[0]?.numRowsDroppedByWatermark).toBe(0);
      // Counted per window the late row falls in (12:04 is in two sliding windows), as Spark counts the
      // aggregation's input after the window expansion.
      expect(q.lastProgress?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(2);
    }
  });
});

describe('Join Operations', () => {
  it('stream-static inner and left outer joins on a column name', async () => {
    const s = spark();
    const staticDf = s.createDataFrame(
      [
        { type: 'phone', label: 'Phone' },
        { type: 'tablet', label: 'Tablet' },
      ],
      'type STRING, label STRING',
    );
    const ms = new MemoryStream(parseTableSchema('id INT, type STRING'));
    const streamingDf = memoryStreamDF(s, ms);
    const inner = track(
      streamingDf.join(staticDf, 'type').writeStream.format('memory').queryName('inner_j').start(),
    );
    const outer = track(
      streamingDf
        .join(staticDf, 'type', 'left_outer')
        .writeStream.format('memory')
        .queryName('outer_j')
        .start(),
    );
    ms.addData([
      { id: 1, type: 'phone' },
      { id: 2, type: 'watch' },
    ]);
    await inner.processAllAvailable();
    await outer.processAllAvailable();
    expect(await s.sql('SELECT type, id, label FROM inner_j').collectValues()).toEqual([
      ['phone', 1, 'Phone'],
    ]);
    expect(await s.sql('SELECT type, id, label FROM outer_j ORDER BY id').collectValues()).toEqual([
      ['phone', 1, 'Phone'],
      ['watch', 2, null],
    ]);
  });
});

describe('Streaming Deduplication', () => {
  const schema = parseTableSchema('guid STRING, eventTime TIMESTAMP');

  it('dropDuplicates("guid"), with a watermark on (guid, eventTime), and dropDuplicatesWithinWatermark', async () => {
    const s = spark();
    const ms = new MemoryStream(schema);
    const streamingDf = memoryStreamDF(s, ms);
    const noWm = track(
      streamingDf.dropDuplicates('guid').writeStream.format('memory').queryName('dd1').start(),
    );
    const withWm = track(
      streamingDf
        .withWatermark('eventTime', '10 seconds')
        .dropDuplicates('guid', 'eventTime')
        .writeStream.format('memory')
        .queryName('dd2')
        .start(),
    );
    const within = track(
      streamingDf
        .withWatermark('eventTime', '10 hours')
        .dropDuplicatesWithinWatermark('guid')
        .writeStream.format('memory')
        .queryName('dd3')
        .start(),
    );
    const t = (sec: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, sec));
    ms.addData([
      { guid: 'a', eventTime: t(1) },
      { guid: 'a', eventTime: t(1) },
      { guid: 'a', eventTime: t(2) },
      { guid: 'b', eventTime: t(3) },
    ]);
    ms.addData([{ guid: 'b', eventTime: t(5) }]);
    for (const q of [noWm, withWm, within]) await q.processAllAvailable();
    expect(await s.sql('SELECT guid FROM dd1 ORDER BY guid').collectValues()).toEqual([['a'], ['b']]);
    expect(await s.sql('SELECT guid, second(eventTime) FROM dd2 ORDER BY 1, 2').collectValues()).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 3],
      ['b', 5],
    ]);
    expect(await s.sql('SELECT guid FROM dd3 ORDER BY guid').collectValues()).toEqual([['a'], ['b']]);
  });
});

describe('Output Sinks', () => {
  const schema = parseTableSchema('value INT');

  it('file (parquet) sink with checkpointLocation and path, read back in batch', async () => {
    const s = spark();
    const ms = new MemoryStream(schema);
    const out = freshDir('parquet-out');
    const q = track(
      memoryStreamDF(s, ms)
        .writeStream.format('parquet')
        .option('checkpointLocation', path.join(out, '_cp'))
        .option('path', path.join(out, 'data'))
        .start(),
    );
    ms.addData([{ value: 1 }, { value: 2 }]);
    await q.processAllAvailable();
    expect(await s.read.parquet(path.join(out, 'data')).orderBy('value').collectValues()).toEqual([[1], [2]]);
  });

  it('foreach with a writer object and with a function; foreachBatch with an async function', async () => {
    const s = spark();
    const ms = new MemoryStream(schema);
    const df = memoryStreamDF(s, ms);
    const opened: string[] = [];
    const processed: number[] = [];
    const q1 = track(
      await df.writeStream
        .foreach({
          open: (partitionId, epochId) => {
            opened.push(`${partitionId}/${epochId}`);
            return true;
          },
          process: (row) => {
            processed.push(row.value as number);
          },
          close: () => {},
        })
        .start(),
    );
    const seen: number[] = [];
    const q2 = track((await df.writeStream.foreach((row) => void seen.push(row.value as number))).start());
    const batches: [number, unknown[][]][] = [];
    const q3 = track(
      df.writeStream
        .foreachBatch(async (batchDF, epochId) => {
          batchDF.persist();
          batches.push([epochId, await batchDF.orderBy('value').collectValues()]);
          batchDF.unpersist();
        })
        .start(),
    );
    ms.addData([{ value: 1 }, { value: 2 }]);
    for (const q of [q1, q2, q3]) await q.processAllAvailable();
    expect(processed.sort()).toEqual([1, 2]);
    expect(opened.length).toBeGreaterThan(0);
    expect(seen.sort()).toEqual([1, 2]);
    expect(batches).toEqual([[0, [[1], [2]]]]);
  });

  it('memory sink: await spark.sql("select * from tableName").show()', async () => {
    const s = spark();
    const ms = new MemoryStream(schema);
    const q = track(memoryStreamDF(s, ms).writeStream.format('memory').queryName('tableName').start());
    ms.addData([{ value: 7 }]);
    await q.processAllAvailable();
    expect(await stdoutOf(() => s.sql('select * from tableName').show())).toBe(
      '+-----+\n|value|\n+-----+\n|    7|\n+-----+\n\n',
    );
  });
});

describe('Streaming Table APIs', () => {
  it('toTable("myTable"), read.table, readStream.table("myTable") into a new table; saveAsTable and its errors', async () => {
    const s = spark();
    s.conf.set('spark.sql.warehouse.dir', freshDir('warehouse'));
    const ms = new MemoryStream(parseTableSchema('timestamp TIMESTAMP, value BIGINT'));
    const df = memoryStreamDF(s, ms);
    // Write the streaming DataFrame to a table
    const q1 = track(df.writeStream.option('checkpointLocation', freshDir('cp1')).toTable('myTable'));
    ms.addData([
      { timestamp: ts('12:00'), value: 0 },
      { timestamp: ts('12:01'), value: 1 },
    ]);
    await q1.processAllAvailable();
    // Check the table result
    expect(await stdoutOf(() => s.read.table('myTable').orderBy('value').select('value').show())).toContain(
      '|    1|',
    );
    // Transform the source dataset and write to a new table
    const q2 = track(
      s.readStream
        .table('myTable')
        .select('value')
        .writeStream.option('checkpointLocation', freshDir('cp2'))
        .format('parquet')
        .toTable('newTable'),
    );
    await q2.processAllAvailable();
    expect(await s.read.table('newTable').orderBy('value').collectValues()).toEqual([[0], [1]]);
    // Rows appended to the first table flow on to the second.
    ms.addData([{ timestamp: ts('12:02'), value: 2 }]);
    await q1.processAllAvailable();
    await q2.processAllAvailable();
    expect(await s.sql('SELECT value FROM newTable ORDER BY value').collectValues()).toEqual([[0], [1], [2]]);
    expect(
      s.catalog
        .listTables()
        .filter((t) => t.tableType === 'MANAGED')
        .map((t) => t.name),
    ).toEqual(['myTable', 'newTable']);

    // Batch: saveAsTable, its save modes and Spark's errors.
    const batch = s.createDataFrame([{ id: 1 }, { id: 2 }], 'id INT');
    await batch.write.saveAsTable('t1');
    await expect(async () => await batch.write.saveAsTable('t1')).rejects.toThrow(
      /TABLE_OR_VIEW_ALREADY_EXISTS/,
    );
    await batch.write.mode('append').saveAsTable('t1');
    expect(await s.table('t1').count()).toBe(4);
    await batch.write.mode('overwrite').format('json').saveAsTable('t1');
    expect(await s.sql('SELECT sum(id) FROM t1').collectValues()).toEqual([[3]]);
    // A table outlives its session: a new session over the same warehouse reads it.
    const other = spark();
    other.conf.set('spark.sql.warehouse.dir', s.conf.get('spark.sql.warehouse.dir')!);
    expect(await other.table('t1').count()).toBe(2);
    // Not a table / not a stream / not a table format.
    expect(() => s.readStream.table('nope')).toThrow(/TABLE_OR_VIEW_NOT_FOUND/);
    batch.createOrReplaceTempView('batch_view');
    expect(() => s.readStream.table('batch_view')).toThrow(/is not a temp view of streaming logical plan/);
    expect(() => df.writeStream.format('memory').toTable('t3')).toThrow(/DATA_SOURCE_NOT_FOUND/);
  });
});

describe('Triggers', () => {
  it('default, once and availableNow triggers; continuous is refused for an aggregation', async () => {
    const s = spark();
    const d = freshDir('trig');
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(d, `f${i}.json`), `{"v":${i}}\n`);
    const df = s.readStream.schema('v INT').option('maxFilesPerTrigger', 1).json(d);
    const once = df.writeStream.format('console').trigger({ once: true }).start();
    await once.awaitTermination();
    expect(once.recentProgress.map((p) => p.numInputRows)).toEqual([3]);
    const availableNow = df.writeStream.format('console').trigger({ availableNow: true }).start();
    await availableNow.awaitTermination();
    // availableNow keeps the read limit: one file per batch, then stops.
    expect(availableNow.recentProgress.map((p) => p.numInputRows)).toEqual([1, 1, 1]);
    expect(() =>
      df
        .groupBy('v')
        .count()
        .writeStream.format('console')
        .outputMode('complete')
        .trigger({ continuous: '1 second' })
        .start(),
    ).toThrow(/Continuous processing does not support Aggregate operations/);
  });
});

describe('Managing Streaming Queries', () => {
  it('id, runId, name, explain, progress, status, streams.active/get, stop and awaitTermination', async () => {
    const s = spark();
    const ms = new MemoryStream(parseTableSchema('value INT'));
    const query = track(memoryStreamDF(s, ms).writeStream.format('memory').queryName('managed').start());
    expect(query.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(query.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(query.name).toBe('managed');
    ms.addData([{ value: 1 }]);
    await query.processAllAvailable();
    expect(query.explain()).toContain('MemoryStream');
    expect(query.lastProgress?.numInputRows).toBe(1);
    expect(query.recentProgress.length).toBeGreaterThan(0);
    expect(query.status).toMatchObject({ isDataAvailable: false, isTriggerActive: false });
    expect(s.streams.active).toContain(query);
    expect(s.streams.get(query.id)).toBe(query);
    await query.stop();
    expect(await query.awaitTermination()).toBe(true);
    expect(query.exception).toBeNull();
    expect(s.streams.active).not.toContain(query);
  });

  it('a StreamingQueryListener sees started, progress and terminated', async () => {
    const s = spark();
    const events: string[] = [];
    const listener: StreamingQueryListener = {
      onQueryStarted: (e) => events.push(`started ${e.name}`),
      onQueryProgress: (e) => events.push(`progress ${e.progress.batchId}`),
      onQueryTerminated: () => events.push('terminated'),
    };
    s.streams.addListener(listener);
    const ms = new MemoryStream(parseTableSchema('value INT'));
    const q = memoryStreamDF(s, ms).writeStream.format('memory').queryName('listened').start();
    ms.addData([{ value: 1 }]);
    await q.processAllAvailable();
    await q.stop();
    await waitFor(() => events.includes('terminated'));
    expect(events[0]).toBe('started listened');
    expect(events).toContain('progress 0');
  });
});

describe('Recovering from Failures with Checkpointing', () => {
  it('a complete-mode aggregation restarted from its checkpoint continues its counts', async () => {
    const cp = freshDir('cp');
    const input = freshDir('input');
    const run = async (files: string[]) => {
      for (const f of files)
        fs.writeFileSync(path.join(input, `${f}.json`), `{"word":"${f.split('-')[0]}"}\n`);
      const s = spark();
      const aggDF = s.readStream.schema('word STRING').json(input).groupBy('word').count();
      const q = aggDF.writeStream
        .outputMode('complete')
        .option('checkpointLocation', cp)
        .format('memory')
        .queryName('agg')
        .start();
      await q.processAllAvailable();
      await q.stop();
      return await s.sql('SELECT word, count FROM agg ORDER BY word').collectValues();
    };
    expect(await run(['a-1', 'b-1'])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(await run(['a-2'])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
