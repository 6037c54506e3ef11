import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { registerSource } from '../sources/registry.js';
import { field, struct, T } from '../sources/schema-util.js';
import type { MicroBatchStream, Offset } from '../sources/source.js';
import type { Row } from '../types/data-type.js';
import './index.js';
import { ManualClock } from './trigger-clock.js';

// docs/decisions/0011: a trigger after a batch with data plans its batch from what the source
// holds (availableOffset) and asks latestOffset only when the source holds nothing new, when its
// last answer is a second old, or after an idle trigger.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A source whose held and latest offsets a script moves as batches are read. */
class ScriptedSource implements MicroBatchStream {
  readonly description = 'ScriptedSource';
  readonly schema = struct(field('n', T.long));
  held = 0;
  latest = 0;
  /** Which method answered each plan that had new data, with the end it gave. */
  readonly plans: string[] = [];
  reads = 0;
  constructor(private readonly onRead: (reads: number, src: ScriptedSource) => void) {}
  initialOffset(): Offset {
    return 0;
  }
  getDefaultReadLimit() {
    return { kind: 'all' } as const;
  }
  latestOffset(start: Offset): Offset {
    if (this.latest > Number(start)) this.plans.push(`latest:${this.latest}`);
    return this.latest;
  }
  availableOffset(start: Offset): Offset {
    const end = Math.max(this.held, Number(start));
    if (end > Number(start)) this.plans.push(`held:${end}`);
    return end;
  }
  getBatch(start: Offset, end: Offset): Row[] {
    const rows: Row[] = [];
    for (let n = Number(start) + 1; n <= Number(end); n++) rows.push([n]);
    this.onRead(++this.reads, this);
    return rows;
  }
  commit(): void {}
  stop(): void {}
  deserializeOffset(json: string): Offset {
    return JSON.parse(json) as Offset;
  }
}

describe('a busy micro-batch stream', () => {
  it('ends its batches at what the source holds, asking latestOffset when it holds nothing new, every second and after idling', async () => {
    const clock = new ManualClock(1_000_000);
    const source = new ScriptedSource((reads, src) => {
      // Records arrive while a batch runs: the source holds some, the brokers have more.
      if (reads === 1) Object.assign(src, { held: 5, latest: 8 });
      if (reads === 2) {
        Object.assign(src, { held: 7, latest: 10 });
        clock.advance(1000); // the next plan finds latestOffset's answer a second old
      }
      if (reads === 3) Object.assign(src, { held: 12, latest: 12 });
    });
    source.latest = 3;
    registerSource('scripted-busy', {
      format: 'scripted-busy',
      sourceSchema: () => source.schema,
      createStream: () => source,
    });
    const s = Session.builder().create();
    s.streams.triggerClock = clock;
    const ckpt = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-busy-'));
    dirs.push(ckpt);
    const q = s.readStream
      .format('scripted-busy')
      .load()
      .writeStream.format('memory')
      .queryName('busy_batches')
      .option('checkpointLocation', ckpt)
      .start();
    try {
      await q.processAllAvailable();
      expect(source.plans).toEqual(['latest:3', 'held:5', 'latest:10', 'held:12']);
      expect(q.recentProgress.filter((p) => p.numInputRows > 0).map((p) => p.sources[0]!.endOffset)).toEqual([
        3, 5, 10, 12,
      ]);
      // After idle triggers, the brokers are asked first even when the source holds new records.
      Object.assign(source, { held: 14, latest: 15 });
      await q.processAllAvailable();
      expect(source.plans.slice(4)).toEqual(['latest:15']);
      const rows = await s.sql('SELECT n FROM busy_batches ORDER BY n').collectValues();
      expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    } finally {
      await q.stop();
    }
  });
});
