import type { DataFrame } from '../dataframe/dataframe.js';
import { AnalysisError } from '../errors.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { tableNotFound } from '../session/managed-tables.js';
import type { Session } from '../session/session.js';
import type { MemoryStream } from '../sources/memory-stream.js';
import { lookupSource } from '../sources/registry.js';
import type { StreamingSourceDescriptor } from '../sources/source.js';
import { parseTableSchema } from '../sql/index.js';
import type { StructType } from '../types/data-type.js';

/**
 * Spark's DataStreamReader (`session.readStream`): `format`, `option(s)`, `schema`, `load`, and the
 * shorthands `json`/`csv`/`text`/`parquet`/`table`. `load()` returns a streaming DataFrame whose
 * plan has a StreamingRelation leaf carrying the source descriptor.
 */
export class DataStreamReader {
  private source = 'rate';
  private readonly extraOptions: Record<string, string> = {};
  private userSchema: StructType | undefined;

  constructor(readonly session: Session) {}

  format(source: string): this {
    this.source = source;
    return this;
  }

  /** Options keep Spark's names; values are stringified like Spark's option(key, Long/Boolean/Double). */
  option(key: string, value: string | number | boolean): this {
    this.extraOptions[key] = String(value);
    return this;
  }

  options(opts: Readonly<Record<string, string | number | boolean>>): this {
    for (const [k, v] of Object.entries(opts)) this.option(k, v);
    return this;
  }

  /** A StructType or a DDL string (`'userId STRING, price DOUBLE'`). */
  schema(schema: StructType | string): this {
    this.userSchema = typeof schema === 'string' ? parseTableSchema(schema) : schema;
    return this;
  }

  load(path?: string): DataFrame {
    const options = { ...this.extraOptions };
    if (path !== undefined) {
      if ('path' in options) {
        throw new AnalysisError(
          'PATH_OPTION_CONFLICT',
          "There is a 'path' option set and load() is called with a path parameter. Either remove the path option, or call load() without the parameter.",
        );
      }
      options.path = path;
    }
    const provider = lookupSource(this.source);
    const schemaInference =
      (this.session.conf.get('spark.sql.streaming.schemaInference') ?? 'false').toLowerCase() === 'true';
    const schema = provider.sourceSchema(options, this.userSchema, { schemaInference });
    const descriptor: StreamingSourceDescriptor = {
      kind: 'sluice-source',
      format: provider.format,
      options,
      schema,
      provider,
      displayName: provider.format,
    };
    return this.session.dataFrame(streamingRelation(descriptor));
  }

  json(path: string): DataFrame {
    return this.format('json').load(path);
  }

  csv(path: string): DataFrame {
    return this.format('csv').load(path);
  }

  text(path: string): DataFrame {
    return this.format('text').load(path);
  }

  parquet(path: string): DataFrame {
    return this.format('parquet').load(path);
  }

  /**
   * Spark's `readStream.table(name)`: a streaming temp view, or a managed table read as a file stream
   * over its location (new files appended by `toTable` or `saveAsTable(mode 'append')` arrive in
   * later batches).
   */
  table(name: string): DataFrame {
    if (this.session.catalog.isTempView(name)) {
      const df = this.session.table(name);
      if (!df.isStreaming) {
        throw new AnalysisError(
          'UNSUPPORTED_OPERATION',
          `${name} is not a temp view of streaming logical plan, please use batch API such as \`DataFrameReader.table\` to read it.`,
        );
      }
      return df;
    }
    const t = this.session.catalog.tables.get(name);
    if (!t) throw tableNotFound(name);
    const reader = new DataStreamReader(this.session).format(t.provider).schema(t.schema);
    for (const [k, v] of Object.entries(this.extraOptions)) reader.option(k, v);
    return reader.load(t.location);
  }

  /** A DataFrame over a MemoryStream (Spark's `MemoryStream.toDF()`). */
  memory(stream: MemoryStream): DataFrame {
    return this.session.dataFrame(streamingRelation(stream.descriptor()));
  }
}

/** The StreamingRelation leaf for a source descriptor. */
export function streamingRelation(d: StreamingSourceDescriptor): LogicalPlan {
  return { kind: 'streamingRelation', source: d, schema: d.schema, sourceName: d.displayName };
}

/** `MemoryStream.toDF(session)` equivalent. */
export function memoryStreamDF(session: Session, stream: MemoryStream): DataFrame {
  return session.dataFrame(streamingRelation(stream.descriptor()));
}
