import type { DeadLetter, FailureStage, SourceDeadLetters } from '../streaming/dead-letters.js';
import type { Row, StructType } from '../types/data-type.js';

/** A source offset: any JSON value. The offsets log stores `JSON.stringify(offset)`. */
export type Offset = unknown;

/**
 * How much a source may admit in one micro-batch (Spark's ReadLimit). Sources that do not support
 * a kind treat it as `all`.
 */
export type ReadLimit =
  | { readonly kind: 'all' }
  | { readonly kind: 'maxRows'; readonly max: number }
  | { readonly kind: 'maxFiles'; readonly max: number }
  | { readonly kind: 'maxBytes'; readonly max: number };

export const readAllAvailable: ReadLimit = { kind: 'all' };

/**
 * A streaming source, modeled on Spark's MicroBatchStream + SupportsAdmissionControl +
 * SupportsTriggerAvailableNow + ReportsSourceMetrics. Offsets must be JSON values; every method may
 * be synchronous or return a promise.
 */
export interface MicroBatchStream {
  /** Spark's `description` in progress `sources[]`, e.g. `RateStreamV2[rowsPerSecond=1, ...]`. */
  readonly description: string;
  readonly schema: StructType;
  /** The offset before any data (the start of batch 0). */
  initialOffset(): Offset | Promise<Offset>;
  /** The default admission limit (from the source's rate-limit options). */
  getDefaultReadLimit(): ReadLimit;
  /** The end offset of the next batch starting at `start`, admitting at most `limit`. */
  latestOffset(start: Offset, limit: ReadLimit): Offset | Promise<Offset>;
  /** The rows in (start, end]. Must return the same rows when called again with the same offsets. */
  getBatch(start: Offset, end: Offset): Row[] | Promise<Row[]>;
  /**
   * The same rows as `getBatch`, in chunks of bounded size as they are read, so that a batch of any
   * size flows through the query without being held whole (docs/decisions/0002).
   */
  getBatchChunks?(start: Offset, end: Offset): AsyncIterable<Row[]>;
  /** Everything up to `end` was processed and committed: the source may forget it. */
  commit(end: Offset): void | Promise<void>;
  stop(): void | Promise<void>;
  /** Parses an offset read from the offsets log. */
  deserializeOffset(json: string): Offset;
  /** The newest offset available, ignoring limits (progress `latestOffset`), when cheap to know. */
  reportLatestOffset?(): Offset | null;
  /** Source metrics of progress `sources[].metrics`. */
  metrics?(latestConsumedOffset: Offset | null): Record<string, string>;
  /** Calls `listener` when new data arrives (memory, socket, a Kafka fetcher): the query wakes at once. */
  subscribe?(listener: (rows: Row[]) => void): () => void;
  /**
   * The end of what the source already holds from `start`, known without I/O (a Kafka fetcher's
   * buffers), or undefined when it cannot tell — the engine then asks `latestOffset`. Continuous
   * processing reads it between epochs; a busy micro-batch stream plans its next batch with it
   * (docs/decisions/0011). Both still ask `latestOffset` regularly, to find new partitions.
   */
  availableOffset?(start: Offset): Offset | undefined;
  /** Trigger.AvailableNow: fix the end of the data to what is available now. */
  prepareForTriggerAvailableNow?(): void | Promise<void>;
  /** True when the offsets equal (defaults to comparing JSON). */
  offsetsEqual?(a: Offset, b: Offset): boolean;
  /** The records of the last `getBatch` that could not become rows (streaming/dead-letters.ts), once. */
  takeDeadLetters?(): SourceDeadLetters;
  /** The dead letter of a row of the last `getBatch` that a later stage failed on, when the source can tell. */
  deadLetterOf?(row: Row, stage: FailureStage, error: Error): DeadLetter | undefined;
}

/** What a source gets when a query starts. */
export interface SourceContext {
  /** `sources/<n>` in the checkpoint: the source's private metadata directory. */
  readonly metadataPath: string;
  /** Options given to the reader (keys as given; look up case-insensitively with `getOption`). */
  readonly options: Readonly<Record<string, string>>;
  /** The schema resolved at `load()`. */
  readonly schema: StructType;
}

/** Session settings that shape a source's schema at `load()`. */
export interface SourceSchemaConf {
  /** `spark.sql.streaming.schemaInference`: file sources infer the schema from existing files. */
  readonly schemaInference: boolean;
}

/** A streaming source format (`readStream.format(name)`). */
export interface SourceProvider {
  readonly format: string;
  /** The schema of the DataFrame `load()` returns; `userSchema` is `readStream.schema(...)`. */
  sourceSchema(
    options: Readonly<Record<string, string>>,
    userSchema: StructType | undefined,
    conf?: SourceSchemaConf,
  ): StructType;
  /** Creates the stream when a query starts (once per query run). */
  createStream(ctx: SourceContext): MicroBatchStream;
  /** Whether the source can run under Trigger.Continuous. */
  readonly supportsContinuous?: boolean;
}

/**
 * The value `readStream.load()` puts in the plan's `StreamingRelation.source`: everything needed
 * to create the stream when a query starts.
 */
export interface StreamingSourceDescriptor {
  readonly kind: 'sluice-source';
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  readonly schema: StructType;
  readonly provider: SourceProvider;
  /** Human-readable name used by EXPLAIN (`StreamingRelation rate, [timestamp, value]`). */
  readonly displayName: string;
}

/** Case-insensitive option lookup (Spark's CaseInsensitiveStringMap). */
export function getOption(options: Readonly<Record<string, string>>, name: string): string | undefined {
  if (name in options) return options[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(options)) if (k.toLowerCase() === lower) return options[k];
  return undefined;
}

/** Type guard for descriptors found in a plan. */
export function isSourceDescriptor(v: unknown): v is StreamingSourceDescriptor {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'sluice-source';
}
