import type { AggregateBuffer, BoundAggregate, BoundExpr } from '../../plan/expr-api.js';
import { compileExpr } from '../../plan/expr-api.js';
import type { OutputMode } from '../../sinks/sink.js';
import type { Row } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';
import { GroupIndex } from './group-index.js';
import { ShardedStateStore } from './sharded-state.js';
import {
  type BatchInfo,
  type RowSource,
  type StatefulOperator,
  type StatefulOperatorContext,
  stateProgress,
} from './stateful-operator.js';

/** Plain config of a streaming aggregation grouped by `session_window(ts, gap)` and other keys. */
export interface SessionWindowAggregateConfig {
  readonly operatorId: number;
  /**
   * The aggregate's grouping expressions over the input row extended with its event window
   * (`[...row, [ts, ts + gap]]`); `sessionIndex` is the one that is the session window.
   */
  readonly groupings: readonly BoundExpr[];
  readonly sessionIndex: number;
  /** The bound `session_window(ts, gap)` call over the input row: `[ts, ts + gap]`, or null. */
  readonly eventWindow: BoundExpr;
  readonly aggregates: readonly BoundAggregate[];
  readonly outputMode: OutputMode;
}

/** One session of a key while a batch merges: its bounds and aggregate buffers. */
interface Session {
  start: number;
  end: number;
  buffers: AggregateBuffer[];
}

/**
 * A key touched by the batch: its other grouping values and the batch's partial sessions (each
 * row's event window joins the last partial session it overlaps, else starts one — in-order input
 * keeps one per session; the rest merge at the end of the batch).
 */
interface Touched {
  key: Row;
  partials: Session[];
}

/**
 * Streaming session-window aggregation (Spark's SessionWindowStateStoreRestoreExec +
 * MergingSessionsExec + SessionWindowStateStoreSaveExec). The state keeps, per value of the other
 * grouping keys, the list of its open sessions as `[start, end, ...aggregate buffer states]`
 * (the sessions of a key always live in one shard). Each batch's rows get their event window
 * `[ts, ts + gap]`; at the end of the batch every touched key's stored sessions and new event
 * windows are sorted by start and merged while the next one starts no later than the current
 * session's end, so a session grows across batches and a row can join two sessions into one.
 * Output: complete mode emits every session; append mode emits a session (and removes it) once
 * the watermark reaches its end. Rows whose event window ends at or below the previous batch's
 * watermark are late: dropped and counted in `numRowsDroppedByWatermark`. Update mode is refused
 * before the query starts, as in Spark.
 */
export class SessionWindowAggregateExec implements StatefulOperator {
  readonly name = 'sessionWindowStateStoreSaveExec';
  private state: ShardedStateStore | undefined;
  private readonly keyFns: ((row: Row) => unknown)[];
  private readonly eventWindowFn: (row: Row) => unknown;
  private info: BatchInfo | undefined;
  private touched: Touched[] = [];
  private readonly index: GroupIndex<Touched>;
  private readonly scratch: unknown[];
  private updateTimeMs = 0;
  private removalTimeMs = 0;
  private droppedByWatermark = 0;
  private lastEvictionWatermarkMs = 0;
  /** Sessions in the state after the batch, and sessions the batch wrote (Spark counts state rows). */
  private numSessions = 0;
  private numSessionsUpdated = 0;
  private numSessionsRemoved = 0;

  constructor(readonly config: SessionWindowAggregateConfig) {
    this.keyFns = config.groupings.filter((_, i) => i !== config.sessionIndex).map((g) => compileExpr(g));
    this.eventWindowFn = compileExpr(config.eventWindow);
    this.index = new GroupIndex<Touched>(
      config.groupings.filter((_, i) => i !== config.sessionIndex).map((g) => g.dataType),
    );
    this.scratch = new Array(this.keyFns.length);
  }

  get operatorId(): number {
    return this.config.operatorId;
  }

  display(): string {
    const keys = this.config.groupings.map((g) => g.sql).join(', ');
    const fns = this.config.aggregates.map((a) => a.sql).join(', ');
    return `SessionWindowStateStoreSave [${keys}], state info [operatorId = ${this.operatorId}], functions=[${fns}]`;
  }

  open(ctx: StatefulOperatorContext): void {
    this.state = new ShardedStateStore(ctx, this.operatorId);
    this.lastEvictionWatermarkMs = ctx.lastWatermarkMs;
  }

  startBatch(info: BatchInfo): void {
    this.info = info;
    this.state!.load(info.batchId);
    this.touched = [];
    this.index.clear();
    this.updateTimeMs = 0;
    this.removalTimeMs = 0;
    this.droppedByWatermark = 0;
    this.numSessions = 0;
    this.numSessionsUpdated = 0;
    this.numSessionsRemoved = 0;
  }

  processChunk(rows: RowSource): void {
    const start = performance.now();
    const info = this.info!;
    const lateMicros =
      info.hasWatermark && info.lateWatermarkMs > 0 ? info.lateWatermarkMs * 1000 : undefined;
    const keyFns = this.keyFns;
    const nKeys = keyFns.length;
    const scratch = this.scratch;
    const touched = this.touched;
    const index = this.index;
    const aggregates = this.config.aggregates;
    const create = (): Touched => {
      const t: Touched = { key: scratch.slice(), partials: [] };
      touched.push(t);
      return t;
    };
    rows((row) => {
      // A null time or a non-positive gap gives no event window: the row belongs to no session.
      const w = this.eventWindowFn(row) as [number, number] | null | undefined;
      if (w === null || w === undefined || w[0] === null || w[1] === null || !(w[1] > w[0])) return;
      if (lateMicros !== undefined && w[1] <= lateMicros) {
        this.droppedByWatermark++;
        return;
      }
      // The aggregates and other keys see the row with its event window as the session column.
      const ext = row.slice();
      ext.push(w);
      for (let i = 0; i < nKeys; i++) scratch[i] = keyFns[i]!(ext);
      const t = index.getOrCreate(scratch, create);
      const partials = t.partials;
      let p = partials[partials.length - 1];
      if (p && w[0] <= p.end && w[1] >= p.start) {
        if (w[0] < p.start) p.start = w[0];
        if (w[1] > p.end) p.end = w[1];
      } else {
        p = { start: w[0], end: w[1], buffers: aggregates.map((a) => a.create()) };
        partials.push(p);
      }
      const bs = p.buffers;
      for (let i = 0; i < bs.length; i++) bs[i]!.update(ext);
    });
    this.updateTimeMs += performance.now() - start;
  }

  finishBatch(emit: (row: Row) => void): void {
    const start = performance.now();
    const state = this.state!;
    const info = this.info!;
    for (const t of this.touched) {
      const stored = this.restore(state.get(t.key));
      const merged = this.merge(stored, t.partials);
      state.put(t.key, [merged.map((s) => this.sessionState(s))]);
      // Spark keeps a state row per (key, session start): every session of a touched key is
      // written again, and a stored session whose start is gone (merged into an earlier one) is removed.
      this.numSessionsUpdated += merged.length;
      const starts = new Set(merged.map((s) => s.start));
      for (const s of stored) if (!starts.has(s.start)) this.numSessionsRemoved++;
    }
    const evicts = info.hasWatermark && info.outputMode === 'append';
    if (info.outputMode === 'complete') {
      for (const [key, value] of state.iterator()) {
        for (const s of sessionsOf(value)) emit(this.resultRow(key, s));
      }
    }
    if (!evicts) for (const [, value] of state.iterator()) this.numSessions += sessionsOf(value).length;
    this.updateTimeMs += performance.now() - start;
    // Append mode finalizes sessions whose end the watermark reached (Spark evicts
    // `session_window.end <= watermark`); complete mode keeps every session.
    if (evicts) {
      const r0 = performance.now();
      const limit = info.watermarkMs * 1000;
      for (const [key, value] of state.iterator()) {
        const sessions = sessionsOf(value);
        const open: unknown[][] = [];
        for (const s of sessions) {
          if ((s[1] as number) <= limit) emit(this.resultRow(key, s));
          else open.push(s);
        }
        this.numSessions += open.length;
        this.numSessionsRemoved += sessions.length - open.length;
        if (open.length === sessions.length) continue;
        if (open.length === 0) state.remove(key);
        else state.put(key, [open]);
      }
      this.removalTimeMs = performance.now() - r0;
    }
    this.lastEvictionWatermarkMs = info.watermarkMs;
    this.touched = [];
    this.index.clear();
  }

  /** Stored sessions (`[start, end, ...states]`) back to buffers. */
  private restore(value: Row | undefined): Session[] {
    if (value === undefined) return [];
    const { aggregates } = this.config;
    return sessionsOf(value).map((s) => ({
      start: s[0] as number,
      end: s[1] as number,
      buffers: aggregates.map((a, i) => a.fromState(s[2 + i])),
    }));
  }

  /**
   * Stored sessions and the batch's partial sessions sorted by start, merged while the next starts
   * no later than the current end (Spark's MergingSessionsIterator), buffers merged.
   */
  private merge(stored: Session[], partials: Session[]): Session[] {
    const pieces = stored.length === 0 ? partials : [...stored, ...partials];
    if (pieces.length > 1) pieces.sort((a, b) => a.start - b.start);
    const out: Session[] = [];
    let cur: Session | undefined;
    for (const p of pieces) {
      if (!cur || p.start > cur.end) {
        // Fresh objects: the stored list is compared with the result afterwards.
        cur = { start: p.start, end: p.end, buffers: p.buffers };
        out.push(cur);
        continue;
      }
      if (p.end > cur.end) cur.end = p.end;
      for (let i = 0; i < cur.buffers.length; i++) cur.buffers[i]!.merge(p.buffers[i]!);
    }
    return out;
  }

  private sessionState(s: Session): unknown[] {
    return [s.start, s.end, ...s.buffers.map((b) => b.toState())];
  }

  /** The aggregate's output row: grouping values with the session in place, then the results. */
  private resultRow(key: Row, s: unknown[]): Row {
    const { aggregates, sessionIndex } = this.config;
    const row: unknown[] = key.slice();
    row.splice(sessionIndex, 0, [s[0], s[1]]);
    for (let i = 0; i < aggregates.length; i++) row.push(aggregates[i]!.fromState(s[2 + i]).result());
    return row;
  }

  needsNoDataBatch(nextWatermarkMs: number): boolean {
    // Spark's shouldRunAnotherBatch for the session-window save: append mode and a watermark that
    // moved past the one the last batch evicted with.
    return this.config.outputMode === 'append' && nextWatermarkMs > this.lastEvictionWatermarkMs;
  }

  commit(): StateOperatorProgress {
    const state = this.state!;
    const m = state.commit();
    // A state row per session, as in Spark (Sluice keeps one entry per key holding its sessions).
    return stateProgress(
      this.name,
      {
        ...m,
        numKeys: this.numSessions,
        numUpdated: this.numSessionsUpdated,
        numRemoved: this.numSessionsRemoved,
      },
      state.numShards,
      {
        updatesMs: this.updateTimeMs,
        removalsMs: this.removalTimeMs,
        droppedByWatermark: this.droppedByWatermark,
      },
    );
  }

  abort(): void {
    this.state?.abort();
    this.touched = [];
    this.index.clear();
  }

  close(): void {
    this.state?.close();
    this.state = undefined;
  }
}

/** The sessions of a stored value (`[[start, end, ...states], ...]` in its one column). */
export function sessionsOf(value: Row): unknown[][] {
  return (value[0] as unknown[][] | undefined) ?? [];
}
