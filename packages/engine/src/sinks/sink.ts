import type { SourceDeadLetters } from '../streaming/dead-letters.js';
import type { Row, StructType } from '../types/data-type.js';

/** Spark's output modes. */
export type OutputMode = 'append' | 'complete' | 'update';

/** What a sink gets when a query starts. */
export interface SinkContext {
  /** `writeStream.option(...)` values (keys as given; use `getOption`). */
  readonly options: Readonly<Record<string, string>>;
  readonly outputMode: OutputMode;
  /** `queryName(...)`, if set. */
  readonly queryName: string | undefined;
  /** The query id stored in the checkpoint (stable across restarts). */
  readonly queryId: string;
  /** Schema of the rows `addBatch` receives. */
  readonly schema: StructType;
  /** `partitionBy(...)` columns. */
  readonly partitionBy: readonly string[];
  /** The session that started the query (the PLAN engineer's Session; used by memory/foreachBatch sinks). */
  readonly session: unknown;
  /** The resolved checkpoint directory. */
  readonly checkpointLocation: string;
  /**
   * The query runs with asynchronous progress tracking: a re-run batch may carry other rows than
   * the first run of the same batch id (docs/decisions/0010).
   */
  readonly asyncProgressTracking?: boolean;
}

/**
 * A streaming sink (Spark's Sink / StreamingWrite). `addBatch` receives a batch id that repeats when a
 * batch is re-run after a failure, so idempotent sinks skip batches they already have.
 */
export interface Sink {
  /** progress `sink.description`. */
  readonly description: string;
  addBatch(batchId: number, rows: Row[], schema: StructType): void | Promise<void>;
  /**
   * Writes a batch chunk by chunk (the same contract as `addBatch`: a batch id that repeats after a
   * failure is written again, or skipped by an idempotent sink): `write` is awaited for each chunk,
   * then `commit`; `abort` when the batch fails before it commits.
   */
  openBatch?(batchId: number, schema: StructType): Promise<BatchWriter>;
  /**
   * True for a sink whose writes do not depend on the batch id (Spark's Kafka sink: at least once,
   * never skipping a batch it has seen): the batch's offsets entry may be written while its rows
   * are, as long as it is on disk before the batch commits.
   */
  readonly atLeastOnce?: boolean;
  /** progress `sink.metrics`. */
  metrics?(): Record<string, string>;
  /** Called when the query stops. */
  stop?(): void | Promise<void>;
  /**
   * The last batch id an idempotent sink recorded as written by itself (file sink: `_spark_metadata`;
   * postgres: `_sluice_sink_commits`), or undefined. Checked against the checkpoint at start: a sink
   * ahead of the offsets log would skip the re-planned batches as already written.
   */
  latestCommittedBatchId?(): number | undefined | Promise<number | undefined>;
  /**
   * The records of the last `addBatch` the sink rejected instead of failing the query (stage `sink`
   * dead letters, only when the query's `onError` is not `fail`), once, with the Kafka cluster the
   * dead-letter topic lives on.
   */
  takeDeadLetters?(): SourceDeadLetters;
}

/** The writer of one batch of a sink that takes batches in chunks. */
export interface BatchWriter {
  write(rows: Row[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** A sink format (`writeStream.format(name)`). */
export interface SinkProvider {
  readonly format: string;
  /** Output modes this sink accepts; `start()` refuses others. */
  readonly supportedOutputModes: readonly OutputMode[];
  /** When true, the query runs without `checkpointLocation` on a temporary one (console, memory). */
  readonly allowsTemporaryCheckpoint?: boolean;
  /** Whether the sink can run under Trigger.Continuous. */
  readonly supportsContinuous?: boolean;
  /** Why these options cannot run under Trigger.Continuous although the format can (refused at start). */
  continuousRefusal?(options: Readonly<Record<string, string>>): string | undefined;
  /**
   * Whether the sink can run with `asyncProgressTrackingEnabled` (Spark's list: kafka, console,
   * memory, noop), and why these options cannot although the format can.
   */
  readonly supportsAsyncProgressTracking?: boolean;
  asyncProgressTrackingRefusal?(options: Readonly<Record<string, string>>): string | undefined;
  /** Checks options before the query starts (throw AnalysisError). */
  validate?(options: Readonly<Record<string, string>>, outputMode: OutputMode): void;
  createSink(ctx: SinkContext): Sink | Promise<Sink>;
}
