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
import { RatePerMicroBatchStream } from '../sources/rate-source.js';
import { setChunkRows } from './chunks.js';
import type { StreamingQuery } from './index.js';
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
});
