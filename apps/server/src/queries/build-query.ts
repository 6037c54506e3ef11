import { join } from 'node:path';
import {
  type DataFrame,
  parseTableSchema,
  type Session,
  type StreamingQuery,
  type TriggerSpec,
} from '@sluice/engine';
import type { QuerySpec, SourceSpec } from './schemas.js';

/** What building a query needs besides its spec. */
export interface BuildContext {
  /** The query's id (names its default checkpoint directory and its memory streams). */
  readonly queryId: string;
  readonly dataDir: string;
  /** The server's Kafka bootstrap servers, for sources and sinks that name none. */
  readonly bootstrap: readonly string[];
}

/**
 * An error in one part of the spec: `field` is the JSON pointer of that part (`/sources/words/schema`),
 * so editors can put the message next to it.
 */
export class SpecError extends Error {
  constructor(
    readonly field: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

function inField<T>(field: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof SpecError) throw error;
    throw new SpecError(field, error);
  }
}

/** The MemoryStream name a memory source of a query reads (the REST API adds rows to it). */
export function memoryStreamName(queryId: string, alias: string): string {
  return `sluice-query-${queryId}-${alias}`;
}

export function checkpointLocationOf(spec: QuerySpec, ctx: BuildContext): string {
  return spec.checkpointLocation ?? join(ctx.dataDir, 'checkpoints', ctx.queryId);
}

function withBootstrap(
  format: string,
  options: Record<string, string>,
  ctx: Pick<BuildContext, 'bootstrap'>,
): Record<string, string> {
  if (format.toLowerCase() !== 'kafka' || 'kafka.bootstrap.servers' in options) return options;
  return { ...options, 'kafka.bootstrap.servers': ctx.bootstrap.join(',') };
}

/** One source alias as a streaming DataFrame (Kafka values parsed by `valueFormat`, watermark applied). */
export function buildSource(
  session: Session,
  alias: string,
  source: SourceSpec,
  ctx: BuildContext,
): DataFrame {
  const field = `/sources/${alias}`;
  let options: Record<string, string> = { ...(source.options ?? {}) };
  let format: string = source.format;
  if (format === 'file') {
    // The file source is Spark's json/csv/text/parquet formats; `options.format` picks one.
    format = options.format ?? 'json';
    delete options.format;
  }
  if (format === 'memory') options = { ...options, name: memoryStreamName(ctx.queryId, alias) };
  options = withBootstrap(format, options, ctx);

  const reader = session.readStream.format(format).options(options);
  if (source.schema !== undefined && format !== 'kafka') {
    const ddl = source.schema;
    inField(`${field}/schema`, () => reader.schema(ddl));
  }
  let df = inField(`${field}/options`, () => reader.load());

  if (
    format === 'kafka' &&
    source.schema !== undefined &&
    (source.valueFormat === 'json' || source.valueFormat === 'csv' || source.valueFormat === 'avro')
  ) {
    // The engine's Kafka source parses the value itself (docs/dead-letters.md): a record that does not
    // parse becomes a dead letter instead of a row of NULLs.
    const ddl = source.schema;
    if (source.valueFormat !== 'avro') inField(`${field}/schema`, () => parseTableSchema(ddl));
    const valueFormat = source.valueFormat;
    df = inField(`${field}/schema`, () =>
      session.readStream
        .format(format)
        .options(options)
        .option('valueFormat', valueFormat)
        .option('schema', ddl)
        .load(),
    );
  }
  if (source.watermark) {
    const { column, delay } = source.watermark;
    const frame = df;
    df = inField(`${field}/watermark`, () => frame.withWatermark(column, delay));
  }
  return df;
}

/** Thrown when `sql` is anything but one query (a SELECT, WITH …, VALUES …). */
export class NotAQueryError extends Error {
  readonly errorClass = 'UNSUPPORTED_STATEMENT';
}

export interface BuiltQuery {
  readonly df: DataFrame;
  readonly sources: Readonly<Record<string, DataFrame>>;
}

/** Registers every source under its alias and plans the SQL over them (analysis errors throw). */
export function buildQueryFrame(session: Session, spec: QuerySpec, ctx: BuildContext): BuiltQuery {
  const sources: Record<string, DataFrame> = {};
  for (const [alias, source] of Object.entries(spec.sources)) {
    const df = buildSource(session, alias, source, ctx);
    df.createOrReplaceTempView(alias);
    sources[alias] = df;
  }
  const df = inField('/sql', () => session.sql(spec.sql));
  if (!df.isStreaming) {
    throw new SpecError(
      '/sql',
      new NotAQueryError('The query reads no streaming source: select from at least one source alias'),
    );
  }
  return { df, sources };
}

/** The sink format a memory sink becomes inside a worker (rows posted to the main thread). */
export const SERVER_MEMORY_SINK = 'sluice-server-memory';

/** The memory table a memory sink of this spec feeds: the query's name unless `sink.options.queryName` says otherwise. */
export function memoryTableName(spec: QuerySpec): string {
  return spec.sink.options?.queryName ?? spec.name;
}

/** The sink's options as the writer gets them (Kafka bootstrap servers filled in). */
export function sinkOptionsOf(spec: QuerySpec, ctx: Pick<BuildContext, 'bootstrap'>): Record<string, string> {
  const options = withBootstrap(spec.sink.format, { ...(spec.sink.options ?? {}) }, ctx);
  // The product's promise: a record a query cannot process goes to `<name>.dlq`, it never stops the
  // query (the engine's own default is Spark's: fail). A spec may still say `onError: 'fail'`.
  const lower = new Set(Object.keys(options).map((k) => k.toLowerCase()));
  if (!lower.has('onerror')) options.onError = 'deadletter';
  return options;
}

/** `df.writeStream` configured from the spec and started. */
export function startQuery(df: DataFrame, spec: QuerySpec, ctx: BuildContext): StreamingQuery {
  const isMemory = spec.sink.format.toLowerCase() === 'memory';
  const format = isMemory ? SERVER_MEMORY_SINK : spec.sink.format;
  const options = sinkOptionsOf(spec, ctx);
  options.checkpointLocation = checkpointLocationOf(spec, ctx);
  const writer = df.writeStream
    .format(format)
    .options(options)
    .outputMode(spec.outputMode)
    .queryName(spec.name);
  if (spec.trigger && Object.keys(spec.trigger).length > 0) writer.trigger(spec.trigger as TriggerSpec);
  return writer.start();
}
