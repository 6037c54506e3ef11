import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupSource, MemoryStream, RATE_SCHEMA, valueAtSecond } from './index.js';
import { field, struct, T } from './schema-util.js';
import type { SourceContext } from './source.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-src-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function ctx(options: Record<string, string>, schema = RATE_SCHEMA, n = 0): SourceContext {
  return { metadataPath: path.join(dir, 'ckpt', 'sources', String(n)), options, schema };
}

describe('rate sources', () => {
  it('valueAtSecond ramps up as Spark does', async () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((s) => valueAtSecond(s, 10, 4))).toEqual([0, 2, 6, 12, 20, 30, 40]);
    expect(valueAtSecond(3, 5, 0)).toBe(15);
  });

  it('rate-micro-batch is deterministic per batch', async () => {
    const p = lookupSource('rate-micro-batch');
    const opts = {
      rowsPerBatch: '3',
      startTimestamp: '1000',
      advanceMillisPerBatch: '500',
      numPartitions: '2',
    };
    expect(p.sourceSchema(opts, undefined)).toEqual(RATE_SCHEMA);
    const s = p.createStream(ctx(opts));
    const start = await s.initialOffset();
    const end = await s.latestOffset(start, s.getDefaultReadLimit());
    expect(end).toEqual({ offset: 3, timestamp: 1500 });
    expect(JSON.stringify(end)).toBe('{"offset":3,"timestamp":1500}');
    expect(await s.getBatch(start, end)).toEqual([
      [1_000_000, 0],
      [1_000_000, 2],
      [1_000_000, 1],
    ]);
    expect(s.deserializeOffset('{"offset":3,"timestamp":1500}')).toEqual(end);
    expect(s.description).toBe(
      'RatePerMicroBatchStream[rowsPerBatch=3, numPartitions=2, startTimestamp=1000, advanceMsPerBatch=500]',
    );
  });

  it('rate keeps its creation time in sources/<n>/0 and produces rowsPerSecond per second', async () => {
    const p = lookupSource('rate');
    const s = p.createStream(ctx({ rowsPerSecond: '4' }));
    const file = path.join(dir, 'ckpt', 'sources', '0', '0');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^v1\n\d+$/);
    const rows = await s.getBatch(0, 2);
    expect(rows.map((r) => r[1])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const created = Number(fs.readFileSync(file, 'utf8').split('\n')[1]);
    expect(rows[0]![0]).toBe(created * 1000);
    expect(rows[4]![0]).toBe((created + 1000) * 1000);
    const again = p.createStream(ctx({ rowsPerSecond: '4' }));
    expect(await again.getBatch(0, 2)).toEqual(rows);
  });
});

describe('memory stream', () => {
  it('hands out added data by offset and drops committed batches', async () => {
    const m = new MemoryStream(struct(field('a', T.long), field('b', T.string)));
    expect(m.latestOffset()).toBe(-1);
    m.addData([[1, 'x'], { b: 'y' }]);
    m.addData([[3, 'z']]);
    expect(m.getBatch(-1, 1)).toEqual([
      [1, 'x'],
      [null, 'y'],
      [3, 'z'],
    ]);
    expect(m.getBatch(0, 1)).toEqual([[3, 'z']]);
    m.commit(0);
    expect(m.getBatch(0, 1)).toEqual([[3, 'z']]);
    expect(() => m.getBatch(-1, 1)).toThrow(/already committed/);
    expect(() => m.addData([{ c: 1 }])).toThrow(/Column c/);
  });
});

describe('socket source', () => {
  it('reads lines from a TCP server, with timestamps', async () => {
    const server = net.createServer((sock) => {
      sock.write('hello world\nsecond');
      setTimeout(() => sock.end(' line\n'), 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const p = lookupSource('socket');
    const opts = { host: '127.0.0.1', port: String(port), includeTimestamp: 'true' };
    const schema = p.sourceSchema(opts, undefined);
    expect(schema.fields.map((f) => f.name)).toEqual(['value', 'timestamp']);
    const s = p.createStream(ctx(opts, schema));
    const deadline = Date.now() + 5000;
    while ((s.latestOffset(-1, s.getDefaultReadLimit()) as number) < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const rows = await s.getBatch(-1, 1);
    expect(rows.map((r) => r[0])).toEqual(['hello world', 'second line']);
    expect(typeof rows[0]![1]).toBe('number');
    await s.commit(0);
    expect(await s.getBatch(0, 1)).toEqual([rows[1]]);
    await s.stop();
    server.close();
  });
});

describe('file source', () => {
  const schema = struct(field('id', T.long), field('name', T.string), field('ts', T.timestamp));

  function write(rel: string, text: string, mtimeSec: number): void {
    const f = path.join(dir, 'in', rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    fs.utimesSync(f, mtimeSec, mtimeSec);
  }

  it('reads new json files in modification order, maxFilesPerTrigger at a time, once each', async () => {
    write('b.json', '{"id":2,"name":"b","ts":"2024-01-01 00:00:01"}\n', 1_700_000_002);
    write('a.json', '{"id":1,"name":"a","ts":"2024-01-01T00:00:00Z"}\nnot json\n', 1_700_000_001);
    write('_ignored.json', '{"id":9}\n', 1_700_000_000);
    const p = lookupSource('json');
    const opts = { path: path.join(dir, 'in'), maxFilesPerTrigger: '1' };
    expect(() => p.sourceSchema(opts, undefined)).toThrow(/Schema must be specified/);
    const s = p.createStream(ctx(opts, p.sourceSchema(opts, schema)));
    const o0 = await s.initialOffset();
    const o1 = await s.latestOffset(o0, s.getDefaultReadLimit());
    expect(o1).toEqual({ logOffset: 0 });
    expect(await s.getBatch(o0, o1)).toEqual([
      [1, 'a', 1704067200000000],
      [null, null, null],
    ]);
    const o2 = await s.latestOffset(o1, s.getDefaultReadLimit());
    expect(await s.getBatch(o1, o2)).toEqual([[2, 'b', 1704067201000000]]);
    expect(await s.latestOffset(o2, s.getDefaultReadLimit())).toEqual(o2);
    const log = fs.readFileSync(path.join(dir, 'ckpt', 'sources', '0', '0'), 'utf8').split('\n');
    expect(log[0]).toBe('v1');
    expect(JSON.parse(log[1]!)).toMatchObject({ timestamp: 1_700_000_001_000, batchId: 0 });
    // A restarted source remembers what it has seen.
    write('c.json', '{"id":3,"name":"c"}\n', 1_700_000_003);
    const again = p.createStream(ctx(opts, schema));
    const o3 = await again.latestOffset(o2, again.getDefaultReadLimit());
    expect(await again.getBatch(o2, o3)).toEqual([[3, 'c', null]]);
  });

  it('discovers partitions, honors globs, csv options and cleanSource=archive', async () => {
    write('k=1/x.csv', 'id,name\n1,one\n', 1_700_000_001);
    write('k=2/y.csv', 'id,name\n2,"t,wo"\n', 1_700_000_002);
    write('k=2/z.txt', 'nope\n', 1_700_000_003);
    const p = lookupSource('csv');
    const opts = {
      path: path.join(dir, 'in', 'k=*', '*.csv'),
      header: 'true',
      cleanSource: 'archive',
      sourceArchiveDir: path.join(dir, 'archive'),
    };
    const sch = p.sourceSchema(opts, struct(field('id', T.long), field('name', T.string)));
    expect(sch.fields.map((f) => `${f.name}:${f.dataType.kind}`)).toEqual([
      'id:long',
      'name:string',
      'k:int',
    ]);
    const s = p.createStream(ctx(opts, sch));
    const end = await s.latestOffset(await s.initialOffset(), s.getDefaultReadLimit());
    expect(await s.getBatch({ logOffset: -1 }, end)).toEqual([
      [1, 'one', 1],
      [2, 't,wo', 2],
    ]);
    await s.commit(end);
    expect(fs.existsSync(path.join(dir, 'in', 'k=1', 'x.csv'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'archive', dir, 'in', 'k=1', 'x.csv'))).toBe(true);
  });

  it('maxFileAge ignores old files, fileNameOnly matches by name, cleanSource=delete removes processed files', async () => {
    write('old.txt', 'old\n', 1_700_000_000);
    write('new.txt', 'new\n', 1_700_000_000 + 8 * 86_400);
    const p = lookupSource('text');
    const opts = { path: path.join(dir, 'in'), cleanSource: 'delete', fileNameOnly: 'true' };
    const s = p.createStream(ctx(opts, p.sourceSchema(opts, undefined)));
    const o1 = await s.latestOffset({ logOffset: -1 }, s.getDefaultReadLimit());
    expect(await s.getBatch({ logOffset: -1 }, o1)).toEqual([['new']]);
    await s.commit(o1);
    expect(fs.existsSync(path.join(dir, 'in', 'new.txt'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'in', 'old.txt'))).toBe(true);
    // The same file name again is not new with fileNameOnly.
    write('sub/new.txt', 'again\n', 1_700_000_000 + 9 * 86_400);
    expect(await s.latestOffset(o1, s.getDefaultReadLimit())).toEqual(o1);
  });

  it('compacts its seen-files log every 10 batches and restarts from it', async () => {
    for (let i = 0; i < 12; i++)
      write(`f${String(i).padStart(2, '0')}.txt`, `line ${i}\n`, 1_700_000_000 + i);
    const p = lookupSource('text');
    const opts = { path: path.join(dir, 'in'), maxFilesPerTrigger: '1' };
    const s = p.createStream(ctx(opts, p.sourceSchema(opts, undefined)));
    let o: unknown = { logOffset: -1 };
    for (let i = 0; i < 12; i++) {
      const e = await s.latestOffset(o, s.getDefaultReadLimit());
      expect(await s.getBatch(o, e)).toEqual([[`line ${i}`]]);
      o = e;
    }
    const logDir = path.join(dir, 'ckpt', 'sources', '0');
    expect(fs.readdirSync(logDir).sort()).toContain('9.compact');
    expect(fs.readFileSync(path.join(logDir, '9.compact'), 'utf8').split('\n').length).toBe(11);
    const again = p.createStream(ctx(opts, p.sourceSchema(opts, undefined)));
    expect(await again.latestOffset(o, again.getDefaultReadLimit())).toEqual(o);
    expect(await again.getBatch({ logOffset: 8 }, { logOffset: 9 })).toEqual([['line 9']]);
  });

  it('text source with maxBytesPerTrigger and latestFirst', async () => {
    write('1.txt', 'aaaa\n', 1_700_000_001);
    write('2.txt', 'bbbb\n', 1_700_000_002);
    const p = lookupSource('text');
    const opts = { path: path.join(dir, 'in'), maxBytesPerTrigger: '6', latestFirst: 'true' };
    const s = p.createStream(ctx(opts, p.sourceSchema(opts, undefined)));
    const o1 = await s.latestOffset({ logOffset: -1 }, s.getDefaultReadLimit());
    expect(await s.getBatch({ logOffset: -1 }, o1)).toEqual([['bbbb']]);
    expect(() => p.sourceSchema({ ...opts, maxFilesPerTrigger: '1' }, undefined)).toThrow(/can not both/);
  });
});
