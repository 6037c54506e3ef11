import { keyJson, parseKeyJson } from '../../exec/groups-with-state-exec.js';
import type { GroupsWithStateSpec } from '../../plan/logical/plan.js';
import type { Row } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';
import {
  emptyKeyState,
  isEmptyKeyState,
  type KeyState,
  type ProcessorHandle,
} from '../stateful-processor.js';
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

/** A run of a StatefulProcessor (KeyValueGroupedDataset.transformWithState builds it). */
export interface TransformRun {
  readonly handle: ProcessorHandle;
  input(key: unknown, rows: readonly Row[], batchTimestampMs: number, watermarkMs: number): Row[];
  initial(key: unknown, state: unknown, batchTimestampMs: number, watermarkMs: number): void;
  timer(key: unknown, expiryMs: number, batchTimestampMs: number, watermarkMs: number): Row[];
  close(): void;
}

export interface TransformWithStateConfig {
  readonly operatorId: number;
  readonly spec: GroupsWithStateSpec;
  readonly eventTime?: { readonly index: number; readonly column: EventTimeColumn };
}

/** Spark's operator name (checkpoint metadata, progress, the state reader). */
export const TRANSFORM_WITH_STATE = 'transformWithStateExec';

/**
 * Spark 4's TransformWithStateExec: per batch, each key with rows goes to the processor's
 * `handleInputRows` with its state variables bound; then every timer that expired — at the batch's
 * processing time (timeMode ProcessingTime) or the watermark (EventTime) — goes to
 * `handleExpiredTimer`, in timestamp order per key; then values past their TTL are dropped. One
 * stored record per key holds all its variables and timers (`[JSON]`).
 */
export class TransformWithStateExec implements StatefulOperator {
  readonly name = TRANSFORM_WITH_STATE;
  private state: ShardedStateStore | undefined;
  private run: TransformRun | undefined;
  private info: BatchInfo | undefined;
  private now: () => number = Date.now;
  private updateTimeMs = 0;
  private removalTimeMs = 0;
  private expired = 0;
  private lastEvictionWatermarkMs = 0;
  private nextTimerMs: number | undefined;

  private readonly batch: KeyedBatch;

  constructor(readonly config: TransformWithStateConfig) {
    this.batch = new KeyedBatch(config.spec.keyOf, config.eventTime);
  }

  get operatorId(): number {
    return this.config.operatorId;
  }

  display(): string {
    return `TransformWithState ${this.config.spec.transform!.timeMode}, ${this.config.spec.outputMode}, state info [operatorId = ${this.operatorId}]`;
  }

  open(ctx: StatefulOperatorContext): void {
    this.state = new ShardedStateStore(ctx, this.operatorId);
    this.lastEvictionWatermarkMs = ctx.lastWatermarkMs;
    if (ctx.now) this.now = ctx.now;
    this.run = this.config.spec.transform!.open() as TransformRun;
  }

  startBatch(info: BatchInfo): void {
    this.info = info;
    this.state!.load(info.batchId);
    this.batch.reset();
    this.updateTimeMs = 0;
    this.removalTimeMs = 0;
    this.expired = 0;
    this.run!.handle.registered = 0;
    this.run!.handle.deleted = 0;
  }

  processChunk(rows: RowSource): void {
    this.batch.add(rows, this.info!);
  }

  private load(k: string): KeyState {
    const stored = this.state!.get([k]);
    return stored ? (JSON.parse(stored[0] as string) as KeyState) : emptyKeyState();
  }

  private save(k: string, s: KeyState): void {
    if (isEmptyKeyState(s)) {
      if (this.state!.get([k])) this.state!.remove([k]);
    } else {
      this.state!.put([k], [JSON.stringify(s)]);
    }
  }

  finishBatch(emit: (row: Row) => void): void {
    const info = this.info!;
    const run = this.run!;
    const handle = run.handle;
    const batchTs = info.batchTimestampMs ?? this.now();
    const watermark = info.hasWatermark ? info.watermarkMs : 0;
    const t0 = performance.now();
    // The initial state goes in before the first batch's rows (batch 0 only: a restarted query has it).
    if (info.batchId === 0 && this.config.spec.initialState) {
      for (const { key, state } of this.config.spec.initialState.entries()) {
        const k = keyJson(key);
        const s = this.load(k);
        handle.bind(s, batchTs);
        run.initial(key, state, batchTs, watermark);
        this.save(k, s);
      }
    }
    for (const [k, g] of this.batch.groups) {
      const s = this.load(k);
      handle.bind(s, batchTs);
      for (const r of run.input(g.key, g.rows, batchTs, watermark)) emit(r);
      this.save(k, s);
    }
    this.updateTimeMs = performance.now() - t0;
    const r0 = performance.now();
    const mode = this.config.spec.transform!.timeMode;
    const threshold =
      mode === 'ProcessingTime' ? batchTs : mode === 'EventTime' && info.hasWatermark ? watermark : undefined;
    // Timers and TTL need a pass over every key's state; a processor with neither skips it.
    const hasTtl = [...handle.declared.values()].some((d) => d.ttlMs !== undefined);
    const entries: [string, KeyState][] = [];
    if (mode !== 'None' || hasTtl)
      for (const [key, value] of this.state!.iterator())
        entries.push([key[0] as string, JSON.parse(value[0] as string)]);
    let next = -1;
    for (const [k, s] of entries) {
      let changed = false;
      if (threshold !== undefined) {
        for (const ts of [...s.t]) {
          // Spark 4: timers strictly before the threshold expire.
          if (ts >= threshold) continue;
          s.t = s.t.filter((x) => x !== ts);
          changed = true;
          this.expired++;
          handle.bind(s, batchTs);
          for (const r of run.timer(parseKeyJson(k), ts, batchTs, watermark)) emit(r);
        }
      }
      handle.bind(s, batchTs);
      if (handle.evictExpired()) changed = true;
      if (changed) this.save(k, s);
      for (const ts of s.t) if (next < 0 || ts < next) next = ts;
    }
    this.nextTimerMs = next;
    this.removalTimeMs = performance.now() - r0;
    this.lastEvictionWatermarkMs = info.watermarkMs;
    this.batch.groups = new Map();
  }

  needsNoDataBatch(nextWatermarkMs: number): boolean {
    const next = this.nextTimerMs;
    if (next === undefined || next < 0) return false;
    const mode = this.config.spec.transform!.timeMode;
    if (mode === 'ProcessingTime') return this.now() > next;
    if (mode === 'EventTime') return nextWatermarkMs > this.lastEvictionWatermarkMs && nextWatermarkMs > next;
    return false;
  }

  /**
   * Spark's TransformWithStateOperatorProperties: the state variables the processor declared in
   * `init` (what `read.format('statestore').option('stateVarName', ...)` can read).
   */
  operatorProperties(): Record<string, unknown> {
    const kinds = { value: 'ValueState', list: 'ListState', map: 'MapState' } as const;
    return {
      timeMode: this.config.spec.transform!.timeMode,
      outputMode: this.config.spec.outputMode === 'append' ? 'Append' : 'Update',
      stateVariables: [...this.run!.handle.declared].map(([stateName, d]) => ({
        stateName,
        stateVariableType: kinds[d.kind],
        ttlEnabled: d.ttlMs !== undefined,
      })),
    };
  }

  commit(): StateOperatorProgress {
    const store = this.state!;
    const m = store.commit();
    const metrics = this.run!.handle.metrics(this.expired);
    return stateProgress(
      this.name,
      m,
      store.numShards,
      {
        updatesMs: this.updateTimeMs,
        removalsMs: this.removalTimeMs,
        droppedByWatermark: this.batch.droppedByWatermark,
      },
      metrics as unknown as Record<string, number>,
    );
  }

  abort(): void {
    this.state?.abort();
    this.batch.reset();
  }

  close(): void {
    this.run?.close();
    this.state?.close();
    this.state = undefined;
  }
}
