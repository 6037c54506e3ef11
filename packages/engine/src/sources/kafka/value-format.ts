/**
 * Beyond Spark: a Kafka source may declare how its value becomes columns — option `valueFormat`
 * (`json`, `csv`, `avro`, or `raw`, the default: Spark's binary `value`) with option `schema` (DDL;
 * for `avro` the Avro record schema as JSON, sources/kafka/avro-value.ts). The
 * source then yields the schema's columns followed by Kafka's own columns (`key`, `value` — the
 * original bytes —, `topic`, `partition`, `offset`, `timestamp`, `timestampType`, and `headers` with
 * `includeHeaders`) whose names the schema does not use. A record whose value does not parse with the schema (malformed text,
 * a value of the wrong type) is not a row: it becomes a dead letter of stage `parse`
 * (streaming/dead-letters.ts), which the query writes to its dead-letter topic, drops, or fails on,
 * as its `onError` option says. A null value (a tombstone) is a row of nulls, as `from_json(null)` is.
 */
import { AnalysisError } from '../../errors.js';
import { type CsvOptions, fromCsv } from '../../functions/csv.js';
import { fromJsonParser } from '../../functions/json.js';
import { parseTableSchema } from '../../sql/index.js';
import type { DeadLetter, FailureStage, SourceDeadLetters } from '../../streaming/dead-letters.js';
import type { Row, StructType } from '../../types/data-type.js';
import { getOption, type MicroBatchStream, type Offset, type ReadLimit } from '../source.js';
import { avroValueFormat } from './avro-value.js';

export interface ValueFormat {
  readonly format: 'json' | 'csv' | 'avro';
  readonly schema: StructType;
  /** Avro: decodes a value's bytes (the schema is the Avro record's). */
  readonly decode?: (value: Buffer) => unknown[];
}

/** The declared value format, or undefined for Spark's raw `value` column. */
export function valueFormatOf(options: Readonly<Record<string, string>>): ValueFormat | undefined {
  const format = (getOption(options, 'valueFormat') ?? 'raw').trim().toLowerCase();
  const ddl = getOption(options, 'schema');
  if (format === 'raw') {
    if (ddl !== undefined) {
      throw new AnalysisError(
        'KAFKA_INVALID_OPTION',
        "Option 'schema' of the Kafka source describes the value: it needs option 'valueFormat' ('json', 'csv' or 'avro').",
      );
    }
    return undefined;
  }
  if (format !== 'json' && format !== 'csv' && format !== 'avro') {
    throw new AnalysisError(
      'KAFKA_INVALID_OPTION',
      `Unsupported valueFormat '${format}' of the Kafka source: expected 'json', 'csv', 'avro' or 'raw'.`,
    );
  }
  if (ddl === undefined || ddl.trim() === '') {
    throw new AnalysisError(
      'KAFKA_INVALID_OPTION',
      format === 'avro'
        ? "valueFormat 'avro' needs option 'schema' (the Avro record schema as JSON)."
        : `valueFormat '${format}' needs option 'schema' (a DDL such as 'id BIGINT, name STRING').`,
    );
  }
  if (format === 'avro') {
    const a = avroValueFormat(ddl);
    return { format, schema: a.schema, decode: a.decode };
  }
  return { format, schema: parseTableSchema(ddl) };
}

/** The source schema with a value format: the value's columns, then Kafka's other columns. */
export function parsedValueSchema(vf: ValueFormat, kafkaSchema: StructType): StructType {
  const used = new Set(vf.schema.fields.map((f) => f.name.toLowerCase()));
  const metadata = kafkaSchema.fields.filter((f) => !used.has(f.name.toLowerCase()));
  return {
    kind: 'struct',
    fields: [...vf.schema.fields.map((f) => ({ ...f, nullable: true })), ...metadata],
  };
}

const CSV_OPTIONS: CsvOptions = { sep: ',', quote: '"', escape: '\\', nullValue: '', mode: 'FAILFAST' };

/** Wraps a Kafka stream: parses each record's value, handing the records that do not parse over as dead letters. */
export class ParsedValueStream implements MicroBatchStream {
  readonly schema: StructType;
  private readonly parse: (value: Buffer) => unknown[];
  /** Positions in the Kafka row of the metadata columns kept. */
  private readonly kept: number[];
  private readonly valueAt: number;
  private readonly headersAt: number;
  private pending: DeadLetter[] = [];
  /** The Kafka record of each row of the last batch. */
  private origin = new WeakMap<Row, Row>();

  /**
   * @param inner a Kafka stream reading headers (a dead letter keeps them); the rows show them only
   * when `exposeHeaders` (the source's `includeHeaders`).
   */
  constructor(
    private readonly inner: MicroBatchStream,
    vf: ValueFormat,
    private readonly kafkaOptions: Readonly<Record<string, string>>,
    exposeHeaders: boolean,
  ) {
    const visible: StructType = exposeHeaders
      ? inner.schema
      : { kind: 'struct', fields: inner.schema.fields.filter((f) => f.name !== 'headers') };
    this.schema = parsedValueSchema(vf, visible);
    const names = inner.schema.fields.map((f) => f.name);
    const keptNames = new Set(this.schema.fields.slice(vf.schema.fields.length).map((f) => f.name));
    this.kept = names.flatMap((n, i) => (keptNames.has(n) ? [i] : []));
    this.valueAt = names.indexOf('value');
    this.headersAt = names.indexOf('headers');
    if (vf.decode) {
      this.parse = vf.decode;
    } else if (vf.format === 'json') {
      const parser = fromJsonParser(vf.schema, { mode: 'FAILFAST' });
      this.parse = (value) => parser(value.toString('utf8')) as unknown[];
    } else {
      this.parse = (value) => fromCsv(value.toString('utf8'), vf.schema, CSV_OPTIONS);
    }
  }

  get description(): string {
    return this.inner.description;
  }

  initialOffset(): Offset | Promise<Offset> {
    return this.inner.initialOffset();
  }

  getDefaultReadLimit(): ReadLimit {
    return this.inner.getDefaultReadLimit();
  }

  latestOffset(start: Offset, limit: ReadLimit): Offset | Promise<Offset> {
    return this.inner.latestOffset(start, limit);
  }

  /** Parses raw Kafka rows: the rows that parse, and the records that do not as dead letters. */
  private parseRows(raw: readonly Row[], letters: DeadLetter[], origin: WeakMap<Row, Row>): Row[] {
    const out: Row[] = [];
    const width = this.schema.fields.length - this.kept.length;
    for (const r of raw) {
      const value = r[this.valueAt] as Buffer | Uint8Array | null;
      let fields: unknown[];
      if (value === null || value === undefined) {
        fields = new Array(width).fill(null);
      } else {
        try {
          fields = this.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        } catch (err) {
          letters.push(this.letter(r, err, 'parse'));
          continue;
        }
      }
      const row: unknown[] = fields;
      for (const i of this.kept) row.push(r[i]);
      origin.set(row, r);
      out.push(row);
    }
    return out;
  }

  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    const raw = await this.inner.getBatch(start, end);
    const letters: DeadLetter[] = [];
    const origin = new WeakMap<Row, Row>();
    const out = this.parseRows(raw, letters, origin);
    this.pending = letters;
    this.origin = origin;
    return out;
  }

  /** The rows of `getBatch` parsed chunk by chunk; the batch's dead letters are taken after the last chunk. */
  async *getBatchChunks(start: Offset, end: Offset): AsyncIterable<Row[]> {
    const letters: DeadLetter[] = [];
    const origin = new WeakMap<Row, Row>();
    this.pending = letters;
    this.origin = origin;
    if (this.inner.getBatchChunks) {
      for await (const raw of this.inner.getBatchChunks(start, end))
        yield this.parseRows(raw, letters, origin);
    } else {
      yield this.parseRows(await this.inner.getBatch(start, end), letters, origin);
    }
  }

  /** The dead letter of a row of the last batch that an expression failed on (stage `eval`). */
  deadLetterOf(row: Row, stage: FailureStage, error: Error): DeadLetter | undefined {
    const raw = this.origin.get(row);
    return raw ? this.letter(raw, error, stage) : undefined;
  }

  /** The dead letters of the last `getBatch`, once. */
  takeDeadLetters(): SourceDeadLetters {
    const letters = this.pending;
    this.pending = [];
    return { letters, kafkaOptions: this.kafkaOptions };
  }

  private letter(r: Row, err: unknown, stage: FailureStage): DeadLetter {
    const headers =
      this.headersAt >= 0
        ? ((r[this.headersAt] as [string, Uint8Array | null][] | null) ?? []).map(([key, v]) => ({
            key,
            value: v === null ? null : Buffer.from(v),
          }))
        : [];
    const key = r[0] as Uint8Array | null;
    const value = r[this.valueAt] as Uint8Array | null;
    return {
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      headers,
      timestamp: Math.floor((r[5] as number) / 1000),
      topic: r[2] as string,
      partition: r[3] as number,
      offset: r[4] as number,
      stage,
      error: err instanceof Error ? err : new Error(String(err)),
    };
  }

  commit(end: Offset): void | Promise<void> {
    return this.inner.commit(end);
  }

  stop(): void | Promise<void> {
    return this.inner.stop();
  }

  deserializeOffset(json: string): Offset {
    return this.inner.deserializeOffset(json);
  }

  reportLatestOffset(): Offset | null {
    return this.inner.reportLatestOffset?.() ?? null;
  }

  metrics(latestConsumedOffset: Offset | null): Record<string, string> {
    return this.inner.metrics?.(latestConsumedOffset) ?? {};
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    await this.inner.prepareForTriggerAvailableNow?.();
  }

  /** The raw source's wake-up on new records (continuous processing), when it has one. */
  subscribe(listener: (rows: Row[]) => void): () => void {
    return this.inner.subscribe?.(() => listener([])) ?? (() => {});
  }

  availableOffset(start: Offset): Offset | undefined {
    return this.inner.availableOffset?.(start);
  }

  offsetsEqual(a: Offset, b: Offset): boolean {
    return this.inner.offsetsEqual ? this.inner.offsetsEqual(a, b) : JSON.stringify(a) === JSON.stringify(b);
  }
}
