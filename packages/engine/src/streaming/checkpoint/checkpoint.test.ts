import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamingQueryError } from '../../errors.js';
import { StreamCheckpoint } from './checkpoint.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ckpt-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('StreamCheckpoint', () => {
  it('writes Spark-compatible offsets, commits and metadata files', async () => {
    const ck = new StreamCheckpoint(dir);
    const id = ck.getOrCreateQueryId();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'metadata'), 'utf8'))).toEqual({ id });
    expect(new StreamCheckpoint(dir).getOrCreateQueryId()).toBe(id);

    ck.offsets.add(0, {
      metadata: {
        batchWatermarkMs: 0,
        batchTimestampMs: 1700000000000,
        conf: { 'spark.sql.shuffle.partitions': '1' },
      },
      offsets: ['{"logOffset":3}', null],
    });
    expect(fs.readFileSync(path.join(dir, 'offsets', '0'), 'utf8')).toBe(
      'v1\n{"batchWatermarkMs":0,"batchTimestampMs":1700000000000,"conf":{"spark.sql.shuffle.partitions":"1"}}\n{"logOffset":3}\n-',
    );
    ck.commits.add(0, { nextBatchWatermarkMs: 5 });
    expect(fs.readFileSync(path.join(dir, 'commits', '0'), 'utf8')).toBe('v1\n{"nextBatchWatermarkMs":5}');

    const again = new StreamCheckpoint(dir);
    expect(again.offsets.get(0)?.offsets).toEqual(['{"logOffset":3}', null]);
    expect(again.offsets.getLatest()?.batchId).toBe(0);
    expect(again.commits.get(0)).toEqual({ nextBatchWatermarkMs: 5 });
    expect(again.commits.get(1)).toBeUndefined();
  });

  it('never overwrites an existing entry and leaves no temp files', async () => {
    const ck = new StreamCheckpoint(dir);
    const meta = { batchWatermarkMs: 0, batchTimestampMs: 1, conf: {} };
    expect(ck.offsets.add(3, { metadata: meta, offsets: ['1'] })).toBe(true);
    expect(ck.offsets.add(3, { metadata: meta, offsets: ['2'] })).toBe(false);
    expect(ck.offsets.get(3)?.offsets).toEqual(['1']);
    expect(fs.readdirSync(path.join(dir, 'offsets'))).toEqual(['3']);
  });

  it('purges old entries but keeps the newest ones', async () => {
    const ck = new StreamCheckpoint(dir);
    for (let i = 0; i < 10; i++) {
      ck.offsets.add(i, {
        metadata: { batchWatermarkMs: 0, batchTimestampMs: i, conf: {} },
        offsets: [String(i)],
      });
      ck.commits.add(i, { nextBatchWatermarkMs: 0 });
    }
    await ck.purge(9, 3);
    expect(ck.offsets.listBatchIds()).toEqual([7, 8, 9]);
    expect(ck.commits.listBatchIds()).toEqual([7, 8, 9]);
  });

  it('reports a corrupt or unknown-version file with its path', async () => {
    const ck = new StreamCheckpoint(dir);
    fs.mkdirSync(path.join(dir, 'offsets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'offsets', '0'), 'v1\n{not json');
    expect(() => ck.offsets.get(0)).toThrow(StreamingQueryError);
    expect(() => ck.offsets.get(0)).toThrow(path.join(dir, 'offsets', '0'));
    fs.writeFileSync(path.join(dir, 'offsets', '1'), 'v9\n{}\n1');
    expect(() => ck.offsets.get(1)).toThrow(/maximum supported log version is v1, but encountered v9/);
    fs.mkdirSync(path.join(dir, 'commits'));
    fs.writeFileSync(path.join(dir, 'commits', '0'), 'garbage');
    expect(() => ck.commits.get(0)).toThrow(/Log file was malformed/);
    fs.writeFileSync(path.join(dir, 'metadata'), '{"nope":1}');
    expect(() => ck.readMetadata()).toThrow(path.join(dir, 'metadata'));
  });
});
