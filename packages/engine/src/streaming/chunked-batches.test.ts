/**
 * A batch flows from a chunked source to the sink chunk by chunk (docs/decisions/0002): the source's
 * whole-batch `getBatch` is never called, stateless and stateful plans give the same answers, and a
 * plan that needs the whole batch (a stream-static join) gathers the chunks first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { col, count, sum } from '../dataframe/functions.js';
import { Session } from '../session/session.js';
import { FileStream } from '../sources/file-source.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { RatePerMicroBatchStream } from '../sources/rate-source.js';
import { parseTableSchema } from '../sql/index.js';
import { setChunkRows } from './chunks.js';
import { memoryStreamDF, type StreamingQuery } from './index.js';
import './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  setChunkRows(4096);
  vi.restoreAllMocks();
});

function rate(s: Session, rows: number) {
  return s.readStream.format('rate-micro-batch').option('rowsPerBatch', rows).load();
}

describe('chunked micro-batches', () => {
  it('reads, runs and writes a 50,000-row batch in 1,000-row chunks, never whole', async () => {
    setChunkRows(1000);
    const whole = vi.spyOn(RatePerMicroBatchStream.prototype, 'getBatch').mockImplementation(() => {
      throw new Error('getBatch must not be called: the batch is read in chunks');
    });
    const chunks = vi.spyOn(RatePerMicroBatchStream.prototype, 'getBatchChunks');
    const s = Session.builder().create();
    const ck = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-chunked-'));
    dirs.push(ck);
    const stateless = rate(s, 50_000)
      .where(col('value').mod(10).equalTo(0))
      .writeStream.format('memory')
      .queryName('chunked_filter')
      .trigger({ availableNow: true })
      .option('checkpointLocation', path.join(ck, 'a'))
      .start() as StreamingQuery;
    await stateless.awaitTermination();
    const stateful = rate(s, 50_000)
      .groupBy(col('value').mod(7).as('k'))
      .agg(count('*').as('n'), sum('value').as('total'))
      .writeStream.format('memory')
      .queryName('chunked_agg')
      .outputMode('complete')
      .trigger({ availableNow: true })
      .option('checkpointLocation', path.join(ck, 'b'))
      .start() as StreamingQuery;
    await stateful.awaitTermination();
    expect(whole).not.toHaveBeenCalled();
    expect(chunks).toHaveBeenCalled();
    expect((await s.sql('SELECT count(*), sum(value) FROM chunked_filter').collectValues())[0]).toEqual([
      5000,
      // 0 + 10 + ... + 49990
      (5000 * 49_990) / 2,
    ]);
    const agg = await s.sql('SELECT sum(n), sum(total) FROM chunked_agg').collectValues();
    expect(agg[0]).toEqual([50_000, (50_000 * 49_999) / 2]);
    expect(stateless.lastProgress?.numInputRows ?? stateless.recentProgress[0]?.numInputRows).toBe(50_000);
    expect(stateless.recentProgress[0]?.sink.numOutputRows).toBe(5000);
  });

  it('gathers the chunks for a plan that needs the whole batch (a stream-static join)', async () => {
    setChunkRows(100);
    const s = Session.builder().create();
    const names = s.createDataFrame(
      [
        [0, 'zero'],
        [1, 'one'],
      ],
      'k LONG, name STRING',
    );
    const q = rate(s, 1000)
      .select(col('value').mod(2).as('k'))
      .join(names, 'k')
      .groupBy('name')
      .agg(count('*').as('n'))
      .writeStream.format('memory')
      .queryName('chunked_join')
      .outputMode('complete')
      .trigger({ availableNow: true })
      .start() as StreamingQuery;
    await q.awaitTermination();
    const rows = await s.sql('SELECT name, n FROM chunked_join ORDER BY name').collectValues();
    expect(rows.map((r) => [...r])).toEqual([
      ['one', 500],
      ['zero', 500],
    ]);
  });

  it('reads a memory stream and a file stream in chunks, never whole, with the same answers', async () => {
    setChunkRows(64);
    const wholeMemory = vi.spyOn(MemoryStream.prototype, 'getBatch').mockImplementation(() => {
      throw new Error('MemoryStream.getBatch must not be called: the batch is read in chunks');
    });
    const wholeFile = vi.spyOn(FileStream.prototype, 'getBatch').mockImplementation(() => {
      throw new Error('FileStream.getBatch must not be called: the batch is read in chunks');
    });
    const fileChunks = vi.spyOn(FileStream.prototype, 'getBatchChunks');
    const s = Session.builder().create();
    const schema = parseTableSchema('k STRING, v LONG');
    const ms = new MemoryStream(schema);
    const counts = memoryStreamDF(s, ms)
      .groupBy('k')
      .agg(count('*').as('n'), sum('v').as('total'))
      .writeStream.format('memory')
      .queryName('chunked_memory')
      .outputMode('complete')
      .start() as StreamingQuery;
    // Two addData calls in one batch, each larger than a chunk.
    ms.addData(Array.from({ length: 300 }, (_, i) => [i % 2 === 0 ? 'even' : 'odd', i]));
    ms.addData(Array.from({ length: 100 }, (_, i) => ['even', 1000 + i]));
    await counts.processAllAvailable();
    await counts.stop();
    expect(
      (await s.sql('SELECT k, n, total FROM chunked_memory ORDER BY k').collectValues()).map((r) => [...r]),
    ).toEqual([
      // 0 + 2 + ... + 298 = 22,350; 1000 + ... + 1099 = 104,950
      ['even', 250, 22_350 + 104_950],
      // 1 + 3 + ... + 299
      ['odd', 150, 22_500],
    ]);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-chunked-files-'));
    dirs.push(dir);
    for (let f = 0; f < 3; f++) {
      const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ k: `f${f}`, v: i }));
      fs.writeFileSync(path.join(dir, `part-${f}.json`), `${lines.join('\n')}\n`);
    }
    const files = s.readStream
      .schema('k STRING, v LONG')
      .json(dir)
      .where(col('v').geq(150))
      .writeStream.format('memory')
      .queryName('chunked_files')
      .trigger({ availableNow: true })
      .start() as StreamingQuery;
    await files.awaitTermination();
    expect(wholeMemory).not.toHaveBeenCalled();
    expect(wholeFile).not.toHaveBeenCalled();
    expect(fileChunks).toHaveBeenCalledTimes(1);
    expect(
      (
        await s.sql('SELECT k, count(*), sum(v) FROM chunked_files GROUP BY k ORDER BY k').collectValues()
      ).map((r) => [...r]),
    ).toEqual([
      // 150 + ... + 199 = 8,725 in each file
      ['f0', 50, 8725],
      ['f1', 50, 8725],
      ['f2', 50, 8725],
    ]);
    expect(files.recentProgress[0]?.numInputRows).toBe(600);
  });
});
