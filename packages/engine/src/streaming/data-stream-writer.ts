import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataFrame } from '../dataframe/dataframe.js';
import { AnalysisError } from '../errors.js';
import { schemaOf } from '../plan/analyzer.js';
import type { BoundPlan } from '../plan/bound-plan.js';
import { optimize } from '../plan/optimizer.js';
import { locationExists, tableExists } from '../session/managed-tables.js';
import {
  type ForeachBatchFunction,
  ForeachBatchSink,
  ForeachSink,
  type ForeachWriter,
} from '../sinks/foreach-sink.js';
import { lookupSink } from '../sinks/registry.js';
import type { OutputMode, Sink, SinkProvider } from '../sinks/sink.js';
import { getOption, isSourceDescriptor, type MicroBatchStream } from '../sources/source.js';
import type { Row, StructType } from '../types/data-type.js';
import { StreamCheckpoint } from './checkpoint/checkpoint.js';
import { deadLetterPolicy } from './dead-letters.js';
import { IncrementalExecution } from './incremental-execution.js';
import { existingShardCount } from './state-layout.js';
import { StreamExecution } from './stream-execution.js';
import { StreamingQuery } from './streaming-query.js';
import { streamsOf } from './streaming-query-manager.js';
import { resolveTrigger, type Trigger, type TriggerSpec } from './trigger.js';
import { checkForContinuous, checkForStreaming, modeName } from './unsupported-operation-checker.js';

/** State shards per stateful operator when `spark.sql.shuffle.partitions` is not set (decision 0003). */
const DEFAULT_STATE_SHARDS = 4;

const OUTPUT_MODES: Record<string, OutputMode> = { append: 'append', complete: 'complete', update: 'update' };

/**
 * Spark's DataStreamWriter (`df.writeStream`): `format`, `option(s)`, `outputMode`, `trigger`,
 * `queryName`, `partitionBy`, `foreach`, `foreachBatch`, then `start()` (or `toTable`) returns the
 * running StreamingQuery. Every check Spark makes at start — output mode versus query shape, sink
 * support, checkpoint location, name clashes — throws here, synchronously.
 */
export class DataStreamWriter {
  private source = 'parquet';
  private sourceSet = false;
  private readonly extraOptions: Record<string, string> = {};
  private mode: OutputMode = 'append';
  private triggerValue: Trigger = { kind: 'processingTime', intervalMs: 0 };
  private name: string | null = null;
  private partitionCols: string[] = [];
  private foreachWriter: ForeachWriter | undefined;
  private foreachBatchFn: ForeachBatchFunction | undefined;

  constructor(readonly df: DataFrame) {}

  format(source: string): this {
    this.source = source;
    this.sourceSet = true;
    return this;
  }

  option(key: string, value: string | number | boolean): this {
    this.extraOptions[key] = String(value);
    return this;
  }

  options(opts: Readonly<Record<string, string | number | boolean>>): this {
    for (const [k, v] of Object.entries(opts)) this.option(k, v);
    return this;
  }

  /** `append` (default), `complete` or `update` (case-insensitive, as Spark). */
  outputMode(mode: string): this {
    const m = OUTPUT_MODES[mode.toLowerCase()];
    if (!m) {
      throw new AnalysisError(
        'STREAMING_OUTPUT_MODE.INVALID',
        `Unknown output mode ${mode}. Accepted output modes are 'append', 'complete', 'update'`,
      );
    }
    this.mode = m;
    return this;
  }

  /** `{ processingTime: '5 seconds' }`, `{ once: true }`, `{ availableNow: true }`, `{ continuous: '1 second' }`. */
  trigger(spec: TriggerSpec): this {
    this.triggerValue = resolveTrigger(spec);
    return this;
  }

  queryName(name: string): this {
    this.name = name;
    return this;
  }

  partitionBy(...cols: (string | string[])[]): this {
    this.partitionCols = cols.flat();
    return this;
  }

  /** Writes each row through a ForeachWriter (or a plain per-row function). */
  foreach(writer: ForeachWriter | ((row: Record<string, unknown>) => void | Promise<void>)): this {
    this.foreachWriter = typeof writer === 'function' ? { process: writer } : writer;
    this.source = 'foreach';
    this.sourceSet = true;
    return this;
  }

  /** Calls `fn(batchDF, batchId)` for every micro-batch. */
  foreachBatch(fn: ForeachBatchFunction<DataFrame>): this {
    this.foreachBatchFn = fn as ForeachBatchFunction;
    this.source = 'foreachBatch';
    this.sourceSet = true;
    return this;
  }

  /**
   * Spark's `toTable(name)`: appends the stream to a managed table of the warehouse directory (a file
   * sink at the table's location), creating the table with the stream's schema and this writer's
   * format (default `spark.sql.sources.default`) when it does not exist. Read it with
   * `session.table(name)` or as a stream with `readStream.table(name)`.
   */
  toTable(tableName: string): StreamingQuery {
    const session = this.df.session;
    const tables = session.catalog.tables;
    let table = tables.get(tableName);
    const format = (
      this.sourceSet ? this.source : (session.conf.get('spark.sql.sources.default') ?? 'parquet')
    ).toLowerCase();
    if (!table) {
      if (!['parquet', 'json', 'csv', 'text'].includes(format)) {
        throw new AnalysisError(
          'DATA_SOURCE_NOT_FOUND',
          `Failed to find the data source: ${format}. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version.`,
        );
      }
      if (session.catalog.isTempView(tableName)) throw tableExists(tableName);
      const location = tables.locationOf(tableName);
      if (fs.existsSync(location)) throw locationExists(tableName, location);
      // Checked like start() before the table exists, so a refused query leaves no table behind.
      checkForStreaming(optimize(this.df.analyzed()), this.mode);
      table = tables.create({
        name: tableName,
        provider: format,
        schema: this.df.schema,
        partitionColumns: this.partitionCols,
      });
    }
    this.format(table.provider);
    if (table.partitionColumns.length > 0) this.partitionCols = [...table.partitionColumns];
    return this.start(table.location);
  }

  start(outputPath?: string): StreamingQuery {
    const session = this.df.session;
    const conf = session.conf;
    const options = { ...this.extraOptions };
    if (outputPath !== undefined) options.path = outputPath;
    const sinkFormat = this.sourceSet ? this.source : (conf.get('spark.sql.sources.default') ?? 'parquet');

    // The analyzed and optimized plan, checked against the output mode as Spark's
    // UnsupportedOperationChecker does.
    const bound: BoundPlan = optimize(this.df.analyzed());
    const trigger = this.triggerValue;
    if (trigger.kind === 'continuous') checkForContinuous(bound, this.mode);
    else checkForStreaming(bound, this.mode);

    const provider = this.sinkProvider(sinkFormat);
    if (!provider.supportedOutputModes.includes(this.mode)) {
      throw new AnalysisError(
        'STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE',
        `Data source ${sinkFormat} does not support ${modeName(this.mode)} output mode.`,
      );
    }
    provider.validate?.(options, this.mode);
    if (trigger.kind === 'continuous') {
      const refusal = provider.supportsContinuous
        ? provider.continuousRefusal?.(options)
        : `Data source ${sinkFormat} does not support continuous processing.`;
      if (refusal) throw new AnalysisError('STREAMING_CONTINUOUS_UNSUPPORTED', refusal);
    }
    const incrementalBound = bound;
    const outputSchema: StructType = schemaOf(incrementalBound.output);
    const incremental = new IncrementalExecution(incrementalBound, outputSchema, this.mode);
    const asyncProgressTrackingIntervalMs = asyncProgressTracking(
      options,
      trigger,
      provider,
      sinkFormat,
      incremental.statefulOperators.length > 0,
    );
    const descriptors = incremental.leaves.map((l) => {
      const d = l.leaf.source;
      if (!isSourceDescriptor(d)) {
        throw new AnalysisError(
          'STREAMING_SOURCE_UNKNOWN',
          `Streaming leaf ${l.leaf.sourceName} has no source descriptor`,
        );
      }
      if (trigger.kind === 'continuous' && !d.provider.supportsContinuous) {
        throw new AnalysisError(
          'STREAMING_CONTINUOUS_UNSUPPORTED',
          `Data source ${d.format} does not support continuous processing.`,
        );
      }
      return d;
    });

    // Checkpoint location: option, session conf + query name, or a temporary one for sinks that allow it.
    let root = options.checkpointLocation ?? options.checkpointlocation;
    let deleteOnStop = false;
    if (!root) {
      const base = conf.get('spark.sql.streaming.checkpointLocation');
      if (base) root = path.join(base, this.name ?? randomUUID());
      else if (provider.allowsTemporaryCheckpoint) {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'temporary-'));
        deleteOnStop =
          (conf.get('spark.sql.streaming.forceDeleteTempCheckpointLocation') ?? 'true') !== 'false';
      } else {
        throw new AnalysisError(
          'CHECKPOINT_LOCATION_NOT_SPECIFIED',
          'checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)',
        );
      }
    }
    const checkpoint = new StreamCheckpoint(path.resolve(root));
    // Read the metadata and every log now so a corrupt checkpoint fails start() with the file's path.
    const existing = checkpoint.readMetadata();
    const latestOffsets = checkpoint.offsets.getLatest();
    checkpoint.commits.getLatest();
    const manager = streamsOf(session);
    if (existing) manager.assertCanStart(this.name, existing.id);
    else manager.assertCanStart(this.name, '');
    const id = checkpoint.getOrCreateQueryId();
    const deadLetters = deadLetterPolicy(options, this.name, id);

    const recordedConf = latestOffsets?.entry.metadata.conf ?? {};
    const providerName =
      recordedConf['spark.sql.streaming.stateStore.providerClass'] ??
      conf.get('spark.sql.streaming.stateStore.providerClass') ??
      'memory';
    const numConf = (key: string, dflt: number): number => {
      const v = Number(conf.get(key));
      return Number.isFinite(v) && v > 0 ? v : dflt;
    };
    // State shards (docs/decisions/0003): fixed by the checkpoint once it has state or an offsets
    // entry; otherwise spark.sql.shuffle.partitions when set, else 4.
    const recordedShards = Number(recordedConf['spark.sql.shuffle.partitions']);
    const numShards =
      Number.isInteger(recordedShards) && recordedShards > 0
        ? recordedShards
        : (existingShardCount(checkpoint.stateDir) ??
          (conf.contains('spark.sql.shuffle.partitions')
            ? numConf('spark.sql.shuffle.partitions', DEFAULT_STATE_SHARDS)
            : DEFAULT_STATE_SHARDS));
    const queryName = this.name;
    const partitionBy = this.partitionCols;
    const outputMode = this.mode;
    const foreachWriter = this.foreachWriter;
    const foreachBatchFn = this.foreachBatchFn;

    let query!: StreamingQuery;
    const execution = new StreamExecution({
      id,
      name: queryName,
      checkpoint,
      deleteCheckpointOnStop: deleteOnStop,
      incremental,
      createSources: (): MicroBatchStream[] =>
        descriptors.map((d, i) =>
          d.provider.createStream({
            metadataPath: checkpoint.sourceDir(i),
            options: d.options,
            schema: d.schema,
          }),
        ),
      createSink: (): Sink | Promise<Sink> => {
        if (foreachWriter) return new ForeachSink(foreachWriter);
        if (foreachBatchFn) {
          return new ForeachBatchSink(foreachBatchFn, (rows: Row[], schema: StructType) =>
            session.dataFrame({ kind: 'localRelation', schema, rows }),
          );
        }
        return provider.createSink({
          options,
          outputMode,
          queryName: queryName ?? undefined,
          queryId: id,
          schema: outputSchema,
          partitionBy,
          session,
          checkpointLocation: checkpoint.root,
          asyncProgressTracking: asyncProgressTrackingIntervalMs !== undefined,
        });
      },
      outputSchema,
      outputMode,
      trigger,
      deadLetters,
      bus: manager.bus,
      conf: {
        'spark.sql.shuffle.partitions': String(numShards),
        'spark.sql.streaming.stateStore.providerClass': providerName,
        'spark.sql.streaming.multipleWatermarkPolicy':
          conf.get('spark.sql.streaming.multipleWatermarkPolicy') ?? 'min',
        'spark.sql.streaming.aggregation.stateFormatVersion': '2',
      },
      providerName,
      minBatchesToRetain: numConf('spark.sql.streaming.minBatchesToRetain', 100),
      minDeltasForSnapshot: numConf('spark.sql.streaming.stateStore.minDeltasForSnapshot', 10),
      numShards,
      noDataProgressEventIntervalMs: numConf('spark.sql.streaming.noDataProgressEventInterval', 10000),
      pollingDelayMs: numConf('spark.sql.streaming.pollingDelay', 10),
      numRecentProgressUpdates: numConf('spark.sql.streaming.numRecentProgressUpdates', 100),
      noDataMicroBatches: (conf.get('spark.sql.streaming.noDataMicroBatches.enabled') ?? 'true') !== 'false',
      stateSchemaCheck: (conf.get('spark.sql.streaming.stateStore.stateSchemaCheck') ?? 'true') !== 'false',
      onTerminated: () => manager.terminated(query),
      triggerClock: manager.triggerClock,
      ...(asyncProgressTrackingIntervalMs === undefined ? {} : { asyncProgressTrackingIntervalMs }),
    });
    query = new StreamingQuery(execution, incremental);
    manager.register(query);
    manager.bus.postStarted({
      id,
      runId: execution.runId,
      name: queryName,
      timestamp: execution.startTimestamp.toISOString(),
    });
    execution.launch();
    return query;
  }

  private sinkProvider(format: string): SinkProvider {
    if (format === 'foreach' || format === 'foreachBatch') {
      if (format === 'foreach' && !this.foreachWriter) {
        throw new AnalysisError(
          'FOREACH_WRITER_MISSING',
          'foreach() must be called with a writer before start()',
        );
      }
      if (format === 'foreachBatch' && !this.foreachBatchFn) {
        throw new AnalysisError(
          'FOREACH_BATCH_FUNCTION_MISSING',
          'foreachBatch() must be called with a function before start()',
        );
      }
      return {
        format,
        supportedOutputModes: ['append', 'update', 'complete'],
        supportsContinuous: format === 'foreach',
        // As Spark: without a checkpointLocation these run on a temporary one (asked of pyspark 4.0).
        allowsTemporaryCheckpoint: true,
        createSink: () => {
          throw new Error('unreachable');
        },
      };
    }
    return lookupSink(format);
  }
}

/**
 * `asyncProgressTrackingEnabled` / `asyncProgressTrackingCheckpointIntervalMs` (docs/decisions/0010):
 * the interval when enabled, refusing what Spark's AsyncProgressTrackingMicroBatchExecution refuses.
 * Continuous queries ignore the options, as Spark's ContinuousExecution does.
 */
function asyncProgressTracking(
  options: Readonly<Record<string, string>>,
  trigger: Trigger,
  provider: SinkProvider,
  sinkFormat: string,
  stateful: boolean,
): number | undefined {
  const enabled = getOption(options, 'asyncProgressTrackingEnabled')?.trim().toLowerCase();
  if (enabled !== undefined && enabled !== 'true' && enabled !== 'false') {
    throw new AnalysisError(
      'INVALID_OPTION',
      `Invalid value '${enabled}' for option asyncProgressTrackingEnabled: expected true or false`,
    );
  }
  if (enabled !== 'true' || trigger.kind === 'continuous') return undefined;
  const intervalText = getOption(options, 'asyncProgressTrackingCheckpointIntervalMs')?.trim() ?? '1000';
  const intervalMs = Number(intervalText);
  if (!/^\d+$/.test(intervalText) || !Number.isSafeInteger(intervalMs)) {
    throw new AnalysisError(
      'INVALID_OPTION',
      `Invalid value '${intervalText}' for option asyncProgressTrackingCheckpointIntervalMs: expected a non-negative number of milliseconds`,
    );
  }
  const refuse = (message: string) =>
    new AnalysisError('STREAMING_ASYNC_PROGRESS_TRACKING_UNSUPPORTED', message);
  if (!provider.supportsAsyncProgressTracking) {
    throw refuse(`Sink ${sinkFormat} does not support async progress tracking`);
  }
  const refusal = provider.asyncProgressTrackingRefusal?.(options);
  if (refusal) throw refuse(refusal);
  if (trigger.kind === 'once') throw refuse('Async progress tracking cannot be used with Once trigger');
  if (trigger.kind === 'availableNow') {
    throw refuse('Async progress tracking cannot be used with AvailableNow trigger');
  }
  if (stateful) {
    throw refuse('Stateful streaming queries does not support async progress tracking at this moment.');
  }
  return intervalMs;
}
