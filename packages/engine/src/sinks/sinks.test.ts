import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import '../sources/index.js';
import { lookupSource } from '../sources/registry.js';
import { field, struct, T } from '../sources/schema-util.js';
import { jsonWriter } from './file-formats-write.js';
import {
  committedSinkFiles,
  consoleOutput,
  FileSink,
  ForeachSink,
  getMemoryTable,
  lookupSink,
} from './index.js';
import type { SinkContext } from './sink.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sink-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const schema = struct(field('word', T.string), field('count', T.long, false));

function ctx(over: Partial<SinkContext>): SinkContext {
  return {
    options: {},
    outputMode: 'append',
    queryName: undefined,
    queryId: 'q1',
    schema,
    partitionBy: [],
    session: undefined,
    checkpointLocation: path.join(dir, 'ckpt'),
    ...over,
  };
}

describe('console sink', () => {
  it('prints the batch header and the table', async () => {
    const out: string[] = [];
    const orig = consoleOutput.write;
    consoleOutput.write = (t) => out.push(t);
    try {
      const sink = await lookupSink('console').createSink(
        ctx({ options: { numRows: '1', truncate: 'false' } }),
      );
      await sink.addBatch(
        3,
        [
          ['x', 2],
          ['y', 3],
        ],
        schema,
      );
    } finally {
      consoleOutput.write = orig;
    }
    expect(out.join('')).toBe(
      '-------------------------------------------\nBatch: 3\n-------------------------------------------\n' +
        '+----+-----+\n|word|count|\n+----+-----+\n|x   |2    |\n+----+-----+\nonly showing top 1 row\n\n',
    );
  });
});

describe('memory sink', () => {
  it('appends, skips replayed batches, and replaces in complete mode', async () => {
    const p = lookupSink('memory');
    expect(() => p.createSink(ctx({}))).toThrow(/queryName must be specified/);
    const registered: [string, number][] = [];
    const session = {
      catalog: {
        registerView: (name: string, plan: unknown) =>
          registered.push([name, (plan as { rows: unknown[] }).rows.length]),
      },
    };
    const s = await p.createSink(ctx({ queryName: 'mem_append', session }));
    await s.addBatch(0, [['a', 1]], schema);
    await s.addBatch(0, [['a', 1]], schema);
    await s.addBatch(1, [['b', 2]], schema);
    expect(getMemoryTable('mem_append')?.rows).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(registered).toEqual([
      ['mem_append', 0],
      ['mem_append', 1],
      ['mem_append', 2],
    ]);
    const c = await p.createSink(ctx({ queryName: 'mem_complete', outputMode: 'complete' }));
    await c.addBatch(0, [['a', 1]], schema);
    await c.addBatch(
      1,
      [
        ['a', 2],
        ['b', 1],
      ],
      schema,
    );
    expect(getMemoryTable('mem_complete')?.rows).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});

describe('foreach sink', () => {
  it('opens, processes rows as objects, and closes with the error', async () => {
    const events: string[] = [];
    const sink = new ForeachSink({
      open: (p, e) => {
        events.push(`open ${p} ${e}`);
        return true;
      },
      process: (r) => {
        if (r.word === 'bad') throw new Error('boom');
        events.push(`row ${r.word} ${r.count}`);
      },
      close: (err) => {
        events.push(`close ${err?.message ?? null}`);
      },
    });
    await sink.addBatch(7, [['a', 1]], schema);
    await expect(sink.addBatch(8, [['bad', 1]], schema)).rejects.toThrow('boom');
    expect(events).toEqual(['open 0 7', 'row a 1', 'close null', 'open 0 8', 'close boom']);
  });
});

describe('file sink', () => {
  it('writes partitioned json files, logs them in _spark_metadata, compacts every 10 batches, skips replays', async () => {
    const out = path.join(dir, 'out');
    const sch = struct(field('k', T.string), field('v', T.long), field('ts', T.timestamp));
    const sink = new FileSink(out, 'json', ['k'], {});
    for (let b = 0; b < 12; b++) {
      await sink.addBatch(
        b,
        [
          ['x', b, 0],
          [null, -b, null],
        ],
        sch,
      );
    }
    await sink.addBatch(5, [['x', 999, 0]], sch);
    const meta = fs.readdirSync(path.join(out, '_spark_metadata')).sort();
    expect(meta).toContain('9.compact');
    expect(meta).toContain('11');
    const first = fs.readFileSync(path.join(out, '_spark_metadata', '0'), 'utf8').split('\n');
    expect(first[0]).toBe('v1');
    expect(JSON.parse(first[1]!)).toMatchObject({ isDir: false, action: 'add', blockReplication: 1 });
    const files = committedSinkFiles(out);
    expect(files.length).toBe(24);
    const lines = files.flatMap((f) => fs.readFileSync(f, 'utf8').trim().split('\n'));
    expect(lines.length).toBe(24);
    expect(lines).toContain('{"v":3,"ts":"1970-01-01T00:00:00.000Z"}');
    expect(lines).toContain('{"v":-3}');
    expect(files.some((f) => f.includes(`${path.sep}k=__HIVE_DEFAULT_PARTITION__${path.sep}`))).toBe(true);
    // A stray file of a batch that never committed is not listed, nor read by session.read.
    fs.writeFileSync(path.join(out, 'k=x', 'part-99999-stray.c000.json'), '{"v":1}\n');
    expect(committedSinkFiles(out).length).toBe(24);
    const s = Session.builder().create();
    expect(await s.read.format('json').schema('v LONG, ts TIMESTAMP').load(out).count()).toBe(24);
  });

  it('writes parquet that the parquet file source streams back', async () => {
    const out = path.join(dir, 'pq');
    const sch = struct(field('id', T.long), field('name', T.string), field('ts', T.timestamp));
    const sink = new FileSink(out, 'parquet', [], {});
    await sink.addBatch(
      0,
      [
        [1, 'a', 1_700_000_000_000_000],
        [2, null, null],
      ],
      sch,
    );
    await sink.addBatch(1, [[3, 'c', 0]], sch);
    const files = committedSinkFiles(out);
    expect(files.map((f) => path.extname(f))).toEqual(['.parquet', '.parquet']);
    const source = lookupSource('parquet');
    const opts = { path: out };
    const stream = source.createStream({
      metadataPath: path.join(dir, 'pq-ckpt', 'sources', '0'),
      options: opts,
      schema: source.sourceSchema(opts, sch),
    });
    const end = await stream.latestOffset(await stream.initialOffset(), stream.getDefaultReadLimit());
    const rows = await stream.getBatch(await stream.initialOffset(), end);
    expect(rows.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [1, 'a', 1_700_000_000_000_000],
      [2, null, null],
      [3, 'c', 0],
    ]);
  });

  it('refuses non-append modes and a missing path', async () => {
    const p = lookupSink('csv');
    expect(p.supportedOutputModes).toEqual(['append']);
    expect(() => p.validate?.({}, 'append')).toThrow(/'path' is not specified/);
  });
});

describe('json file format', () => {
  it('writes each row as to_json writes it: doubles as 1.0, exact longs, nulls left out', () => {
    const schema = struct(
      field('d', T.double),
      field('n', T.long),
      field('s', T.string),
      field('ts', T.timestamp),
    );
    const text = jsonWriter
      .encode(
        [
          [1, 9007199254740993n, null, 1_500_000],
          [0.5, 1, 'x', null],
        ],
        schema,
        {},
      )
      .toString();
    // Spark's JSON writer (the same generator as to_json) writes a double's `.0`.
    expect(text).toBe(
      '{"d":1.0,"n":9007199254740993,"ts":"1970-01-01T00:00:01.500Z"}\n{"d":0.5,"n":1,"s":"x"}\n',
    );
  });
});
