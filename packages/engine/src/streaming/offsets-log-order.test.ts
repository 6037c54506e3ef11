import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { registerSink } from '../sinks/registry.js';
import type { BatchWriter, Sink } from '../sinks/sink.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { field, struct, T } from '../sources/schema-util.js';
import { memoryStreamDF } from './index.js';

// The write-ahead log's order against the sink: a sink that uses the batch id sees the batch's
// offsets entry on disk before its first row; an at-least-once sink (Spark's Kafka sink) may get
// and acknowledge rows while the entry (and the previous batch's commit) is being written, and the
// batch's commit is written after the sink's.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Records, at each write and commit, whether `offsets/<batchId>` was on disk. */
class OrderSink implements Sink {
  readonly description = 'OrderSink';
  readonly seen: string[] = [];
  checkpoint = '';
  constructor(readonly atLeastOnce: boolean) {}
  addBatch(): void {}
  async openBatch(batchId: number): Promise<BatchWriter> {
    const logged = () => fs.existsSync(path.join(this.checkpoint, 'offsets', String(batchId)));
    const previousCommitted = () =>
      batchId === 0 || fs.existsSync(path.join(this.checkpoint, 'commits', String(batchId - 1)));
    return {
      write: async () => {
        if (!this.atLeastOnce) this.seen.push(`write ${batchId} logged=${logged()}`);
      },
      commit: async () => {
        const committed = fs.existsSync(path.join(this.checkpoint, 'commits', String(batchId)));
        if (this.atLeastOnce) this.seen.push(`commit ${batchId} committed=${committed}`);
        else
          this.seen.push(
            `commit ${batchId} logged=${logged()} previous committed=${previousCommitted()} committed=${committed}`,
          );
      },
      abort: async () => {},
    };
  }
}

/** A query from a memory stream into `sink` (registered as `format`) with a checkpoint of its own. */
function startInto(sink: OrderSink, format: string) {
  registerSink(format, { format, supportedOutputModes: ['append'], createSink: () => sink });
  const ckpt = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-wal-order-'));
  dirs.push(ckpt);
  sink.checkpoint = ckpt;
  const ms = new MemoryStream(struct(field('n', T.long)));
  const q = memoryStreamDF(Session.builder().create(), ms)
    .writeStream.format(format)
    .option('checkpointLocation', ckpt)
    .start();
  return { ckpt, ms, q };
}

describe('the offsets entry and the sink', () => {
  for (const atLeastOnce of [false, true]) {
    it(`${atLeastOnce ? 'an at-least-once sink commits before the batch does' : "a sink using the batch id writes only after the batch's entry is on disk"}`, async () => {
      const sink = new OrderSink(atLeastOnce);
      const { ckpt, ms, q } = startInto(sink, 'order-sink');
      try {
        for (let n = 0; n < 5; n++) {
          ms.addData([[n]]);
          await q.processAllAvailable();
          // processAllAvailable() returns once the batch's entry and commit are on disk.
          expect(fs.existsSync(path.join(ckpt, 'offsets', String(n)))).toBe(true);
          expect(fs.existsSync(path.join(ckpt, 'commits', String(n)))).toBe(true);
        }
      } finally {
        await q.stop();
      }
      const expected = [0, 1, 2, 3, 4].flatMap((b) =>
        atLeastOnce
          ? [`commit ${b} committed=false`]
          : [`write ${b} logged=true`, `commit ${b} logged=true previous committed=true committed=false`],
      );
      expect(sink.seen).toEqual(expected);
    });
  }

  it("an at-least-once sink's batch fails the query when its offsets entry cannot be written", async () => {
    const { ckpt, ms, q } = startInto(new OrderSink(true), 'order-sink-failing');
    ms.addData([[0]]);
    await q.processAllAvailable();
    // Another writer got there first: batch 1's offsets entry cannot be created.
    fs.writeFileSync(path.join(ckpt, 'offsets', '1'), 'v1\n{}\n0');
    ms.addData([[1]]);
    await expect(q.awaitTermination()).rejects.toThrow(
      /Another instance of this query wrote .*offsets\/1 first/,
    );
    expect(q.exception?.errorClass).toBe('CONCURRENT_QUERY');
    expect(fs.existsSync(path.join(ckpt, 'commits', '1'))).toBe(false);
  });
});
