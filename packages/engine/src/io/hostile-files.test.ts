/**
 * Hostile data files: compressed files are read by extension (a `.json.gz` used to become one corrupt
 * record, or vanish under DROPMALFORMED), an unsupported codec says so, and a JSON line nested
 * thousands deep is a malformed record (Jackson's nesting limit in Spark) instead of a stack overflow —
 * in batch reads and in a PERMISSIVE stream.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { Session } from '../session/session.js';
import { getMemoryTable } from '../sinks/memory-sink.js';
import '../streaming/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-hostile-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const session = Session.builder().appName('hostile-files').create();

function folder(name: string, files: Record<string, Buffer | string>): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d);
  for (const [f, content] of Object.entries(files)) fs.writeFileSync(path.join(d, f), content);
  return d;
}

const lines = '{"a":1}\n{"a":2}\n';
const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const deepObject = `{"a":${'{"b":'.repeat(5000)}1${'}'.repeat(5000)}}`;

describe('compressed files', () => {
  it('reads .json.gz, .csv.gz and .deflate like the plain files, in DROPMALFORMED mode too', async () => {
    const d = folder('gz', {
      'part-0.json.gz': gzipSync(lines),
      'part-1.json.deflate': deflateSync('{"a":3}\n'),
      'part-2.json': '{"a":4}\n',
    });
    const rows = await session.read.schema('a INT').option('mode', 'DROPMALFORMED').json(d).collect();
    expect(rows.map((r) => r.get('a')).sort()).toEqual([1, 2, 3, 4]);
    const csv = folder('csvgz', { 'x.csv.gz': gzipSync('a,b\n1,x\n2,y\n') });
    expect((await session.read.option('header', 'true').csv(csv).collect()).map((r) => r.toJSON())).toEqual([
      { a: '1', b: 'x' },
      { a: '2', b: 'y' },
    ]);
  });

  it('a codec it cannot decode, or a .gz that is not gzip, fails with the file named', async () => {
    const bz = folder('bz2', { 'x.json.bz2': 'BZh91AY&SY' });
    const notGzip = folder('notgz', { 'x.json.gz': lines });
    const failure = async (d: string) => {
      try {
        await session.read.schema('a INT').json(d).collect();
      } catch (e) {
        expect(e).toBeInstanceOf(SluiceError);
        return (e as Error).message;
      }
      throw new Error('did not fail');
    };
    expect(await failure(bz)).toMatch(/x\.json\.bz2: the \.bz2 compression codec is not supported/);
    expect(await failure(notGzip)).toMatch(/x\.json\.gz: it is not valid gzip data/);
  });
});

describe('JSON nested deeper than 1000 levels', () => {
  it('is a malformed record in a batch read, with or without a schema', async () => {
    const d = folder('deep', { 'x.json': `{"a":1}\n${deep}\n${deepObject}\n{"a":2}\n` });
    const withSchema = await session.read.schema('a INT, _corrupt_record STRING').json(d).collect();
    expect(withSchema.map((r) => r.get('a'))).toEqual([1, null, null, 2]);
    expect(withSchema[2]?.get('_corrupt_record')).toBe(deepObject);
    const inferred = session.read.json(d);
    expect(inferred.columns).toEqual(['_corrupt_record', 'a']);
    expect(await inferred.collect()).toHaveLength(4);
  });

  it('is a malformed record in a PERMISSIVE stream, which keeps running', async () => {
    const d = folder('deep-stream', { 'x.json': `{"a":1}\n${deepObject}\n{"a":2}\n` });
    const q = session.readStream
      .schema('a INT, _corrupt_record STRING')
      .json(d)
      .writeStream.format('memory')
      .queryName('deep_json_stream')
      .start();
    try {
      await q.processAllAvailable();
      const rows = getMemoryTable('deep_json_stream')?.rows ?? [];
      expect(rows.map((r) => r[0])).toEqual([1, null, 2]);
      expect(q.isActive).toBe(true);
    } finally {
      await q.stop();
    }
  });

  it('schema_of_json refuses it with INVALID_JSON_SCHEMA', async () => {
    expect(() => session.sql(`SELECT schema_of_json('${deep}')`)).toThrow(/INVALID_JSON_SCHEMA/);
  });
});
