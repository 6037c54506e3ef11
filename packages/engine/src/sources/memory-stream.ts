import { AnalysisError } from '../errors.js';
import { toEngineValue } from '../session/create-data-frame.js';
import { sliceChunks } from '../streaming/chunks.js';
import type { Row, StructType } from '../types/data-type.js';
import {
  getOption,
  type MicroBatchStream,
  type Offset,
  type ReadLimit,
  readAllAvailable,
  type SourceProvider,
  type StreamingSourceDescriptor,
} from './source.js';

const named = new Map<string, MemoryStream>();

/**
 * Spark's MemoryStream: rows added in process with `addData`, each call one offset step (offsets
 * are -1 before any data, then 0, 1, ...). For tests and for the REST API, which feeds queries rows
 * it receives. Streams can be shared by name (`readStream.format('memory').option('name', n)`).
 */
export class MemoryStream implements MicroBatchStream {
  private readonly batches: Row[][] = [];
  /** Offset of `batches[0]` (batches before it were committed and dropped). */
  private firstOffset = 0;
  private readonly listeners = new Set<(rows: Row[]) => void>();
  readonly description: string;
  private readonly fieldIndex: Map<string, number>;

  constructor(
    readonly schema: StructType,
    readonly name?: string,
  ) {
    this.description = `MemoryStream[${schema.fields.map((f) => f.name).join(',')}]`;
    this.fieldIndex = new Map(schema.fields.map((f, i) => [f.name, i]));
  }

  /** The stream registered under `name`, created with `schema` the first time. */
  static getOrCreate(name: string, schema: StructType): MemoryStream {
    let s = named.get(name);
    if (!s) {
      s = new MemoryStream(schema, name);
      named.set(name, s);
    }
    return s;
  }

  /** The stream registered under `name`, if any. */
  static get(name: string): MemoryStream | undefined {
    return named.get(name);
  }

  /** Forgets a named stream. */
  static drop(name: string): void {
    named.delete(name);
  }

  /** The current (newest) offset: -1 before any data. */
  get currentOffset(): number {
    return this.firstOffset + this.batches.length - 1;
  }

  /**
   * Appends rows as one new offset and returns it. Rows are positional arrays or objects keyed by
   * column name (missing keys become null).
   */
  addData(rows: readonly (Row | Record<string, unknown>)[]): number {
    const converted = rows.map((r) => this.toRow(r));
    this.batches.push(converted);
    for (const l of this.listeners) l(converted);
    return this.currentOffset;
  }

  /** Calls `listener` with the rows of every later `addData` (continuous processing). */
  subscribe(listener: (rows: Row[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The descriptor `readStream` puts into the plan for this stream. */
  descriptor(): StreamingSourceDescriptor {
    const provider: SourceProvider = {
      format: 'memory',
      supportsContinuous: true,
      sourceSchema: () => this.schema,
      createStream: () => this.createReader(),
    };
    return {
      kind: 'sluice-source',
      format: 'memory',
      options: this.name ? { name: this.name } : {},
      schema: this.schema,
      provider,
      displayName: this.description,
    };
  }

  initialOffset(): Offset {
    return -1;
  }

  getDefaultReadLimit(): ReadLimit {
    return readAllAvailable;
  }

  latestOffset(): Offset {
    return this.currentOffset;
  }

  reportLatestOffset(): Offset {
    return this.currentOffset;
  }

  getBatch(start: Offset, end: Offset): Row[] {
    const out: Row[] = [];
    for (const b of this.addedBatches(start, end)) for (const r of b) out.push(r);
    return out;
  }

  /** The rows of `getBatch` in chunks (each `addData` call sliced), without concatenating them. */
  async *getBatchChunks(start: Offset, end: Offset): AsyncIterable<Row[]> {
    for (const b of this.addedBatches(start, end)) yield* sliceChunks(b);
  }

  /** The `addData` calls in (start, end]. */
  private addedBatches(start: Offset, end: Offset): Row[][] {
    const s = Number(start);
    const e = Number(end);
    if (s + 1 < this.firstOffset) {
      throw new AnalysisError(
        'MEMORY_STREAM_DATA_LOST',
        `Offsets ${s + 1}..${this.firstOffset - 1} of ${this.description} were already committed and dropped`,
      );
    }
    const out: Row[][] = [];
    for (let o = s + 1; o <= e; o++) {
      const b = this.batches[o - this.firstOffset];
      if (b) out.push(b);
    }
    return out;
  }

  /**
   * Drops batches every active reader has committed (`end` and below for a single reader). Several
   * queries may read one stream: each gets its own reader (`descriptor()` → `createStream`).
   */
  commit(end: Offset): void {
    this.trimTo(Number(end));
  }

  private trimTo(e: number): void {
    while (this.firstOffset <= e && this.batches.length > 0) {
      this.batches.shift();
      this.firstOffset++;
    }
  }

  private readonly readerCommits = new Map<object, number>();

  /** A per-query view of the stream: commits trim only what every running reader has committed. */
  createReader(): MicroBatchStream & { subscribe(l: (rows: Row[]) => void): () => void } {
    const key = {};
    // A new reader starts at the oldest data still held (data every reader committed is gone).
    const start = this.firstOffset - 1;
    this.readerCommits.set(key, start);
    const self = this;
    let cap: number | undefined;
    return {
      description: this.description,
      schema: this.schema,
      initialOffset: () => start,
      getDefaultReadLimit: () => self.getDefaultReadLimit(),
      // Trigger.AvailableNow: the data present when the query starts, nothing added later.
      prepareForTriggerAvailableNow: () => {
        cap = self.currentOffset;
      },
      latestOffset: () => (cap === undefined ? self.latestOffset() : Math.min(cap, self.currentOffset)),
      reportLatestOffset: () => self.reportLatestOffset(),
      getBatch: (s, e) => self.getBatch(s, e),
      getBatchChunks: (s, e) => self.getBatchChunks(s, e),
      deserializeOffset: (json) => self.deserializeOffset(json),
      subscribe: (l) => self.subscribe(l),
      commit(end) {
        self.readerCommits.set(key, Number(end));
        self.trimTo(Math.min(...self.readerCommits.values()));
      },
      stop() {
        self.readerCommits.delete(key);
      },
    };
  }

  stop(): void {}

  deserializeOffset(json: string): Offset {
    const n = Number(JSON.parse(json));
    if (!Number.isInteger(n)) throw new Error(`not a memory stream offset: ${json}`);
    return n;
  }

  private toRow(r: Row | Record<string, unknown>): Row {
    if (Array.isArray(r)) {
      if (r.length !== this.schema.fields.length) {
        throw new AnalysisError(
          'MEMORY_STREAM_ROW_ARITY',
          `Row ${JSON.stringify(r)} has ${r.length} values, the schema has ${this.schema.fields.length} columns`,
        );
      }
      // JS values (Date, bigint, strings for timestamps) become the engine's runtime values, as in createDataFrame.
      return r.map((v, i) => toEngineValue(v, this.schema.fields[i]!.dataType));
    }
    const row: Row = new Array(this.schema.fields.length).fill(null);
    for (const [k, v] of Object.entries(r)) {
      const i = this.fieldIndex.get(k);
      if (i === undefined) {
        throw new AnalysisError('MEMORY_STREAM_UNKNOWN_COLUMN', `Column ${k} is not in ${this.description}`);
      }
      row[i] = toEngineValue(v, this.schema.fields[i]!.dataType);
    }
    return row;
  }
}

/** `readStream.format('memory').option('name', n)`: a named MemoryStream (schema from `.schema()` the first time). */
export const memorySourceProvider: SourceProvider = {
  format: 'memory',
  supportsContinuous: true,
  sourceSchema(options, userSchema) {
    const name = getOption(options, 'name');
    if (!name) throw new AnalysisError('INVALID_OPTION', "The memory source needs option 'name'");
    const existing = MemoryStream.get(name);
    if (existing) return existing.schema;
    if (!userSchema) {
      throw new AnalysisError(
        'INVALID_OPTION',
        `Memory stream ${name} does not exist; give a schema to create it`,
      );
    }
    return MemoryStream.getOrCreate(name, userSchema).schema;
  },
  createStream(ctx) {
    const name = getOption(ctx.options, 'name')!;
    return MemoryStream.getOrCreate(name, ctx.schema).createReader();
  },
};
