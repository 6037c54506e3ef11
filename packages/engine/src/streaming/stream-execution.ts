import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { ExecutionError, SluiceError, StreamingQueryError } from '../errors.js';
import type { BatchWriter, OutputMode, Sink } from '../sinks/sink.js';
import { type MicroBatchStream, type Offset, type ReadLimit, readAllAvailable } from '../sources/source.js';
import type { Row, StructType } from '../types/data-type.js';
import { AsyncProgressTracker } from './async-progress-tracker.js';
import type { StreamCheckpoint } from './checkpoint/checkpoint.js';
import { LogWriteQueue } from './checkpoint/log-write-queue.js';
import type { OffsetSeq } from './checkpoint/offset-seq-log.js';
import { yieldToEventLoop } from './chunks.js';
import {
  type DeadLetter,
  type DeadLetterPolicy,
  DeadLetterWriter,
  type OnError,
  type SourceDeadLetters,
} from './dead-letters.js';
import type { IncrementalExecution } from './incremental-execution.js';
import type { ListenerBus } from './listener.js';
import type { BatchInfo } from './operators/stateful-operator.js';
import {
  rate,
  type SourceProgress,
  type StateOperatorProgress,
  type StreamingQueryProgress,
  type StreamingQueryStatus,
  sortedMap,
} from './progress.js';
import type { Trigger } from './trigger.js';
import { describeTrigger } from './trigger.js';
import type { TriggerClock } from './trigger-clock.js';

/** Everything a query run needs; built by DataStreamWriter.start(). */
export interface StreamExecutionConfig {
  readonly id: string;
  readonly name: string | null;
  readonly checkpoint: StreamCheckpoint;
  readonly deleteCheckpointOnStop: boolean;
  readonly incremental: IncrementalExecution;
  /** Source i feeds leaf i of the incremental plan. */
  readonly createSources: () => MicroBatchStream[];
  readonly createSink: () => Sink | Promise<Sink>;
  readonly outputSchema: StructType;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly bus: ListenerBus;
  /** Confs recorded in the offsets log (and restored from it). */
  readonly conf: Record<string, string>;
  readonly providerName: string;
  readonly minBatchesToRetain: number;
  readonly minDeltasForSnapshot: number;
  /** State partitions per stateful operator (`spark.sql.shuffle.partitions` of the checkpoint). */
  readonly numShards: number;
  /** `spark.sql.streaming.noDataProgressEventInterval` (ms). */
  readonly noDataProgressEventIntervalMs: number;
  /** `spark.sql.streaming.pollingDelay` (ms) between checks when no data arrived (default trigger). */
  readonly pollingDelayMs: number;
  readonly numRecentProgressUpdates: number;
  /** `spark.sql.streaming.noDataMicroBatches.enabled`. */
  readonly noDataMicroBatches: boolean;
  /** `spark.sql.streaming.stateStore.stateSchemaCheck` (default true). */
  readonly stateSchemaCheck?: boolean;
  /** Called once when the query terminates (the manager forgets it). */
  readonly onTerminated: (q: StreamExecution) => void;
  /** Schedules processing-time triggers (the system clock unless a test drives a ManualClock). */
  readonly triggerClock: TriggerClock;
  /** What happens to records that cannot become rows (`onError`, `deadLetterTopic`). */
  readonly deadLetters?: DeadLetterPolicy;
  /**
   * `asyncProgressTrackingCheckpointIntervalMs` when `asyncProgressTrackingEnabled` (micro-batch
   * triggers only): the offsets and commit logs are written off the batch's path (docs/decisions/0010).
   */
  readonly asyncProgressTrackingIntervalMs?: number;
}

const VOID = Symbol('noOffset');

/** How old a source's `latestOffset` may be before a busy stream asks it again (docs/decisions/0011). */
const LATEST_OFFSET_MAX_AGE_MS = 1000;

interface PlannedBatch {
  batchId: number;
  start: (Offset | typeof VOID)[];
  end: (Offset | typeof VOID)[];
  /** Whether start offsets came from the checkpoint (Spark reports null for batch 0's start). */
  startKnown: boolean[];
  timestampMs: number;
  rerun: boolean;
  watermarkMs: number;
}

/**
 * Spark's StreamExecution / MicroBatchExecution: the loop that runs a streaming query. Per trigger
 * it asks each source for its latest offset (within its rate limit), writes `offsets/<batchId>`
 * (the write-ahead log), reads the batch, runs the incremental plan, hands the result to the sink
 * with the batch id, commits the stateful operators' state and writes `commits/<batchId>`.
 * Restart: a batch with an offsets entry and no commit is re-run with exactly the same offsets.
 * Trigger.Continuous runs the same (map-like) plan record-at-a-time with epoch checkpoints.
 */
export class StreamExecution {
  readonly runId = randomUUID();
  private readonly deadLetterWriters = new Map<string, DeadLetterWriter>();
  readonly startTimestamp = new Date();
  private sources: MicroBatchStream[] = [];
  private sink: Sink | undefined;
  private limits: ReadLimit[] = [];
  private committed: (Offset | typeof VOID)[] = [];
  private committedKnown: boolean[] = [];
  private currentBatchId = 0;
  private pending: PlannedBatch | undefined;
  /** The watermark the current batch runs with (ms); advances after batches, never goes back. */
  private batchWatermarkMs = 0;
  /** The watermark the previous batch ran with (ms): rows at or below it are late. */
  private prevBatchWatermarkMs = 0;
  /** Max event time seen per watermark operator (ms). */
  private operatorMaxEventTime: number[] = [];
  private stopRequested = false;
  private active = true;
  private wake: (() => void) | undefined;
  /**
   * A wakeUp() that found no one asleep: the next sleep() returns at once. A micro-batch trigger
   * clears it as it starts planning (what came before, its plan sees).
   */
  private wakePending = false;
  /** Whether the last trigger ran a batch with input rows (docs/decisions/0011). */
  private lastBatchHadData = false;
  /**
   * Whether the last trigger found nothing new in what the sources hold and, trusting that, asked
   * none of them (docs/decisions/0011): the stream still counts as busy.
   */
  private idleOnHeldOffsets = false;
  /** When each source's `latestOffset` was last asked (trigger clock, ms). */
  private readonly latestOffsetAskedAt: number[] = [];
  /**
   * Log writes beside the batches, in order: an at-least-once sink's (commit N before offsets N+1,
   * docs/decisions/0012) and continuous epochs' commits.
   */
  private readonly logWrites = new LogWriteQueue();
  /** Asynchronous progress tracking (docs/decisions/0010), when enabled. */
  private readonly asyncProgress: AsyncProgressTracker<Offset | typeof VOID> | undefined;
  private readonly terminated: Promise<void>;
  private resolveTerminated!: () => void;
  private exceptionValue: StreamingQueryError | null = null;
  private readonly progressBuffer: StreamingQueryProgress[] = [];
  private statusValue: StreamingQueryStatus = {
    message: 'Initializing sources',
    isDataAvailable: false,
    isTriggerActive: false,
  };
  private lastTriggerStartMs = -1;
  private lastIdleEventMs = 0;
  private triggerCount = 0;
  /** processAllAvailable waiters: resolved by the first no-data trigger that starts after them. */
  private allAvailableWaiters: { sinceTrigger: number; resolve: () => void; reject: (e: unknown) => void }[] =
    [];
  private unsubscribers: (() => void)[] = [];

  constructor(readonly config: StreamExecutionConfig) {
    this.terminated = new Promise<void>((r) => {
      this.resolveTerminated = r;
    });
    // Sources are created at start(): bad options fail start(), and shared in-process streams
    // (MemoryStream) know their readers before any of them commits.
    this.sources = config.createSources();
    this.limits = this.sources.map((s) => s.getDefaultReadLimit());
    this.asyncProgress =
      config.asyncProgressTrackingIntervalMs !== undefined && config.trigger.kind !== 'continuous'
        ? new AsyncProgressTracker(
            config.checkpoint,
            config.asyncProgressTrackingIntervalMs,
            config.minBatchesToRetain,
            () => config.triggerClock.now(),
          )
        : undefined;
    // Trigger.AvailableNow fixes "what is available" at start(), before start() returns.
    if (config.trigger.kind === 'availableNow') {
      if (this.sources.every((s) => typeof s.prepareForTriggerAvailableNow === 'function')) {
        for (const s of this.sources) {
          const r = s.prepareForTriggerAvailableNow!();
          if (r instanceof Promise) this.preparing.push(r);
        }
      } else {
        // As Spark 4 (SPARK-45178): a source without AvailableNow support makes it one batch.
        this.availableNowAsOnce = true;
      }
    }
    // Spark's Trigger.Once (and AvailableNow run as Once) ignores the sources' read limits
    // (maxFilesPerTrigger, maxOffsetsPerTrigger): everything available goes into the one batch.
    if (config.trigger.kind === 'once' || this.availableNowAsOnce)
      this.limits = this.sources.map(() => readAllAvailable);
    // Sinks are created at start() too: a memory sink's table is queryable as soon as start() returns.
    const sink = config.createSink();
    if (sink instanceof Promise) this.pendingSink = sink;
    else this.sink = sink;
  }

  private pendingSink: Promise<Sink> | undefined;
  private readonly preparing: Promise<void>[] = [];
  private availableNowAsOnce = false;

  get id(): string {
    return this.config.id;
  }

  get name(): string | null {
    return this.config.name;
  }

  get isActive(): boolean {
    return this.active;
  }

  get exception(): StreamingQueryError | null {
    return this.exceptionValue;
  }

  get status(): StreamingQueryStatus {
    return { ...this.statusValue };
  }

  get recentProgress(): StreamingQueryProgress[] {
    return [...this.progressBuffer];
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.progressBuffer[this.progressBuffer.length - 1] ?? null;
  }

  get trigger(): Trigger {
    return this.config.trigger;
  }

  /** Starts the run loop (called by start() after onQueryStarted was posted). */
  launch(): void {
    setImmediate(() => {
      void this.run();
    });
  }

  /** Waits for the query to end; rejects with the query's exception if it failed. */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) {
      await this.terminated;
      if (this.exceptionValue) throw this.exceptionValue;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.terminated.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut && this.exceptionValue) throw this.exceptionValue;
    return !timedOut;
  }

  /** Blocks until every piece of data available now has been processed and committed. */
  processAllAvailable(): Promise<void> {
    if (!this.active) {
      return this.exceptionValue ? Promise.reject(this.exceptionValue) : Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.allAvailableWaiters.push({ sinceTrigger: this.triggerCount, resolve, reject });
      if (this.config.trigger.kind === 'processingTime' && this.config.trigger.intervalMs === 0)
        this.wakeUp();
    });
  }

  /** Stops the query after the batch in flight (if any) and waits until it has terminated. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wakeUp();
    await this.terminated;
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    if (w) w();
    else this.wakePending = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    // A wake-up that came while no one slept (data that arrived after the trigger looked, before
    // this sleep) ends the sleep at once instead of being lost.
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Parks the trigger loop until `targetMs` on the trigger clock; `wakeUp()` (stop, new data) ends it early. */
  private sleepUntilTrigger(targetMs: number): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    const abort = new AbortController();
    const wake = () => abort.abort();
    this.wake = wake;
    return this.config.triggerClock.waitUntil(targetMs, abort.signal).finally(() => {
      if (this.wake === wake) this.wake = undefined;
    });
  }

  private setStatus(message: string, isDataAvailable: boolean, isTriggerActive: boolean): void {
    this.statusValue = { message, isDataAvailable, isTriggerActive };
  }

  private async run(): Promise<void> {
    try {
      await this.initialize();
      if (this.config.trigger.kind === 'continuous') await this.runContinuous();
      else {
        await this.runMicroBatches();
        await this.logWrites.flush();
        await this.asyncProgress?.flush();
      }
    } catch (err) {
      this.exceptionValue = toStreamingError(err, this);
    } finally {
      await this.cleanup();
    }
  }

  private async initialize(): Promise<void> {
    if (this.pendingSink) this.sink = await this.pendingSink;
    await this.populateStartOffsets();
    this.config.incremental.open({
      stateDir: this.config.checkpoint.stateDir,
      providerName: this.config.providerName,
      storeConf: {
        minBatchesToRetain: this.config.minBatchesToRetain,
        minDeltasForSnapshot: this.config.minDeltasForSnapshot,
      },
      numShards: this.config.numShards,
      lastWatermarkMs: this.prevBatchWatermarkMs,
      now: () => this.config.triggerClock.now(),
      stateSchemaCheck: this.config.stateSchemaCheck !== false,
    });
    this.subscribeToSources();
  }

  /** Wakes the loop as soon as a push-capable source (memory, socket) receives data. */
  private subscribeToSources(): void {
    for (const s of this.sources) {
      if (s.subscribe) {
        this.unsubscribers.push(
          s.subscribe(() => {
            // A processing-time trigger keeps its schedule; the others react at once.
            if (this.config.trigger.kind !== 'processingTime' || this.config.trigger.intervalMs === 0)
              this.wakeUp();
          }),
        );
      }
    }
  }

  private async initialOffsets(): Promise<Offset[]> {
    const out: Offset[] = [];
    for (const s of this.sources) out.push(await s.initialOffset());
    return out;
  }

  private deserialize(seq: OffsetSeq, initial: Offset[]): { offsets: Offset[]; known: boolean[] } {
    const ck = this.config.checkpoint;
    if (seq.offsets.length !== this.sources.length) {
      throw new StreamingQueryError(
        'STREAMING_SOURCES_CHANGED',
        `The checkpoint ${ck.root} was written by a query with ${seq.offsets.length} source(s); this query has ${this.sources.length}. The number of sources cannot change across restarts.`,
      );
    }
    return {
      offsets: seq.offsets.map((o, i) => (o === null ? initial[i] : this.sources[i]!.deserializeOffset(o))),
      known: seq.offsets.map((o) => o !== null),
    };
  }

  /**
   * An idempotent sink that already wrote a batch the offsets log does not have means checkpoint
   * entries were lost (deleted `offsets/N` and `commits/N`): the re-planned batch would be skipped by
   * the sink as already written and its input lost silently. Refused, naming both sides.
   */
  private async assertSinkNotAhead(latestOffsetsBatchId: number): Promise<void> {
    const sinkLatest = await this.sink?.latestCommittedBatchId?.();
    if (sinkLatest === undefined || sinkLatest <= latestOffsetsBatchId) return;
    const ck = this.config.checkpoint;
    throw new StreamingQueryError(
      'CHECKPOINT_BEHIND_SINK',
      `The sink ${this.sink!.description} has already written batch ${sinkLatest}, but the offsets log ${ck.offsets.dir} ends ${latestOffsetsBatchId < 0 ? 'before batch 0' : `at batch ${latestOffsetsBatchId}`}: checkpoint entries were lost. Restarting would skip the re-planned batches up to ${sinkLatest} as already written and lose their input. Restore the missing files under ${ck.root}, or start again with a new checkpoint location and a new sink output.`,
    );
  }

  /** Spark's populateStartOffsets: resume after the last committed batch, or re-run the uncommitted one. */
  private async populateStartOffsets(): Promise<void> {
    const ck = this.config.checkpoint;
    const initial = await this.initialOffsets();
    const latest = ck.offsets.getLatest();
    await this.assertSinkNotAhead(latest?.batchId ?? -1);
    if (!latest) {
      this.currentBatchId = 0;
      this.committed = initial;
      this.committedKnown = initial.map(() => false);
      return;
    }
    const { batchId, entry } = latest;
    const lastCommit = ck.commits.latestBatchId();
    const ends = this.deserialize(entry, initial);
    if (lastCommit === batchId) {
      this.currentBatchId = batchId + 1;
      this.committed = ends.offsets;
      this.committedKnown = ends.known;
      this.batchWatermarkMs =
        ck.commits.get(batchId)?.nextBatchWatermarkMs ?? entry.metadata.batchWatermarkMs;
      this.prevBatchWatermarkMs = entry.metadata.batchWatermarkMs;
      return;
    }
    // With asynchronous progress tracking the logs have gaps: the uncommitted batch re-runs from
    // the entry before it on disk (docs/decisions/0010).
    const prevId = this.asyncProgress && batchId > 0 ? ck.offsets.previousBatchId(batchId) : batchId - 1;
    if (lastCommit === prevId) {
      let starts = { offsets: initial as Offset[], known: initial.map(() => false) };
      if (prevId >= 0) {
        const prev = ck.offsets.get(prevId);
        if (!prev) {
          throw new StreamingQueryError(
            'CHECKPOINT_FILE_MISSING',
            `Batch ${prevId} doesn't exist in ${ck.offsets.dir}: the offsets log entry ${ck.offsets.pathOf(prevId)} is missing`,
          );
        }
        starts = this.deserialize(prev, initial);
        this.prevBatchWatermarkMs = prev.metadata.batchWatermarkMs;
      }
      this.currentBatchId = batchId;
      this.committed = starts.offsets;
      this.committedKnown = starts.known;
      this.pending = {
        batchId,
        start: starts.offsets,
        end: ends.offsets,
        startKnown: starts.known,
        timestampMs: entry.metadata.batchTimestampMs,
        rerun: true,
        watermarkMs: entry.metadata.batchWatermarkMs,
      };
      this.batchWatermarkMs = entry.metadata.batchWatermarkMs;
      return;
    }
    throw new StreamingQueryError(
      'CHECKPOINT_INCONSISTENT',
      `The checkpoint ${ck.root} is inconsistent: the latest offsets entry is batch ${batchId} but the latest commit is batch ${lastCommit}`,
    );
  }

  private async runMicroBatches(): Promise<void> {
    const trigger: Trigger = this.availableNowAsOnce ? { kind: 'once' } : this.config.trigger;
    await Promise.all(this.preparing);
    while (!this.stopRequested) {
      const triggerStart = this.config.triggerClock.now();
      const ran = await this.runOneTrigger(triggerStart);
      if (trigger.kind === 'once') {
        // Trigger.Once: one batch (a pending re-run counts), then stop.
        if (!ran || !this.pending) break;
        continue;
      }
      if (trigger.kind === 'availableNow' && !ran) break;
      if (this.stopRequested) break;
      // Let timers and I/O of the rest of the process run between batches: a source that always
      // has data (rate) must not starve the event loop.
      await yieldToEventLoop();
      if (trigger.kind === 'processingTime' && trigger.intervalMs > 0) {
        // Spark's ProcessingTimeExecutor: the next batch starts at the next multiple of the interval.
        const next = Math.floor(triggerStart / trigger.intervalMs) * trigger.intervalMs + trigger.intervalMs;
        if (next > this.config.triggerClock.now()) {
          this.setStatus('Waiting for next trigger', this.statusValue.isDataAvailable, false);
          await this.sleepUntilTrigger(next);
        }
      } else if (!ran) {
        await this.sleep(this.config.pollingDelayMs);
      }
    }
  }

  /** Plans the next batch: latest offsets within the limits. Undefined when no source has new data. */
  private async constructNextBatch(durations: Record<string, number>): Promise<PlannedBatch | undefined> {
    const t0 = performance.now();
    this.setStatus(`Getting offsets from ${this.sources.map((s) => s.description).join(', ')}`, false, true);
    const end: Offset[] = [];
    let hasData = false;
    // A busy stream's batch ends at what a source already holds (docs/decisions/0011); the brokers
    // are asked after an idle trigger and once a second. When a source holds nothing new, they are
    // asked only for a processAllAvailable() waiter: otherwise the trigger is idle, and the
    // source's next records wake the loop (subscribe), without a round trip on their way.
    const busy =
      (this.lastBatchHadData || this.idleOnHeldOffsets) && this.config.trigger.kind === 'processingTime';
    const heldNothingIsIdle = busy && this.allAvailableWaiters.length === 0;
    let asked = false;
    for (let i = 0; i < this.sources.length; i++) {
      const s = this.sources[i]!;
      const start = this.committed[i];
      let e: Offset | undefined;
      if (
        busy &&
        s.availableOffset &&
        start !== VOID &&
        this.limits[i]!.kind === 'all' &&
        this.config.triggerClock.now() - (this.latestOffsetAskedAt[i] ?? Number.NEGATIVE_INFINITY) <
          LATEST_OFFSET_MAX_AGE_MS
      ) {
        const held = s.availableOffset(start);
        if (held !== undefined && (heldNothingIsIdle || !offsetsEqual(s, start, held))) e = held;
      }
      if (e === undefined) {
        e = await s.latestOffset(start, this.limits[i]!);
        this.latestOffsetAskedAt[i] = this.config.triggerClock.now();
        asked = true;
      }
      end.push(e);
      if (!offsetsEqual(s, start, e)) hasData = true;
    }
    this.idleOnHeldOffsets = !hasData && !asked;
    durations.latestOffset = performance.now() - t0;
    // No new data: a batch still runs when a stateful operator needs one to evict state or fire
    // timeouts (Spark's no-data micro-batches, spark.sql.streaming.noDataMicroBatches.enabled).
    if (
      !hasData &&
      !(this.config.noDataMicroBatches && this.config.incremental.needsNoDataBatch(this.batchWatermarkMs))
    ) {
      return undefined;
    }
    return {
      batchId: this.currentBatchId,
      start: [...this.committed],
      end,
      startKnown: [...this.committedKnown],
      // Spark's batchTimestampMs (processing time of the batch), from the trigger clock.
      timestampMs: this.config.triggerClock.now(),
      rerun: false,
      watermarkMs: this.batchWatermarkMs,
    };
  }

  /** One trigger; returns true when a batch ran. */
  private async runOneTrigger(triggerStartMs: number): Promise<boolean> {
    // What woke the loop before this trigger plans is seen by the plan.
    this.wakePending = false;
    this.triggerCount++;
    const triggerNumber = this.triggerCount;
    const t0 = performance.now();
    const durations: Record<string, number> = {};
    let batch = this.pending;
    this.pending = undefined;
    if (!batch) batch = await this.constructNextBatch(durations);
    this.lastBatchHadData = false;
    if (!batch) {
      this.setStatus('Waiting for data to arrive', false, false);
      // Everything processed is committed on disk before processAllAvailable() returns; when no one
      // waits for that, the queued log writes go on while the loop waits for data.
      if (this.allAvailableWaiters.some((w) => w.sinceTrigger < triggerNumber)) await this.logWrites.flush();
      else this.logWrites.throwIfFailed();
      // A failed asynchronous progress write fails the query at its next trigger, idle or not: a
      // query that stays idle must not run on with a checkpoint another writer took.
      this.asyncProgress?.throwIfFailed();
      this.resolveAllAvailable(triggerNumber);
      const now = Date.now();
      if (now - this.lastIdleEventMs >= this.config.noDataProgressEventIntervalMs) {
        this.lastIdleEventMs = now;
        this.config.bus.postIdle({ id: this.id, runId: this.runId, timestamp: new Date(now).toISOString() });
      }
      return false;
    }
    this.setStatus('Processing new data', true, true);
    const ck = this.config.checkpoint;
    // 1. Write-ahead log.
    let t = performance.now();
    let walPending: Promise<void> | undefined;
    if (this.asyncProgress) {
      // Sources commit what a later batch's offsets entry on disk supersedes (Spark's source commit queue).
      for (const ends of this.asyncProgress.takeSourceCommits()) {
        for (let i = 0; i < this.sources.length; i++) {
          const e = ends[i];
          if (e !== undefined && e !== VOID) await this.sources[i]!.commit(e);
        }
      }
    }
    if (!batch.rerun) {
      const entry: OffsetSeq = {
        metadata: {
          batchWatermarkMs: batch.watermarkMs,
          batchTimestampMs: batch.timestampMs,
          conf: this.config.conf,
        },
        offsets: batch.end.map((o) => (o === VOID ? null : JSON.stringify(o))),
      };
      if (this.asyncProgress) await this.asyncProgress.addOffsets(batch.batchId, entry, batch.end);
      else {
        // Written off the event loop (fetches and the sink's acknowledgements go on meanwhile).
        const write = () => ck.addOffsetsEntry(batch.batchId, entry);
        // An at-least-once sink's rows do not depend on the batch id: the entry is written while
        // the batch runs (after the previous batch's commit) and only has to be on disk before the
        // batch commits. A crash before that re-plans the batch from the last commit, writing its
        // rows again, as any re-run does.
        const written = this.logWrites.add(write);
        if (this.sink?.atLeastOnce)
          walPending = written; // awaited before the commit
        else await written;
      }
    }
    durations.walCommit = performance.now() - t;
    const offsetsLogDurable = async () => {
      if (!walPending) return;
      const waited = performance.now();
      // A stateless batch writes nothing of its own to the checkpoint but its commit, which the
      // queue writes after the offsets entry: it only waits when the logs fall a batch behind.
      if (this.config.incremental.statefulOperators.length === 0) {
        await this.logWrites.room(3);
        this.logWrites.throwIfFailed(); // a failed write fails the query, as the awaited entry would
      } else await walPending;
      durations.walCommit = (durations.walCommit ?? 0) + performance.now() - waited;
    };
    const policy = this.config.deadLetters ?? { onError: 'fail', topic: '' };
    const info = {
      batchId: batch.batchId,
      outputMode: this.config.outputMode,
      watermarkMs: batch.watermarkMs,
      lateWatermarkMs: Math.min(this.prevBatchWatermarkMs, batch.watermarkMs),
      hasWatermark: this.config.incremental.hasWatermark,
      batchTimestampMs: batch.timestampMs,
    };
    let inputCounts: number[] = [];
    let numOutputRows = 0;
    let stateProgress: StateOperatorProgress[] = [];
    let sinkLetters: DeadLetter[] = [];
    let deadLetters: SourceDeadLetters[] = [];
    let streamedOk = false;
    if (this.canStream(batch)) {
      // 2+3. Read, run and write the batch chunk by chunk (docs/decisions/0002): it is never held whole.
      durations.getBatch = 0;
      durations.queryPlanning = 0;
      t = performance.now();
      try {
        const streamed = await this.runBatchChunked(batch, info, policy, offsetsLogDurable);
        inputCounts = streamed.inputCounts;
        numOutputRows = streamed.numOutputRows;
        stateProgress = streamed.stateProgress;
        sinkLetters = streamed.sinkLetters;
        deadLetters = streamed.deadLetters;
        durations.addBatch = performance.now() - t;
        streamedOk = true;
      } catch (err) {
        // An expression failed on a row of a source that can dead-letter it: the batch runs again
        // whole, where the failing rows are found by bisection (a sink that does not write in
        // transactions may have received part of it: at least once, as after any failed batch).
        const recoverable =
          err instanceof ExecutionError &&
          policy.onError !== 'fail' &&
          this.sources.some((s) => s.deadLetterOf);
        if (!recoverable) throw err;
      }
    }
    if (!streamedOk) {
      // 2. Read the batch.
      t = performance.now();
      const inputs: Row[][] = [];
      deadLetters = [];
      for (let i = 0; i < this.sources.length; i++) {
        const s = this.sources[i]!;
        const start = batch.start[i];
        const end = batch.end[i];
        inputs.push(offsetsEqual(s, start, end) ? [] : await s.getBatch(start, end));
        deadLetters.push(s.takeDeadLetters?.() ?? { letters: [], kafkaOptions: {} });
      }
      durations.getBatch = performance.now() - t;
      // onError=fail is Spark's behaviour: the first record that cannot become a row fails the query.
      const firstLetter = deadLetters.find((d) => d.letters.length > 0)?.letters[0];
      if (firstLetter && policy.onError === 'fail') throw firstLetter.error;
      durations.queryPlanning = 0;
      // 3. Run the incremental plan and write the sink.
      t = performance.now();
      let output: Row[];
      try {
        output = await this.runBatchSettingAsideBadRows(inputs, info, policy.onError, deadLetters);
        await this.sink!.addBatch(batch.batchId, output, this.config.outputSchema);
        await offsetsLogDurable();
        sinkLetters = await this.settleDeadLetters(policy, deadLetters, batch.batchId);
        stateProgress = this.config.incremental.commitState();
      } catch (err) {
        this.config.incremental.abortState();
        throw err;
      }
      inputCounts = inputs.map((r) => r.length);
      numOutputRows = output.length;
      durations.addBatch = performance.now() - t;
    }
    // 4. Commit.
    t = performance.now();
    const nextWatermarkMs = this.advanceWatermark(batch.watermarkMs);
    if (this.asyncProgress) {
      await this.asyncProgress.addCommit(batch.batchId, { nextBatchWatermarkMs: nextWatermarkMs });
    } else {
      const end = batch.end;
      const commit = async () => {
        await ck.commits.addAsync(batch.batchId, { nextBatchWatermarkMs: nextWatermarkMs });
        for (let i = 0; i < this.sources.length; i++) {
          if (end[i] !== VOID) await this.sources[i]!.commit(end[i]);
        }
        // Purge every 10 batches (the logs keep at least minBatchesToRetain entries either way).
        if (batch.batchId % 10 === 0) await ck.purge(batch.batchId, this.config.minBatchesToRetain);
      };
      // An at-least-once sink's next batch does not wait for this commit: the next offsets entry
      // is written after it, and an idle trigger, a stop or the next batch's commit waits for both.
      const committed = this.logWrites.add(commit);
      if (!this.sink?.atLeastOnce) await committed;
    }
    durations.commitOffsets = performance.now() - t;
    this.committed = batch.end;
    this.committedKnown = batch.end.map(() => true);
    this.currentBatchId = batch.batchId + 1;
    this.lastBatchHadData = inputCounts.some((n) => n > 0);
    this.prevBatchWatermarkMs = batch.watermarkMs;
    this.batchWatermarkMs = nextWatermarkMs;
    durations.triggerExecution = performance.now() - t0;
    this.reportProgress(
      batch,
      inputCounts,
      numOutputRows - sinkLetters.length,
      durations,
      stateProgress,
      triggerStartMs,
      deadLetters.map((d) => d.letters),
      policy.onError,
      sinkLetters.length,
    );
    this.setStatus('Waiting for data to arrive', false, false);
    return true;
  }

  /**
   * Whether a batch can flow chunk by chunk from the sources to the sink: every source with data
   * reads in chunks, and each source's rows go through a row-local plan.
   */
  private canStream(batch: PlannedBatch): boolean {
    if (!this.config.incremental.streamable) return false;
    return this.sources.every(
      (s, i) => s.getBatchChunks !== undefined || offsetsEqual(s, batch.start[i], batch.end[i]),
    );
  }

  /** Reads, runs and writes one batch in chunks; the sink gets the chunks as they come when it can. */
  private async runBatchChunked(
    batch: PlannedBatch,
    info: BatchInfo,
    policy: { onError: OnError; topic: string },
    offsetsLogDurable: () => Promise<void>,
  ): Promise<{
    inputCounts: number[];
    numOutputRows: number;
    stateProgress: StateOperatorProgress[];
    sinkLetters: DeadLetter[];
    deadLetters: SourceDeadLetters[];
  }> {
    const inc = this.config.incremental;
    const sink = this.sink!;
    const schema = this.config.outputSchema;
    const inputCounts = this.sources.map(() => 0);
    const inputs = this.sources.map((s, i) => {
      const start = batch.start[i];
      const end = batch.end[i];
      if (offsetsEqual(s, start, end)) return emptyChunks();
      return countChunks(s.getBatchChunks!(start, end), (n) => {
        inputCounts[i]! += n;
      });
    });
    let numOutputRows = 0;
    let writer: BatchWriter | undefined;
    const collected: Row[] = [];
    // The sink's batch opens with its first rows (an exactly-once sink's transaction is not held
    // open while the sources are still being read).
    const open = async (): Promise<BatchWriter> => {
      writer ??= await sink.openBatch!(batch.batchId, schema);
      return writer;
    };
    try {
      await inc.runBatchStreaming(inputs, info, async (rows) => {
        numOutputRows += rows.length;
        if (sink.openBatch) await (await open()).write(rows);
        else for (const r of rows) collected.push(r);
      });
      // Records that did not become rows: onError=fail fails the batch (before it commits).
      const deadLetters = this.sources.map((s) => s.takeDeadLetters?.() ?? { letters: [], kafkaOptions: {} });
      const firstLetter = deadLetters.find((d) => d.letters.length > 0)?.letters[0];
      if (firstLetter && policy.onError === 'fail') throw firstLetter.error;
      // The sink's acknowledgements and the offsets entry's fsync overlap (only an at-least-once
      // sink has one pending here); the entry is on disk before the batch's state and commit.
      if (sink.openBatch) await (await open()).commit();
      else await sink.addBatch(batch.batchId, collected, schema);
      await offsetsLogDurable();
      const sinkLetters = await this.settleDeadLetters(policy, deadLetters, batch.batchId);
      return { inputCounts, numOutputRows, stateProgress: inc.commitState(), sinkLetters, deadLetters };
    } catch (err) {
      await writer?.abort().catch(() => undefined);
      inc.abortState();
      throw err;
    }
  }

  /**
   * Runs the batch; when an expression fails on a row (ExecutionError: an ANSI cast, a division by
   * zero, a UDF's exception) and the query dead-letters or drops, the rows that fail on their own are
   * found by bisection (each probe's state thrown away), set aside as dead letters of stage `eval`, and
   * the batch runs again without them. An error no single row explains (one that depends on aggregated
   * values) still fails the query, as does a row whose source cannot name its original record.
   */
  private async runBatchSettingAsideBadRows(
    inputs: Row[][],
    info: BatchInfo,
    onError: OnError,
    deadLetters: SourceDeadLetters[],
  ): Promise<Row[]> {
    const inc = this.config.incremental;
    try {
      return await inc.runBatch(inputs, info);
    } catch (err) {
      if (onError === 'fail' || !(err instanceof ExecutionError)) throw err;
      inc.abortState();
      const probe = async (i: number, rows: Row[]): Promise<Error | undefined> => {
        try {
          await inc.runBatch(
            inputs.map((_, j) => (j === i ? rows : [])),
            info,
          );
          return undefined;
        } catch (e) {
          return e instanceof ExecutionError ? e : undefined;
        } finally {
          inc.abortState();
        }
      };
      const bad = new Map<Row, { source: number; error: Error }>();
      const search = async (i: number, rows: Row[]): Promise<void> => {
        if (rows.length === 0) return;
        const e = await probe(i, rows);
        if (!e) return;
        if (rows.length === 1) {
          bad.set(rows[0]!, { source: i, error: e });
          return;
        }
        const mid = rows.length >> 1;
        await search(i, rows.slice(0, mid));
        await search(i, rows.slice(mid));
      };
      for (let i = 0; i < inputs.length; i++) await search(i, inputs[i]!);
      if (bad.size === 0) throw err;
      const extra: DeadLetter[][] = inputs.map(() => []);
      for (const [row, { source, error }] of bad) {
        const letter = this.sources[source]!.deadLetterOf?.(row, 'eval', error);
        if (!letter) throw error;
        extra[source]!.push(letter);
      }
      extra.forEach((letters, i) => {
        if (letters.length > 0) {
          const d = deadLetters[i]!;
          deadLetters[i] = { letters: [...d.letters, ...letters], kafkaOptions: d.kafkaOptions };
        }
      });
      return await inc.runBatch(
        inputs.map((rows) => rows.filter((r) => !bad.has(r))),
        info,
      );
    }
  }

  /**
   * Takes the records the sink rejected (stage sink; it rejects only when onError is not 'fail') and,
   * when the query dead-letters, writes every stage's letters — before the batch commits, so a crash
   * never loses one. Resolves to the sink's letters.
   */
  private async settleDeadLetters(
    policy: { onError: OnError; topic: string },
    perSource: SourceDeadLetters[],
    batchId: number,
  ): Promise<DeadLetter[]> {
    const rejected = this.sink!.takeDeadLetters?.();
    if (policy.onError === 'deadletter')
      await this.writeDeadLetters(policy.topic, rejected ? [...perSource, rejected] : perSource, batchId);
    return rejected ? [...rejected.letters] : [];
  }

  /** Writes a batch's dead letters to the dead-letter topic on each source's cluster. */
  private async writeDeadLetters(
    topic: string,
    perSource: SourceDeadLetters[],
    batchId: number,
  ): Promise<void> {
    for (const d of perSource) {
      if (d.letters.length === 0) continue;
      const key = JSON.stringify(Object.entries(d.kafkaOptions).sort());
      let writer = this.deadLetterWriters.get(key);
      if (!writer) {
        writer = DeadLetterWriter.forKafkaOptions(d.kafkaOptions);
        this.deadLetterWriters.set(key, writer);
      }
      await writer.write(topic, d.letters, {
        queryId: this.id,
        queryName: this.name,
        runId: this.runId,
        batchId,
      });
    }
  }

  /**
   * Spark's WatermarkTracker: each watermark operator's max event time minus its delay; the global
   * watermark is the minimum over operators that have seen data (`multipleWatermarkPolicy=min`,
   * or the maximum with `max`) and never moves back. Computed after a batch, used by the next.
   */
  private advanceWatermark(current: number): number {
    const stats = this.config.incremental.eventTimeStats;
    if (stats.length === 0) return current;
    const candidates: number[] = [];
    stats.forEach((st, i) => {
      if (st.count > 0)
        this.operatorMaxEventTime[i] = Math.max(this.operatorMaxEventTime[i] ?? -Infinity, st.max);
      const m = this.operatorMaxEventTime[i];
      if (m !== undefined && Number.isFinite(m)) candidates.push(m - st.delayMs);
    });
    if (candidates.length === 0) return current;
    const policyMax = this.config.conf['spark.sql.streaming.multipleWatermarkPolicy'] === 'max';
    const global = policyMax ? Math.max(...candidates) : Math.min(...candidates);
    return Math.max(current, global);
  }

  /** progress `eventTime`: avg/max/min of this batch's event times and the batch watermark. */
  private eventTimeProgress(watermarkMs: number): Record<string, string> | undefined {
    const stats = this.config.incremental.eventTimeStats;
    if (stats.length === 0) return undefined;
    const out: Record<string, string> = {};
    const count = stats.reduce((a, st) => a + st.count, 0);
    if (count > 0) {
      const iso = (ms: number) => new Date(ms).toISOString();
      out.avg = iso(Math.round(stats.reduce((a, st) => a + st.sum, 0) / count));
      out.max = iso(Math.max(...stats.map((st) => st.max)));
      out.min = iso(Math.min(...stats.map((st) => st.min)));
    }
    out.watermark = new Date(watermarkMs).toISOString();
    return out;
  }

  private resolveAllAvailable(triggerNumber: number): void {
    const keep: typeof this.allAvailableWaiters = [];
    for (const w of this.allAvailableWaiters) {
      if (w.sinceTrigger < triggerNumber) w.resolve();
      else keep.push(w);
    }
    this.allAvailableWaiters = keep;
  }

  private reportProgress(
    batch: PlannedBatch,
    inputCounts: readonly number[],
    numOutputRows: number,
    durations: Record<string, number>,
    stateOperators: StateOperatorProgress[],
    triggerStartMs: number,
    deadLetters: readonly (readonly DeadLetter[])[] = [],
    onError: OnError = 'fail',
    sinkDeadLetters = 0,
  ): void {
    const processingSec = Math.max(1, durations.triggerExecution ?? 0) / 1000;
    const inputSec =
      this.lastTriggerStartMs >= 0 && triggerStartMs > this.lastTriggerStartMs
        ? (triggerStartMs - this.lastTriggerStartMs) / 1000
        : Number.POSITIVE_INFINITY;
    this.lastTriggerStartMs = triggerStartMs;
    const sources: SourceProgress[] = this.sources.map((s, i) => {
      // Records that did not become rows (stage parse) count as input too, so that
      // in = out (or aggregated) + dead letters; rows set aside at stage eval are already inputs.
      const letters = deadLetters[i] ?? [];
      const failed = letters.length;
      const n = inputCounts[i]! + letters.filter((l) => l.stage === 'parse').length;
      const latest = s.reportLatestOffset?.() ?? null;
      const p: SourceProgress = {
        description: s.description,
        startOffset: batch.startKnown[i] && batch.start[i] !== VOID ? batch.start[i] : null,
        endOffset: batch.end[i] === VOID ? null : batch.end[i],
        latestOffset: latest,
        numInputRows: n,
        inputRowsPerSecond: rate(n / inputSec),
        processedRowsPerSecond: rate(n / processingSec),
      };
      if (s.takeDeadLetters) {
        if (onError === 'drop') p.numDroppedRecords = failed;
        else p.numDeadLetters = failed;
      }
      const m = sortedMap(s.metrics?.(batch.end[i] === VOID ? null : batch.end[i]));
      if (m) p.metrics = m;
      return p;
    });
    const numInputRows = sources.reduce((a, s) => a + s.numInputRows, 0);
    const ms: Record<string, number> = {};
    for (const [k, v] of Object.entries(durations)) ms[k] = Math.round(v);
    const progress: StreamingQueryProgress = {
      id: this.id,
      runId: this.runId,
      name: this.name,
      timestamp: new Date(triggerStartMs).toISOString(),
      batchId: batch.batchId,
      batchDuration: ms.triggerExecution ?? 0,
      numInputRows,
      inputRowsPerSecond: rate(sources.reduce((a, s) => a + (s.inputRowsPerSecond ?? 0), 0)),
      processedRowsPerSecond: rate(sources.reduce((a, s) => a + (s.processedRowsPerSecond ?? 0), 0)),
      durationMs: sortedMap(ms),
      eventTime: this.eventTimeProgress(batch.watermarkMs),
      stateOperators: stateOperators.map((o) => {
        const c = sortedMap(o.customMetrics);
        const { customMetrics: _drop, ...rest } = o;
        return c ? { ...rest, customMetrics: c } : rest;
      }),
      sources,
      sink: (() => {
        const metrics: Record<string, string> = { ...this.sink!.metrics?.() };
        // Rows the sink rejected (stage sink): in = out + dead letters holds at the sink too.
        if (this.sink!.takeDeadLetters && onError !== 'fail')
          metrics[onError === 'drop' ? 'numDroppedRecords' : 'numDeadLetters'] = String(sinkDeadLetters);
        const m = sortedMap(metrics);
        return { description: this.sink!.description, numOutputRows, ...(m ? { metrics: m } : {}) };
      })(),
    };
    if (onError !== 'fail') {
      // The batch's dead letters (or dropped records) of every stage, as a named observation.
      const total = deadLetters.reduce((a, l) => a + l.length, 0) + sinkDeadLetters;
      progress.observedMetrics = {
        deadLetters: { [onError === 'drop' ? 'numDroppedRecords' : 'numDeadLetters']: total },
      };
    }
    for (const k of Object.keys(progress) as (keyof StreamingQueryProgress)[]) {
      if (progress[k] === undefined) delete progress[k];
    }
    this.progressBuffer.push(progress);
    while (this.progressBuffer.length > this.config.numRecentProgressUpdates) this.progressBuffer.shift();
    this.config.bus.postProgress({ progress });
  }

  /**
   * Trigger.Continuous: rows are processed as soon as a source has them (push sources wake the
   * loop at once), written straight to the sink; every interval the epoch's end offsets are
   * checkpointed (`offsets/<epoch>` + `commits/<epoch>`), so a restart resumes after the last
   * committed epoch (at-least-once, as Spark's continuous processing).
   */
  private async runContinuous(): Promise<void> {
    const trigger = this.config.trigger as Extract<Trigger, { kind: 'continuous' }>;
    if (this.pending) {
      // An epoch that never committed: resume from its start (at-least-once).
      this.pending = undefined;
    }
    let epoch = this.currentBatchId;
    let epochStartMs = Date.now();
    let position = [...this.committed];
    let epochRows: Row[] = [];
    let epochInput = 0;
    let epochOutput = 0;
    const immediate = typeof (this.sink as { writeContinuous?: unknown }).writeContinuous === 'function';
    if (immediate && this.sink && 'continuousEpochCommit' in this.sink) {
      (this.sink as { continuousEpochCommit: boolean }).continuousEpochCommit = true;
    }
    this.setStatus('Processing new data', false, true);
    // Once an epoch each source is asked for its latest offsets (new partitions, data loss); in
    // between, a source that knows what it holds (availableOffset) is read without a request.
    let askLatest = true;
    for (;;) {
      this.logWrites.throwIfFailed();
      const stopping = this.stopRequested;
      let got = false;
      const inputs: Row[][] = [];
      const ends: Offset[] = [];
      for (let i = 0; i < this.sources.length; i++) {
        const s = this.sources[i]!;
        const e =
          (askLatest ? undefined : s.availableOffset?.(position[i])) ??
          (await s.latestOffset(position[i], { kind: 'all' }));
        ends.push(e);
        if (offsetsEqual(s, position[i], e)) inputs.push([]);
        else {
          got = true;
          inputs.push(await s.getBatch(position[i], e));
        }
      }
      if (got) {
        const out = await this.config.incremental.runBatch(inputs, {
          batchId: epoch,
          outputMode: this.config.outputMode,
          watermarkMs: 0,
          lateWatermarkMs: 0,
          hasWatermark: false,
        });
        epochInput += inputs.reduce((a, r) => a + r.length, 0);
        epochOutput += out.length;
        if (immediate) {
          await (
            this.sink as unknown as {
              writeContinuous(e: number, r: Row[], s: StructType): Promise<void> | void;
            }
          ).writeContinuous(epoch, out, this.config.outputSchema);
        } else for (const r of out) epochRows.push(r);
        position = ends;
      }
      askLatest = false;
      const now = Date.now();
      const due = now - epochStartMs >= trigger.intervalMs || stopping;
      // The last epoch commits after the one before it, and none after a failed one (a later
      // commit would skip the failed epoch's records on restart).
      if (due && stopping) await this.logWrites.flush();
      this.logWrites.throwIfFailed();
      // One epoch commits at a time, beside the loop (Spark's epoch coordinator commits while the
      // tasks go on): while one commits, the open epoch grows; the records never wait for it.
      if (due && this.logWrites.idle) {
        askLatest = true;
        const epochEnd = {
          epoch,
          position: [...position],
          rows: immediate ? [] : epochRows,
          input: epochInput,
          output: epochOutput,
          startMs: epochStartMs,
          nowMs: now,
        };
        // The sink's epoch closes now, before rows of the next epoch are written; the commit, beside
        // the loop, awaits its flush.
        const flushed = Promise.resolve(this.sink!.addBatch(epoch, epochEnd.rows, this.config.outputSchema));
        flushed.catch(() => undefined); // awaited by the commit
        // The loop sleeping on an epoch that was due wakes when this commit ends.
        void this.logWrites
          .add(() => this.commitEpoch(epochEnd, flushed))
          .finally(() => this.wakeUp())
          .catch(() => undefined);
        epoch++;
        this.currentBatchId = epoch;
        epochStartMs = now;
        epochRows = [];
        epochInput = 0;
        epochOutput = 0;
      }
      if (stopping) {
        await this.logWrites.flush();
        break;
      }
      if (got) await yieldToEventLoop();
      if (!got && !this.stopRequested) {
        // Until the epoch ends, new data arrives, or (an epoch due while one commits) the commit ends.
        const untilEpochEnd = epochStartMs + trigger.intervalMs - Date.now();
        await this.sleep(
          untilEpochEnd > 0 ? Math.min(trigger.intervalMs, untilEpochEnd) : trigger.intervalMs,
        );
      }
    }
  }

  /**
   * Commits a continuous epoch: the sink's acknowledgements of its rows, `offsets/<epoch>` and
   * `commits/<epoch>` (an epoch left uncommitted by a previous run is replaced: continuous mode
   * resumes from the last committed epoch, at least once, as Spark's ContinuousExecution), then
   * progress. `flushed` is the sink's `addBatch` of the epoch, called when the epoch closed (so rows
   * of the next epoch, written meanwhile, never join it).
   */
  private async commitEpoch(
    e: {
      epoch: number;
      position: (Offset | typeof VOID)[];
      rows: Row[];
      input: number;
      /** Rows the epoch wrote (sinks that take them at once included). */
      output: number;
      startMs: number;
      nowMs: number;
    },
    flushed: Promise<void>,
  ): Promise<void> {
    const ck = this.config.checkpoint;
    const t0 = performance.now();
    await ck.offsets.putAsync(e.epoch, {
      metadata: { batchWatermarkMs: 0, batchTimestampMs: e.nowMs, conf: this.config.conf },
      offsets: e.position.map((o) => (o === VOID ? null : JSON.stringify(o))),
    });
    await flushed;
    await ck.commits.addAsync(e.epoch, { nextBatchWatermarkMs: 0 });
    for (let i = 0; i < this.sources.length; i++) await this.sources[i]!.commit(e.position[i]);
    await ck.purge(e.epoch, this.config.minBatchesToRetain);
    const planned: PlannedBatch = {
      batchId: e.epoch,
      start: [...this.committed],
      end: [...e.position],
      startKnown: [...this.committedKnown],
      timestampMs: e.startMs,
      rerun: false,
      watermarkMs: 0,
    };
    this.committed = [...e.position];
    this.committedKnown = e.position.map(() => true);
    const counts = this.sources.map((_, i) => (i === 0 ? e.input : 0));
    this.reportProgress(
      planned,
      counts,
      e.output,
      { triggerExecution: performance.now() - t0 },
      [],
      e.startMs,
    );
    this.triggerCount++;
    if (e.input === 0) this.resolveAllAvailable(this.triggerCount);
  }

  private async cleanup(): Promise<void> {
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    // No log write outlives the query (its failure, if any, is already the query's).
    await this.logWrites.flush().catch(() => undefined);
    await this.asyncProgress?.flush().catch(() => undefined);
    for (const s of this.sources) {
      try {
        await s.stop();
      } catch {
        // A source that fails to stop must not hide the query's own outcome.
      }
    }
    try {
      await this.sink?.stop?.();
    } catch {
      // Same for the sink.
    }
    for (const w of this.deadLetterWriters.values()) await w.stop().catch(() => undefined);
    this.deadLetterWriters.clear();
    this.config.incremental.close();
    this.active = false;
    this.setStatus('Stopped', false, false);
    if (this.config.deleteCheckpointOnStop && !this.exceptionValue) {
      fs.rmSync(this.config.checkpoint.root, { recursive: true, force: true });
    }
    for (const w of this.allAvailableWaiters) {
      if (this.exceptionValue) w.reject(this.exceptionValue);
      else w.resolve();
    }
    this.allAvailableWaiters = [];
    this.config.onTerminated(this);
    this.config.bus.postTerminated({
      id: this.id,
      runId: this.runId,
      exception: this.exceptionValue ? this.exceptionValue.message : null,
      errorClassOnException: this.exceptionValue ? this.exceptionValue.errorClass : null,
    });
    this.resolveTerminated();
  }

  /** Description used by toString / EXPLAIN. */
  describe(): string {
    return `StreamingQuery[id = ${this.id}, runId = ${this.runId}, name = ${this.name ?? 'null'}, trigger = ${describeTrigger(this.config.trigger)}]`;
  }
}

function offsetsEqual(s: MicroBatchStream, a: Offset | typeof VOID, b: Offset | typeof VOID): boolean {
  if (a === VOID || b === VOID) return a === b;
  if (s.offsetsEqual) return s.offsetsEqual(a, b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Wraps a failure as Spark's StreamingQueryException (a StreamingQueryError keeping the cause). */
function toStreamingError(err: unknown, q: StreamExecution): StreamingQueryError {
  if (err instanceof StreamingQueryError) return err;
  const cause = err instanceof Error ? err : new Error(String(err));
  const errorClass = err instanceof SluiceError ? err.errorClass : 'STREAM_FAILED';
  const prefix = `[${errorClass}] `;
  const message = cause.message.startsWith(prefix) ? cause.message.slice(prefix.length) : cause.message;
  return new StreamingQueryError(
    errorClass,
    `Query ${q.name ?? ''} [id = ${q.id}, runId = ${q.runId}] terminated with exception: ${message}`,
    undefined,
    { cause },
  );
}

async function* emptyChunks(): AsyncIterable<Row[]> {}

/** Passes chunks through, counting their rows. */
async function* countChunks(chunks: AsyncIterable<Row[]>, count: (n: number) => void): AsyncIterable<Row[]> {
  for await (const c of chunks) {
    count(c.length);
    yield c;
  }
}
