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
import { waitFor } from './test-support/wait-for.js';
import { ManualClock } from './trigger-clock.js';

// docs/decisions/0011: a trigger after a batch with data plans its batch from what the source
// holds (availableOffset) and asks latestOffset when its last answer is a second old, after an idle
// trigger that asked, and, when the source holds nothing new, only for a processAllAvailable() waiter.

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
  /** Every latestOffset call, with new data or not. */
  latestCalls = 0;
  reads = 0;
  constructor(private readonly onRead: (reads: number, src: ScriptedSource) => void) {}
  initialOffset(): Offset {
    return 0;
  }
  getDefaultReadLimit() {
    return { kind: 'all' } as const;
  }
  latestOffset(start: Offset): Offset {
    this.latestCalls++;
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

/**
 * A source that wakes the query (`subscribe`) as records arrive. `arriveWhilePlanning` records
 * arrive while a trigger reads what it holds and finds nothing new: after the trigger looked,
 * before the query sleeps.
 */
class PushingSource extends ScriptedSource {
  private listener: (() => void) | undefined;
  arriveWhilePlanning = 0;
  subscribe(listener: (rows: Row[]) => void): () => void {
    this.listener = () => listener([]);
    return () => {
      this.listener = undefined;
    };
  }
  override availableOffset(start: Offset): Offset {
    const end = super.availableOffset(start);
    if (this.arriveWhilePlanning > 0 && end === start) {
      this.held = Number(start) + this.arriveWhilePlanning;
      this.arriveWhilePlanning = 0;
      this.listener?.();
    }
    return end;
  }
}

function startQuery(
  source: ScriptedSource,
  format: string,
  clock: ManualClock,
  conf: Record<string, number> = {},
) {
  registerSource(format, { format, sourceSchema: () => source.schema, createStream: () => source });
  const s = Session.builder().create();
  for (const [k, v] of Object.entries(conf)) s.conf.set(k, v);
  s.streams.triggerClock = clock;
  const ckpt = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-busy-'));
  dirs.push(ckpt);
  const q = s.readStream
    .format(format)
    .load()
    .writeStream.format('memory')
    .queryName(format.replace(/-/g, '_'))
    .option('checkpointLocation', ckpt)
    .start();
  return { s, q };
}

/** The memory table holds 1..n, each once: no record lost or written twice across the batches. */
async function expectEachOnce(s: Session, table: string, n: number): Promise<void> {
  const rows = await s.sql(`SELECT n FROM ${table} ORDER BY n`).collectValues();
  expect(rows.map((r) => r[0])).toEqual(Array.from({ length: n }, (_, i) => i + 1));
}

describe('a busy micro-batch stream', () => {
  it('with nothing new held and no one waiting, waits for the source instead of asking latestOffset, until its answer is a second old', async () => {
    const clock = new ManualClock(2_000_000);
    const source = new ScriptedSource(() => undefined);
    source.latest = 3;
    const { s, q } = startQuery(source, 'scripted-held-idle', clock);
    const endOffsets = () => q.recentProgress.map((p) => p.sources[0]!.endOffset);
    try {
      // A batch with data, no processAllAvailable(): the stream is busy from here on.
      await waitFor(() => endOffsets().includes(3), 10_000, 'the batch to 3');
      expect(source.plans).toEqual(['latest:3']);
      // The source holds nothing new: idle triggers, no request.
      const asked = source.latestCalls;
      await new Promise((r) => setTimeout(r, 100)); // several polling delays
      expect(source.latestCalls).toBe(asked);
      // New records held: planned from them, still without a request.
      source.held = 6;
      await waitFor(() => endOffsets().includes(6), 10_000, 'the batch to 6');
      expect(source.plans).toEqual(['latest:3', 'held:6']);
      expect(source.latestCalls).toBe(asked);
      // Its last answer a second old: asked again.
      source.latest = 6;
      clock.advance(1000);
      await waitFor(() => source.latestCalls > asked, 10_000, 'latestOffset asked');
      // A waiter gets the brokers' answer.
      source.latest = 9;
      await q.processAllAvailable();
      expect(source.plans.slice(2)).toEqual(['latest:9']);
      await expectEachOnce(s, 'scripted_held_idle', 9);
    } finally {
      await q.stop();
    }
  });

  it('does not lose a wake-up that comes between a trigger finding nothing and the query sleeping', async () => {
    const source = new PushingSource((reads, src) => {
      // Records arrive while the next trigger plans (after this batch, the stream is busy).
      if (reads === 1) (src as PushingSource).arriveWhilePlanning = 4;
    });
    source.latest = 3;
    // A lost wake-up would leave the query asleep for a minute.
    const { q } = startQuery(source, 'scripted-late-wake', new ManualClock(3_000_000), {
      'spark.sql.streaming.pollingDelay': 60_000,
    });
    try {
      await waitFor(
        () => q.recentProgress.some((p) => p.sources[0]!.endOffset === 7),
        10_000,
        'the batch of the records that woke the query',
      );
      expect(source.plans).toEqual(['latest:3', 'held:7']);
    } finally {
      await q.stop();
    }
  });

  it('ends its batches at what the source holds, asking latestOffset for a processAllAvailable() waiter when it holds nothing new, every second and after idling', async () => {
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
    const { s, q } = startQuery(source, 'scripted-busy', clock);
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
      await expectEachOnce(s, 'scripted_busy', 15);
    } finally {
      await q.stop();
    }
  });
});
