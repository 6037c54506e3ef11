/**
 * Typed Datasets (Spark's `Dataset[T]`): `df.as<T>()` presents each row as a plain object of type T,
 * and `map`, `flatMap`, `filter` take TypeScript functions over those objects, on batch and streaming
 * Datasets alike. Spark derives the output schema from the encoder of the result type; TypeScript
 * types are gone at runtime, so the output schema is given: a DDL string (`'userId STRING, n INT'`),
 * a type (`'int'`, a StructType), or a sample object whose values' types are inferred as
 * `createDataFrame` infers them. A struct schema gives one column per field; any other type gives one
 * column named `value`, as Spark's encoders of primitive types do.
 *
 * Each typed step runs as a user-defined function over `struct(*)`, so the plan stays an ordinary
 * DataFrame plan (streaming rules, EXPLAIN and checkpoints apply unchanged).
 */
import { AnalysisError } from '../errors.js';
import { toUdfArg } from '../functions/udf.js';
import { inferType } from '../session/create-data-frame.js';
import { parseDataType, parseTableSchema } from '../sql/index.js';
import type { DataStreamWriter } from '../streaming/data-stream-writer.js';
import type { DataType, Row, StructType } from '../types/data-type.js';
import type { Column } from './column.js';
import type { DataFrame } from './dataframe.js';
import { col, explode, struct } from './functions.js';
import { KeyValueGroupedDataset } from './key-value-grouped.js';
import { udf } from './udf.js';

/** An output schema: DDL or type name, a DataType, or a sample object. */
export type Encoder = string | DataType | Record<string, unknown>;

const VALUE_COLUMN = '__sluice_value';

/** The DataType an encoder stands for. */
export function encoderType(e: Encoder): DataType {
  if (typeof e === 'string') {
    try {
      const t = parseTableSchema(e);
      // `'int'` parses as a table schema with no field names in some dialects: prefer the type then.
      if (t.fields.length > 0) return t;
    } catch {
      // not a table schema: a single type
    }
    return parseDataType(e);
  }
  if ('kind' in e && typeof e.kind === 'string') return e as DataType;
  const t = inferType(e);
  if (t.kind !== 'struct')
    throw new AnalysisError('INVALID_ENCODER', 'A sample object must be a plain object.');
  if (t.fields.some((f) => f.dataType.kind === 'null')) {
    const f = t.fields.find((x) => x.dataType.kind === 'null')!;
    throw new AnalysisError(
      'INVALID_ENCODER',
      `The sample object's field \`${f.name}\` is null or undefined: its type cannot be inferred. Give a DDL schema instead.`,
    );
  }
  return t;
}

export class Dataset<T> {
  /**
   * @param df the rows; `valueColumn` is true when each element is the single `value` column (a
   * primitive encoder) rather than an object of all columns.
   */
  constructor(
    readonly df: DataFrame,
    private readonly valueColumn = false,
  ) {}

  /** The untyped DataFrame (`toDF(names…)` renames the columns). */
  toDF(...names: string[]): DataFrame {
    return names.length > 0 ? this.df.toDF(...names) : this.df;
  }

  /** Re-types the elements (`ds.as<U>()`). */
  as<U>(): Dataset<U> {
    return new Dataset<U>(this.df, this.valueColumn);
  }

  get schema(): StructType {
    return this.df.schema;
  }

  get columns(): string[] {
    return this.df.columns;
  }

  get isStreaming(): boolean {
    return this.df.isStreaming;
  }

  printSchema(): string {
    return this.df.printSchema();
  }

  /** The column a typed function receives: the whole row as an object, or the `value` column. */
  private element(): Column {
    return this.valueColumn ? col(this.df.columns[0]!) : struct(col('*'));
  }

  /** Wraps the output of a typed step (`__sluice_value`) as a Dataset of its type. */
  private typed<U>(df: DataFrame, t: DataType): Dataset<U> {
    if (t.kind === 'struct') return new Dataset<U>(df.select(`${VALUE_COLUMN}.*`));
    return new Dataset<U>(df.withColumnRenamed(VALUE_COLUMN, 'value'), true);
  }

  /** `map(f, encoder)`: one output element per element. */
  map<U>(f: (value: T) => U, encoder: Encoder): Dataset<U> {
    const t = encoderType(encoder);
    const fn = udf((v: T) => f(v), t);
    return this.typed<U>(this.df.select(fn(this.element()).alias(VALUE_COLUMN)), t);
  }

  /** `flatMap(f, encoder)`: zero or more output elements per element. */
  flatMap<U>(f: (value: T) => Iterable<U>, encoder: Encoder): Dataset<U> {
    const t = encoderType(encoder);
    const fn = udf((v: T) => Array.from(f(v) ?? []), { kind: 'array', elementType: t, containsNull: true });
    return this.typed<U>(this.df.select(explode(fn(this.element())).alias(VALUE_COLUMN)), t);
  }

  /** `filter(f)` keeps the elements for which f is true; a Column or SQL condition works as on DataFrames. */
  filter(condition: ((value: T) => boolean) | Column | string): Dataset<T> {
    if (typeof condition !== 'function') return new Dataset<T>(this.df.filter(condition), this.valueColumn);
    const fn = udf((v: T) => condition(v) === true, 'boolean');
    return new Dataset<T>(this.df.filter(fn(this.element())), this.valueColumn);
  }

  where(condition: ((value: T) => boolean) | Column | string): Dataset<T> {
    return this.filter(condition);
  }

  /** Union by position (Spark's `union`). */
  union(other: Dataset<T>): Dataset<T> {
    return new Dataset<T>(this.df.union(other.df), this.valueColumn);
  }

  unionByName(other: Dataset<T>, allowMissingColumns = false): Dataset<T> {
    return new Dataset<T>(this.df.unionByName(other.df, allowMissingColumns), this.valueColumn);
  }

  withWatermark(eventTime: string, delayThreshold: string): Dataset<T> {
    return new Dataset<T>(this.df.withWatermark(eventTime, delayThreshold), this.valueColumn);
  }

  dropDuplicates(...cols: string[]): Dataset<T> {
    return new Dataset<T>(this.df.dropDuplicates(cols.length > 0 ? cols : undefined), this.valueColumn);
  }

  limit(n: number): Dataset<T> {
    return new Dataset<T>(this.df.limit(n), this.valueColumn);
  }

  orderBy(...cols: (Column | string)[]): Dataset<T> {
    return new Dataset<T>(this.df.orderBy(...cols), this.valueColumn);
  }

  /** Untyped projections leave the typed world, as in Spark. */
  select(...cols: (Column | string)[]): DataFrame {
    return this.df.select(...cols);
  }

  selectExpr(...exprs: string[]): DataFrame {
    return this.df.selectExpr(...exprs);
  }

  /**
   * Groups the elements by a key function (Spark's `groupByKey(func)`); `keyEncoder` is the key's
   * type for `keys()`, `count()` and `reduceGroups` (default `string`).
   */
  groupByKey<K>(f: (value: T) => K, keyEncoder: Encoder = 'string'): KeyValueGroupedDataset<K, T> {
    const element = this.rowToElement();
    return new KeyValueGroupedDataset<K, T>(this.df, (row) => f(element(row)), element, keyEncoder);
  }

  /**
   * `mapPartitions(f, encoder)`: f sees an iterator over a partition's elements; a batch Dataset is
   * one partition (batch Datasets only).
   */
  mapPartitions<U>(f: (values: IterableIterator<T>) => Iterable<U>, encoder: Encoder): Dataset<U> {
    return this.groupByKey(() => 0, 'int').flatMapGroups((_k, vs) => f(vs[Symbol.iterator]()), encoder);
  }

  /** How a row of this Dataset becomes its typed element. */
  private rowToElement(): (row: Row) => T {
    if (this.valueColumn) return (r) => r[0] as T;
    const t = this.df.schema;
    return (r) => toUdfArg(r, t) as T;
  }

  groupBy(...cols: (Column | string)[]) {
    return this.df.groupBy(...cols);
  }

  createOrReplaceTempView(name: string): void {
    this.df.createOrReplaceTempView(name);
  }

  get writeStream(): DataStreamWriter {
    return this.df.writeStream;
  }

  // ------------------------------------------------------------------ actions

  /** The elements as typed objects (or values). */
  async collect(): Promise<T[]> {
    const rows = await this.df.collectValues();
    if (this.valueColumn) return rows.map((r) => r[0] as T);
    const t = this.df.schema;
    return rows.map((r) => toUdfArg(r, t) as T);
  }

  async count(): Promise<number> {
    return await this.df.count();
  }

  async first(): Promise<T | undefined> {
    return (await this.limit(1).collect())[0];
  }

  async take(n: number): Promise<T[]> {
    return await this.limit(n).collect();
  }

  async show(n = 20, truncate: boolean | number = true): Promise<string> {
    return await this.df.show(n, truncate);
  }
}
