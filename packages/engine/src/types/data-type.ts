/**
 * Spark SQL data types and the JavaScript value that represents each at run time.
 *
 * Runtime value representation (the contract every operator, function and sink relies on):
 * | type                     | JS value                                                            |
 * |--------------------------|---------------------------------------------------------------------|
 * | null (any type)          | `null` (never `undefined`)                                          |
 * | boolean                  | boolean                                                             |
 * | byte, short, int         | number (integral)                                                   |
 * | long                     | number (integral; exact within ±2^53 — a documented limitation,     |
 * |                          | chosen because bigint arithmetic is ~10× slower on the hot path)    |
 * | float, double            | number                                                              |
 * | decimal(p, s)            | `Decimal` (types/decimal.ts): unscaled bigint + scale               |
 * | string                   | string                                                              |
 * | binary                   | Uint8Array (a Node Buffer is fine)                                  |
 * | date                     | number: days since 1970-01-01                                       |
 * | timestamp                | number: microseconds since the epoch, UTC                           |
 * | interval                 | `Interval` {months, days, micros}                                   |
 * | array<T>                 | Array of T values                                                   |
 * | map<K,V>                 | Map<K, V> (insertion order kept)                                    |
 * | struct<...>              | Array, positional by field (same layout as a row)                   |
 *
 * A row is `Row = unknown[]`, positional by the schema's fields: compiled expressions read
 * `row[i]`, which V8 keeps monomorphic and fast.
 */
export type DataType =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'byte' }
  | { readonly kind: 'short' }
  | { readonly kind: 'int' }
  | { readonly kind: 'long' }
  | { readonly kind: 'float' }
  | { readonly kind: 'double' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'string' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'interval' }
  | { readonly kind: 'array'; readonly elementType: DataType; readonly containsNull: boolean }
  | {
      readonly kind: 'map';
      readonly keyType: DataType;
      readonly valueType: DataType;
      readonly valueContainsNull: boolean;
    }
  | StructType;

export interface StructField {
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** Column metadata; the watermark delay of an event-time column lives here (`spark.watermarkDelayMs`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly StructField[];
}

/** A schema is the struct type of a row. */
export type Schema = StructType;

export type Row = unknown[];
