import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { col, count } from '../dataframe/functions.js';
import { AnalysisError } from '../errors.js';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { field, struct, T } from '../sources/schema-util.js';
import { memoryStreamDF, type StreamingQuery } from './index.js';
import { ManualClock } from './trigger-clock.js';

// asyncProgressTrackingEnabled (docs/decisions/0010), against Spark's
// AsyncProgressTrackingMicroBatchExecution: which batches reach the logs, restart over a log with
// gaps, a failed write, and what start() refuses.

const dirs: string[] = [];
function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-async-${prefix}-`));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const running: StreamingQuery[] = [];
afterEach(async () => {
  for (const q of running.splice(0)) await q.stop().catch(() => undefined);
});

const schema = struct(field('n', T.long));
let tableSeq = 0;

/** The batch ids of a checkpoint log on disk. */
function entries(ckpt: string, log: 'offsets' | 'commits'): number[] {
  return fs
    .readdirSync(path.join(ckpt, log))
    .filter((f) => /^\d+$/.test(f))
    .map(Number)
    .sort((a, b) => a - b);
}

function setup(intervalMs: string) {
  const s = Session.builder().create();
  const clock = new ManualClock(1_000_000);
  s.streams.triggerClock = clock;
  const ms = new MemoryStream(schema);
  const ckpt = tmp('q');
  const name = `async_out_${++tableSeq}`;
  const start = () => {
    const q = memoryStreamDF(s, ms)
      .select(col('n').multiply(10).as('m'))
      .writeStream.format('memory')
      .queryName(name)
      .option('checkpointLocation', ckpt)
      .option('asyncProgressTrackingEnabled', 'true')
      .option('asyncProgressTrackingCheckpointIntervalMs', intervalMs)
      .start();
    running.push(q);
    return q;
  };
  const batch = async (q: StreamingQuery, ...ns: number[]) => {
    ms.addData(ns.map((n) => [n]));
    await q.processAllAvailable();
  };
  const table = async () =>
    (await s.sql(`SELECT m FROM ${name}`).collectValues()).map((r) => r[0] as number).sort((a, b) => a - b);
  return { s, clock, ckpt, start, batch, table };
}

describe('asynchronous progress tracking', () => {
  it('writes an offsets entry and its commit only when the interval has passed (the first batch always)', async () => {
    const { clock, ckpt, start, batch, table } = setup('1000');
    const q = start();
    await batch(q, 1);
    await batch(q, 2);
    await batch(q, 3);
    clock.advance(1000);
    await batch(q, 4);
    await batch(q, 5);
    await q.stop();
    expect(q.exception).toBeNull();
    expect(q.lastProgress!.batchId).toBe(4);
    expect(await table()).toEqual([10, 20, 30, 40, 50]);
    expect(entries(ckpt, 'offsets')).toEqual([0, 3]);
    expect(entries(ckpt, 'commits')).toEqual([0, 3]);
    expect(fs.readFileSync(path.join(ckpt, 'offsets', '3'), 'utf8')).toMatch(/^v1\n\{.*\}\n\d+$/);
  });

  it('interval 0 writes every batch', async () => {
    const { ckpt, start, batch } = setup('0');
    const q = start();
    for (let n = 1; n <= 4; n++) await batch(q, n);
    await q.stop();
    expect(entries(ckpt, 'offsets')).toEqual([0, 1, 2, 3]);
    expect(entries(ckpt, 'commits')).toEqual([0, 1, 2, 3]);
  });

  it('resumes after the last committed entry, and re-runs an uncommitted one from the entry before it on disk', async () => {
    const { clock, ckpt, start, batch, table } = setup('1000');
    const q1 = start();
    await batch(q1, 1);
    await batch(q1, 2);
    await batch(q1, 3);
    await q1.stop();
    expect(entries(ckpt, 'offsets')).toEqual([0]);
    expect(await table()).toEqual([10, 20, 30]);
    // Batches 1 and 2 never reached the log: their rows are read again after batch 0's end, as one
    // batch 1 (at least once; the memory table keeps what the first run wrote).
    const q2 = start();
    await q2.processAllAvailable();
    expect(q2.lastProgress).toMatchObject({ batchId: 1, numInputRows: 2 });
    await batch(q2, 4);
    clock.advance(1000);
    await batch(q2, 5);
    await q2.stop();
    expect(await table()).toEqual([10, 20, 20, 30, 30, 40, 50]);
    expect(entries(ckpt, 'offsets')).toEqual([0, 1, 3]);
    expect(entries(ckpt, 'commits')).toEqual([0, 1, 3]);

    // A crash after batch 3's offsets entry and before its commit: batch 3 re-runs with its logged
    // offsets, from the end of batch 1 (the entry before it on disk), so batch 2's rows too.
    fs.rmSync(path.join(ckpt, 'commits', '3'));
    const q3 = start();
    await q3.processAllAvailable();
    expect(q3.lastProgress).toMatchObject({ batchId: 3, numInputRows: 2 });
    await batch(q3, 6);
    expect(q3.lastProgress).toMatchObject({ batchId: 4, numInputRows: 1 });
    await q3.stop();
    expect(await table()).toEqual([10, 20, 20, 30, 30, 40, 40, 50, 50, 60]);
    // The re-run batch writes its commit (the first batch of a run always does), and batch 4, the
    // first offsets entry of this run, is written with its commit.
    expect(entries(ckpt, 'offsets')).toEqual([0, 1, 3, 4]);
    expect(entries(ckpt, 'commits')).toEqual([0, 1, 3, 4]);
  });

  it('a log with gaps is refused without the option, as an inconsistent checkpoint', async () => {
    const { s, clock, ckpt, start, batch } = setup('1000');
    const q = start();
    await batch(q, 1);
    await batch(q, 2);
    clock.advance(1000);
    await batch(q, 3);
    await q.stop();
    fs.rmSync(path.join(ckpt, 'commits', '2'));
    const plain = memoryStreamDF(s, new MemoryStream(schema))
      .writeStream.format('memory')
      .queryName('plain')
      .option('checkpointLocation', ckpt)
      .start();
    running.push(plain);
    await expect(plain.awaitTermination()).rejects.toThrow(
      /CHECKPOINT_INCONSISTENT|latest commit is batch 0/,
    );
  });

  it('a failed log write fails the query at its next trigger, naming the write', async () => {
    const { clock, ckpt, start, batch } = setup('1000');
    const q = start();
    await batch(q, 1);
    clock.advance(1000);
    // Another writer got there first: batch 1's offsets entry cannot be created.
    fs.writeFileSync(path.join(ckpt, 'offsets', '1'), 'v1\n{}\n0');
    // No batch after it: the idle triggers learn of the failure.
    await batch(q, 2).catch(() => undefined);
    await expect(q.awaitTermination()).rejects.toThrow(
      /Another instance of this query wrote .*offsets\/1 first/,
    );
    expect(q.exception?.errorClass).toBe('CONCURRENT_QUERY');
  });
});

describe('asynchronous progress tracking is refused at start() as Spark refuses it', () => {
  const s = Session.builder().create();
  const df = () => memoryStreamDF(s, new MemoryStream(schema));
  const refused = (f: () => unknown, message: RegExp) => {
    let err: unknown;
    try {
      (f() as StreamingQuery | undefined)?.stop();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnalysisError);
    expect((err as AnalysisError).message).toMatch(message);
  };
  const on = { asyncProgressTrackingEnabled: 'true', checkpointLocation: tmp('refused') };

  it('a sink other than kafka, console or memory', () => {
    refused(
      () =>
        df()
          .writeStream.options(on)
          .foreachBatch(async () => {})
          .start(),
      /Sink foreachBatch does not support async progress tracking/,
    );
    refused(
      () => df().writeStream.format('json').options(on).option('path', tmp('json')).start(),
      /Sink json does not support async progress tracking/,
    );
  });

  it('the exactly-once Kafka sink', () => {
    refused(
      () =>
        df()
          .selectExpr('CAST(n AS STRING) AS value')
          .writeStream.format('kafka')
          .options(on)
          .option('kafka.bootstrap.servers', '127.0.0.1:1')
          .option('topic', 't')
          .option('exactlyOnce', 'true')
          .start(),
      /exactly-once Kafka sink .* does not support async progress tracking/,
    );
  });

  it('Once and AvailableNow triggers, and stateful queries', () => {
    const mem = () => df().writeStream.format('memory').queryName('refused').options(on);
    refused(() => mem().trigger({ once: true }).start(), /cannot be used with Once trigger/);
    refused(() => mem().trigger({ availableNow: true }).start(), /cannot be used with AvailableNow trigger/);
    refused(
      () =>
        df()
          .groupBy('n')
          .agg(count('*'))
          .writeStream.format('memory')
          .queryName('refused_agg')
          .outputMode('complete')
          .options(on)
          .start(),
      /Stateful streaming queries does not support async progress tracking/,
    );
  });

  it('option values that are not a boolean or a number of milliseconds', () => {
    const mem = () => df().writeStream.format('memory').queryName('refused_opt').options(on);
    refused(
      () => mem().option('asyncProgressTrackingEnabled', 'yes').start(),
      /asyncProgressTrackingEnabled: expected true or false/,
    );
    refused(
      () => mem().option('asyncProgressTrackingCheckpointIntervalMs', '-5').start(),
      /asyncProgressTrackingCheckpointIntervalMs: expected a non-negative number/,
    );
  });
});
