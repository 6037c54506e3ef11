import type { StreamingQueryError } from '../errors.js';
import type { IncrementalExecution } from './incremental-execution.js';
import {
  progressJson,
  progressPrettyJson,
  type StreamingQueryProgress,
  type StreamingQueryStatus,
} from './progress.js';
import type { StreamExecution } from './stream-execution.js';

/**
 * Spark's StreamingQuery: a handle on a running query. `id` is stable across restarts (it lives in
 * the checkpoint's `metadata`), `runId` is new on every start.
 */
export class StreamingQuery {
  constructor(
    /** @internal */
    readonly execution: StreamExecution,
    private readonly incremental: IncrementalExecution,
  ) {}

  get id(): string {
    return this.execution.id;
  }

  get runId(): string {
    return this.execution.runId;
  }

  get name(): string | null {
    return this.execution.name;
  }

  get isActive(): boolean {
    return this.execution.isActive;
  }

  /** `{message, isDataAvailable, isTriggerActive}`. */
  get status(): StreamingQueryStatus {
    return this.execution.status;
  }

  /** The last 100 progress objects (`spark.sql.streaming.numRecentProgressUpdates`). */
  get recentProgress(): StreamingQueryProgress[] {
    return this.execution.recentProgress;
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.execution.lastProgress;
  }

  /** The error that stopped the query, or null. */
  get exception(): StreamingQueryError | null {
    return this.execution.exception;
  }

  /**
   * Waits until the query stops. Without a timeout it resolves when the query stops and rejects
   * with its exception if it failed; with one it resolves to whether the query stopped in time.
   */
  awaitTermination(timeoutMs?: number): Promise<boolean> {
    return this.execution.awaitTermination(timeoutMs);
  }

  /** Resolves once all data available in the sources now has been processed and committed. */
  processAllAvailable(): Promise<void> {
    return this.execution.processAllAvailable();
  }

  /** Stops the query (after the batch in flight) and resolves when it has stopped. */
  stop(): Promise<void> {
    return this.execution.stop();
  }

  /** The incremental physical plan; `extended` adds the trigger and output mode. */
  explainString(extended = false): string {
    const plan = this.incremental.explainString(this.execution.config.outputMode);
    if (!extended) return `== Physical Plan ==\n${plan}`;
    return `${this.execution.describe()}\n== Physical Plan ==\n${plan}\noutputMode = ${this.execution.config.outputMode}`;
  }

  explain(extended = false): string {
    const s = this.explainString(extended);
    process.stdout.write(`${s}\n`);
    return s;
  }

  /** Spark's `lastProgress.json` for any progress object. */
  static progressJson(p: StreamingQueryProgress, pretty = false): string {
    return pretty ? progressPrettyJson(p) : progressJson(p);
  }

  toString(): string {
    return this.execution.describe();
  }
}
