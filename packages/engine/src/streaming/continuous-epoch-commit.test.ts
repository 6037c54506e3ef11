import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { registerSink } from '../sinks/registry.js';
import type { Sink } from '../sinks/sink.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { field, struct, T } from '../sources/schema-util.js';
import type { Row } from '../types/data-type.js';
import { memoryStreamDF } from './index.js';
import { waitFor } from './test-support/wait-for.js';

// Trigger.Continuous commits an epoch beside the running loop (as Spark's epoch coordinator does):
// rows of the next epoch are processed while the sink flushes the previous one, an epoch's logs are
// written only once the sink has flushed it, and a failed flush fails the query.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A continuous sink whose epoch flushes (`addBatch`) wait until the test settles them. */
class HeldFlushSink implements Sink {
  readonly description = 'HeldFlushSink';
  readonly written: { epoch: number; n: number }[] = [];
  readonly flushes: { epoch: number; settle: (error?: Error) => void }[] = [];
  writeContinuous(epoch: number, rows: Row[]): void {
    for (const r of rows) this.written.push({ epoch, n: r[0] as number });
  }
  addBatch(epoch: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.flushes.push({ epoch, settle: (error) => (error ? reject(error) : resolve()) });
    });
  }
}

function start(sink: HeldFlushSink, ms: MemoryStream) {
  registerSink('held-flush', {
    format: 'held-flush',
    supportedOutputModes: ['append'],
    supportsContinuous: true,
    allowsTemporaryCheckpoint: true,
    createSink: () => sink,
  });
  const ckpt = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-epochs-'));
  dirs.push(ckpt);
  const q = memoryStreamDF(Session.builder().create(), ms)
    .writeStream.format('held-flush')
    .option('checkpointLocation', ckpt)
    .trigger({ continuous: '20 milliseconds' })
    .start();
  return { q, ckpt };
}

describe('continuous epoch commits', () => {
  it('go on beside the loop: the next epoch is processed while one flushes, and its logs follow the flush', async () => {
    const sink = new HeldFlushSink();
    const ms = new MemoryStream(struct(field('n', T.long)));
    const { q, ckpt } = start(sink, ms);
    try {
      ms.addData([[1]]);
      await waitFor(() => sink.flushes.length > 0 && sink.written.length === 1);
      // Epoch 0's flush is held: its commit is not written, and new rows still go through.
      const held = sink.flushes[0]!;
      ms.addData([[2]]);
      await waitFor(() => sink.written.length === 2);
      expect(sink.written[1]!.epoch).toBeGreaterThan(held.epoch);
      expect(fs.existsSync(path.join(ckpt, 'commits', String(held.epoch)))).toBe(false);
      // One epoch commits at a time: the next one waits for this flush.
      await new Promise((r) => setTimeout(r, 60));
      expect(sink.flushes).toHaveLength(1);
      held.settle();
      await waitFor(() => fs.existsSync(path.join(ckpt, 'commits', String(held.epoch))));
      await waitFor(() => sink.flushes.length > 1);
      for (const f of sink.flushes.slice(1)) f.settle();
      expect(q.exception).toBeNull();
    } finally {
      const stopping = q.stop();
      // Stopping commits the open epoch: let its flush through.
      await waitFor(() => {
        for (const f of sink.flushes) f.settle();
        return !q.isActive;
      });
      await stopping;
    }
    // Every epoch's progress counts the rows it wrote, also those the sink took at once.
    expect(q.recentProgress.reduce((a, p) => a + p.numInputRows, 0)).toBe(2);
    expect(q.recentProgress.reduce((a, p) => a + p.sink.numOutputRows, 0)).toBe(2);
  });

  it('a failed flush fails the query', async () => {
    const sink = new HeldFlushSink();
    const ms = new MemoryStream(struct(field('n', T.long)));
    const { q } = start(sink, ms);
    ms.addData([[1]]);
    await waitFor(() => sink.flushes.length > 0);
    sink.flushes[0]!.settle(new Error('broker said no'));
    await expect(q.awaitTermination()).rejects.toThrow(/broker said no/);
  });
});
