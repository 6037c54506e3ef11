import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { col } from '../dataframe/functions.js';
import { Session } from '../session/session.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

describe('batch readers', () => {
  const s = Session.builder().create();

  it('reads CSV with header, inferSchema, quotes and nullValue', async () => {
    const p = write(
      'a.csv',
      'id,name,price,day\n1,"Smith, J",2.5,2024-01-02\n2,Lee,3,2024-01-03\n3,"say ""hi""",NA,\n',
    );
    const df = s.read.option('header', 'true').option('inferSchema', 'true').option('nullValue', 'NA').csv(p);
    expect(df.dtypes).toEqual([
      ['id', 'int'],
      ['name', 'string'],
      ['price', 'double'],
      ['day', 'date'],
    ]);
    expect(await df.select('id', 'name', 'price').collectValues()).toEqual([
      [1, 'Smith, J', 2.5],
      [2, 'Lee', 3],
      [3, 'say "hi"', null],
    ]);
  });

  it('CSV parse modes and _corrupt_record', async () => {
    const p = write('bad.csv', 'a,b\n1,x\noops,y\n3,z\n');
    const schema = 'a INT, b STRING, _corrupt_record STRING';
    const permissive = await s.read.schema(schema).option('header', 'true').csv(p).collectValues();
    expect(permissive).toEqual([
      [1, 'x', null],
      [null, 'y', 'oops,y'],
      [3, 'z', null],
    ]);
    const dropped = s.read
      .schema('a INT, b STRING')
      .option('header', 'true')
      .option('mode', 'DROPMALFORMED')
      .csv(p);
    expect(await dropped.collectValues()).toEqual([
      [1, 'x'],
      [3, 'z'],
    ]);
    // Files are read when the DataFrame is loaded: FAILFAST fails there.
    expect(() =>
      s.read.schema('a INT, b STRING').option('header', 'true').option('mode', 'FAILFAST').csv(p),
    ).toThrow(/MALFORMED_RECORD_IN_PARSING/);
  });

  it('reads JSON lines with inference (sorted fields, bigint, corrupt records)', async () => {
    const p = write('j/x.json', '{"b": 1, "a": "x"}\n{"b": 2.5, "c": [1,2]}\nnot json\n');
    const df = s.read.json(p);
    expect(df.columns).toEqual(['_corrupt_record', 'a', 'b', 'c']);
    expect(df.dtypes.map((d) => d[1])).toEqual(['string', 'string', 'double', 'array<bigint>']);
    expect(await df.collectValues()).toEqual([
      [null, 'x', 1, null],
      [null, null, 2.5, [1, 2]],
      ['not json', null, null, null],
    ]);
  });

  it('reads multiLine JSON, directories with partitions, and text', async () => {
    write('m/one.json', '[{"v": 1}, {"v": 2}]');
    expect(await s.read.option('multiLine', 'true').json(path.join(dir, 'm')).collectValues()).toEqual([
      [1],
      [2],
    ]);
    write('p/day=1/x.json', '{"v": 10}\n');
    write('p/day=2/x.json', '{"v": 20}\n');
    write('p/_SUCCESS', '');
    const df = s.read.json(path.join(dir, 'p'));
    expect(df.dtypes).toEqual([
      ['v', 'bigint'],
      ['day', 'int'],
    ]);
    expect(await df.orderBy('v').collectValues()).toEqual([
      [10, 1],
      [20, 2],
    ]);
    const t = write('t.txt', 'hello\nworld\n');
    expect(await s.read.text(t).collectValues()).toEqual([['hello'], ['world']]);
  });

  it('writes and reads back json, csv and parquet with partitionBy and save modes', async () => {
    const df = s.createDataFrame(
      [
        [1, 'a', 1.5, true],
        [2, 'b', null, false],
        [3, 'a', 3.25, null],
      ],
      'id BIGINT, k STRING, v DOUBLE, f BOOLEAN',
    );
    for (const fmt of ['json', 'csv', 'parquet'] as const) {
      const out = path.join(dir, `out-${fmt}`);
      await df.write.format(fmt).option('header', 'true').partitionBy('k').save(out);
      expect(fs.existsSync(path.join(out, '_SUCCESS'))).toBe(true);
      expect(fs.readdirSync(out).sort()).toEqual(['_SUCCESS', 'k=a', 'k=b']);
      await expect(df.write.format(fmt).save(out)).rejects.toThrow(/PATH_ALREADY_EXISTS/);
      const back = s.read
        .format(fmt)
        .option('header', 'true')
        .schema('id BIGINT, v DOUBLE, f BOOLEAN, k STRING')
        .load(out)
        .orderBy('id');
      expect(await back.collectValues()).toEqual([
        [1, 1.5, true, 'a'],
        [2, null, false, 'b'],
        [3, 3.25, null, 'a'],
      ]);
      await df.write.format(fmt).mode('append').option('header', 'true').partitionBy('k').save(out);
      expect(await s.read.format(fmt).option('header', 'true').load(out).count()).toBe(6);
    }
    // Parquet keeps the schema in the file.
    const pq = path.join(dir, 'typed');
    await df.select(col('id'), col('v')).write.mode('overwrite').parquet(pq);
    expect(s.read.parquet(pq).dtypes).toEqual([
      ['id', 'bigint'],
      ['v', 'double'],
    ]);
  });

  it('CSV round trip keeps separators, quotes and newlines inside values (multiLine)', async () => {
    const tricky = s.createDataFrame(
      [
        [1, 'a,b'],
        [2, 'say "hi"'],
        [3, 'line1\nline2'],
        [4, null],
      ],
      'id INT, v STRING',
    );
    const out = path.join(dir, 'tricky-csv');
    await tricky.write.option('header', 'true').csv(out);
    const back = await s.read
      .option('header', 'true')
      .option('multiLine', 'true')
      .schema('id INT, v STRING')
      .csv(out)
      .orderBy('id')
      .collectValues();
    expect(back).toEqual([
      [1, 'a,b'],
      [2, 'say "hi"'],
      [3, 'line1\nline2'],
      [4, null],
    ]);
  });

  it('writes JSON and CSV timestamps and dates in the timestampFormat and dateFormat options', async () => {
    const df = s.sql("SELECT TIMESTAMP '2024-01-02 03:04:05.678' AS ts, DATE '2024-02-29' AS d, 'x' AS v");
    const lines = (dirPath: string, ext: string) =>
      fs
        .readdirSync(dirPath)
        .filter((f) => f.endsWith(ext))
        .flatMap((f) => fs.readFileSync(path.join(dirPath, f), 'utf8').trim().split('\n'));
    const json = path.join(dir, 'formats-json');
    await df.write
      .option('timestampformat', 'yyyy/MM/dd HH:mm:ss')
      .option('dateFormat', 'dd.MM.yyyy')
      .json(json);
    expect(lines(json, '.json')).toEqual(['{"ts":"2024/01/02 03:04:05","d":"29.02.2024","v":"x"}']);
    const csv = path.join(dir, 'formats-csv');
    await df.write
      .option('timestampFormat', "HH:mm 'on' yyyy-MM-dd")
      .option('dateFormat', 'yyyyMMdd')
      .csv(csv);
    expect(lines(csv, '.csv')).toEqual(['03:04 on 2024-01-02,20240229,x']);
    // without the options: Spark's defaults
    const plain = path.join(dir, 'formats-default');
    await df.write.json(plain);
    expect(lines(plain, '.json')).toEqual(['{"ts":"2024-01-02T03:04:05.678Z","d":"2024-02-29","v":"x"}']);
  });
});
