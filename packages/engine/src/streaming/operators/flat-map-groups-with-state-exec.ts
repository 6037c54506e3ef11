import { keyJson, operationName, parseKeyJson } from '../../exec/groups-with-state-exec.js';
import type { GroupsWithStateSpec } from '../../plan/logical/plan.js';
import type { Row } from '../../types/data-type.js';
import { GroupStateImpl, NO_TIMESTAMP } from '../group-state.js';
import type { StateOperatorProgress } from '../progress.js';
import type { EventTimeColumn } from './event-time.js';
import { KeyedBatch } from './keyed-batch.js';
import { ShardedStateStore } from './sharded-state.js';
import {
  type BatchInfo,
  type RowSource,
  type StatefulOperator,
  type StatefulOperatorContext,
  stateProgress,
} from './stateful-operator.js';

export interface FlatMapGroupsWithStateConfig {
  readonly operatorId: number;
  readonly spec: GroupsWithStateSpec;
  /** The input's watermarked column: rows at or below the previous watermark are late. */
  readonly eventTime?: { readonly index: number; readonly column: EventTimeColumn };
}

/** Spark's operator name (checkpoint metadata, progress, the state reader). */
export const FLAT_MAP_GROUPS_WITH_STATE = 'flatMapGroupsWithState';

/**
 * Spark's FlatMapGroupsWithStateExec: per batch, each key that has rows is handed to the user
 * function once, with all its rows of the batch (in arrival order) and its state; then each key
 * without rows whose timeout passed — the batch's processing time for ProcessingTimeTimeout, the
 * watermark for EventTimeTimeout — is handed over with no rows and `hasTimedOut()` true. The state
 * is stored per key as `[state as JSON, timeout timestamp]` (state values must be JSON values).
 * A timeout that the function does not set again is cleared. No-data batches run when a timeout
 * is due (Spark runs one at every trigger with processing-time timeouts; the output is the same).
 */
export class FlatMapGroupsWithStateExec implements StatefulOperator {
  readonly name = FLAT_MAP_GROUPS_WITH_STATE;
  private state: ShardedStateStore | undefined;
  private info: BatchInfo | undefined;
  private now: () => number = Date.now;
  private updateTimeMs = 0;
  private removalTimeMs = 0;
  private lastEvictionWatermarkMs = 0;
  /** The earliest timeout set in the state after the last batch (NO_TIMESTAMP: none, undefined: unknown). */
  private nextTimeoutMs: number | undefined;

  private readonly batch: KeyedBatch;

  constructor(readonly config: FlatMapGroupsWithStateConfig) {
    this.batch = new KeyedBatch(config.spec.keyOf, config.eventTime);
  }

  get operatorId(): number {
    return this.config.operatorId;
  }

  display(): string {
    const s = this.config.spec;
    return `FlatMapGroupsWithState ${operationName(s)}, ${s.timeout}, ${s.outputMode}, state info [operatorId = ${this.operatorId}]`;
  }

  open(ctx: StatefulOperatorContext): void {
    this.state = new ShardedStateStore(ctx, this.operatorId);
    this.lastEvictionWatermarkMs = ctx.lastWatermarkMs;
    if (ctx.now) this.now = ctx.now;
  }

  startBatch(info: BatchInfo): void {
    this.info = info;
    this.state!.load(info.batchId);
    this.batch.reset();
    this.updateTimeMs = 0;
    this.removalTimeMs = 0;
  }

  processChunk(rows: RowSource): void {
    const start = performance.now();
    this.batch.add(rows, this.info!);
    this.updateTimeMs += performance.now() - start;
  }

  finishBatch(emit: (row: Row) => void): void {
    const info = this.info!;
    const { spec } = this.config;
    const store = this.state!;
    const batchTs = info.batchTimestampMs ?? this.now();
    const watermark = info.hasWatermark ? info.watermarkMs : undefined;
    const run = (k: string, key: unknown, rows: readonly Row[], timedOut: boolean): void => {
      const stored = store.get([k]);
      const initial = stored ? { value: JSON.parse(stored[0] as string) as unknown } : undefined;
      const state = new GroupStateImpl(
        initial,
        spec.timeout,
        batchTs,
        watermark,
        timedOut,
        operationName(spec),
      );
      for (const r of spec.call(key, rows, state)) emit(r);
      const o = state.outcome();
      if (o.keep) {
        // A timeout not set again by this call is cleared (Spark's behaviour).
        if (o.changed || o.timeoutTimestampMs !== (stored?.[1] as number | undefined) || timedOut)
          store.put([k], [JSON.stringify(o.value), o.timeoutTimestampMs]);
      } else if (stored) {
        store.remove([k]);
      }
    };
    const t0 = performance.now();
    // The initial state is stored before the first batch runs (batch 0 only: a restarted query has
    // it in its checkpoint); keys of the initial state without rows are not called, as in Spark.
    if (info.batchId === 0 && spec.initialState) {
      for (const { key, state } of spec.initialState.entries()) {
        const k = keyJson(key);
        if (!store.get([k])) store.put([k], [JSON.stringify(state), NO_TIMESTAMP]);
      }
    }
    for (const [k, g] of this.batch.groups) run(k, g.key, g.rows, false);
    this.updateTimeMs += performance.now() - t0;
    // Timeouts of keys without data in this batch.
    const r0 = performance.now();
    let next = NO_TIMESTAMP;
    if (spec.timeout !== 'NoTimeout') {
      const threshold = spec.timeout === 'ProcessingTimeTimeout' ? batchTs : watermark;
      const due: { k: string; key: unknown }[] = [];
      for (const [key, value] of store.iterator()) {
        const k = key[0] as string;
        const ts = value[1] as number;
        if (ts === NO_TIMESTAMP || this.batch.groups.has(k)) continue;
        if (threshold !== undefined && ts < threshold) due.push({ k, key: parseKeyJson(k) });
      }
      for (const d of due) run(d.k, d.key, [], true);
      for (const [, value] of store.iterator()) {
        const ts = value[1] as number;
        if (ts !== NO_TIMESTAMP && (next === NO_TIMESTAMP || ts < next)) next = ts;
      }
    }
    this.nextTimeoutMs = next;
    this.removalTimeMs = performance.now() - r0;
    this.lastEvictionWatermarkMs = info.watermarkMs;
    this.batch.groups = new Map();
  }

  needsNoDataBatch(nextWatermarkMs: number): boolean {
    const t = this.config.spec.timeout;
    const next = this.nextTimeoutMs;
    if (next === undefined || next === NO_TIMESTAMP) return false;
    if (t === 'ProcessingTimeTimeout') return this.now() > next;
    if (t === 'EventTimeTimeout')
      return nextWatermarkMs > this.lastEvictionWatermarkMs && nextWatermarkMs > next;
    return false;
  }

  commit(): StateOperatorProgress {
    const store = this.state!;
    const m = store.commit();
    return stateProgress(this.name, m, store.numShards, {
      updatesMs: this.updateTimeMs,
      removalsMs: this.removalTimeMs,
      droppedByWatermark: this.batch.droppedByWatermark,
    });
  }

  abort(): void {
    this.state?.abort();
    this.batch.reset();
  }

  close(): void {
    this.state?.close();
    this.state = undefined;
  }
}
