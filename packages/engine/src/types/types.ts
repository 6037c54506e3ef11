import type { DataType, StructField, StructType } from './data-type.js';

/** Singleton atomic types and constructors for the composite ones. */
export const T = {
  null: { kind: 'null' },
  boolean: { kind: 'boolean' },
  byte: { kind: 'byte' },
  short: { kind: 'short' },
  int: { kind: 'int' },
  long: { kind: 'long' },
  float: { kind: 'float' },
  double: { kind: 'double' },
  string: { kind: 'string' },
  binary: { kind: 'binary' },
  date: { kind: 'date' },
  timestamp: { kind: 'timestamp' },
  interval: { kind: 'interval' },
} as const satisfies Record<string, DataType>;

export function decimalType(precision = 10, scale = 0): DataType {
  return { kind: 'decimal', precision, scale };
}

export function arrayType(elementType: DataType, containsNull = true): DataType {
  return { kind: 'array', elementType, containsNull };
}

export function mapType(keyType: DataType, valueType: DataType, valueContainsNull = true): DataType {
  return { kind: 'map', keyType, valueType, valueContainsNull };
}

export function structField(
  name: string,
  dataType: DataType,
  nullable = true,
  metadata?: Record<string, unknown>,
): StructField {
  return metadata ? { name, dataType, nullable, metadata } : { name, dataType, nullable };
}

export function structType(fields: readonly StructField[]): StructType {
  return { kind: 'struct', fields };
}

export type NumericKind = 'byte' | 'short' | 'int' | 'long' | 'float' | 'double' | 'decimal';

export function isNumeric(t: DataType): boolean {
  switch (t.kind) {
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
    case 'float':
    case 'double':
    case 'decimal':
      return true;
    default:
      return false;
  }
}

export function isIntegral(t: DataType): boolean {
  return t.kind === 'byte' || t.kind === 'short' || t.kind === 'int' || t.kind === 'long';
}

export function isFractional(t: DataType): boolean {
  return t.kind === 'float' || t.kind === 'double';
}

export function isAtomic(t: DataType): boolean {
  return t.kind !== 'array' && t.kind !== 'map' && t.kind !== 'struct';
}

/** Whether the JS values of this type compare with `<` / `===` directly (numbers, strings, booleans). */
export function isPrimitiveComparable(t: DataType): boolean {
  switch (t.kind) {
    case 'boolean':
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
    case 'string':
    case 'date':
    case 'timestamp':
      return true;
    default:
      return false;
  }
}

/** Structural type equality; with `ignoreNullability`, containsNull / nullable flags are ignored. */
export function sameType(a: DataType, b: DataType, ignoreNullability = true): boolean {
  return typeMatches(a, b, { names: true, nullability: ignoreNullability ? 'ignore' : 'exact' });
}

/**
 * How `typeMatches` compares: struct field names or not, and nullability flags ignored, equal, or
 * allowed to widen from `a` to `b` (Spark's equalsIgnoreNameAndCompatibleNullability: names off, widen).
 */
export interface TypeMatch {
  readonly names: boolean;
  readonly nullability: 'ignore' | 'exact' | 'widen';
}

/** Structural comparison of `a` with `b` under `rule` (same kinds, decimals' precision and scale). */
export function typeMatches(a: DataType, b: DataType, rule: TypeMatch): boolean {
  if (a.kind !== b.kind) return false;
  const nullable = (x: boolean, y: boolean) =>
    rule.nullability === 'ignore' || x === y || (rule.nullability === 'widen' && y);
  switch (a.kind) {
    case 'decimal':
      return b.kind === 'decimal' && a.precision === b.precision && a.scale === b.scale;
    case 'array':
      return (
        b.kind === 'array' &&
        typeMatches(a.elementType, b.elementType, rule) &&
        nullable(a.containsNull, b.containsNull)
      );
    case 'map':
      return (
        b.kind === 'map' &&
        typeMatches(a.keyType, b.keyType, rule) &&
        typeMatches(a.valueType, b.valueType, rule) &&
        nullable(a.valueContainsNull, b.valueContainsNull)
      );
    case 'struct': {
      if (b.kind !== 'struct' || a.fields.length !== b.fields.length) return false;
      return a.fields.every((f, i) => {
        const g = b.fields[i]!;
        return (
          (!rule.names || f.name === g.name) &&
          typeMatches(f.dataType, g.dataType, rule) &&
          nullable(f.nullable, g.nullable)
        );
      });
    }
    default:
      return true;
  }
}

/** Spark's `simpleString` / `catalogString`: `int`, `bigint`, `decimal(10,2)`, `array<int>`, `struct<a:int,b:string>`. */
export function simpleString(t: DataType): string {
  switch (t.kind) {
    case 'null':
      return 'void';
    case 'byte':
      return 'tinyint';
    case 'short':
      return 'smallint';
    case 'long':
      return 'bigint';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'array':
      return `array<${simpleString(t.elementType)}>`;
    case 'map':
      return `map<${simpleString(t.keyType)},${simpleString(t.valueType)}>`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${f.name}:${simpleString(f.dataType)}`).join(',')}>`;
    default:
      return t.kind;
  }
}

/** Same as simpleString (Spark's catalogString never truncates; neither does ours). */
export const catalogString = simpleString;

/** Spark's SQL type text used in messages and CAST names: `INT`, `BIGINT`, `ARRAY<INT>`, `STRUCT<a: INT>`. */
export function sqlTypeName(t: DataType): string {
  switch (t.kind) {
    case 'null':
      return 'VOID';
    case 'array':
      return `ARRAY<${sqlTypeName(t.elementType)}>`;
    case 'map':
      return `MAP<${sqlTypeName(t.keyType)}, ${sqlTypeName(t.valueType)}>`;
    case 'struct':
      return `STRUCT<${t.fields.map((f) => `${f.name}: ${sqlTypeName(f.dataType)}${f.nullable ? '' : ' NOT NULL'}`).join(', ')}>`;
    case 'interval':
      return 'INTERVAL';
    default:
      return simpleString(t).toUpperCase();
  }
}

/** Spark's `typeName` as printed by printSchema: `integer`, `long`, `string`, `decimal(10,2)`, `array`, `struct`. */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'int':
      return 'integer';
    case 'long':
      return 'long';
    case 'byte':
      return 'byte';
    case 'short':
      return 'short';
    case 'null':
      return 'void';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    default:
      return t.kind;
  }
}

/** The default size in bytes Spark assigns (used for plan statistics). */
export function defaultSize(t: DataType): number {
  switch (t.kind) {
    case 'boolean':
    case 'byte':
    case 'null':
      return 1;
    case 'short':
      return 2;
    case 'int':
    case 'float':
    case 'date':
      return 4;
    case 'long':
    case 'double':
    case 'timestamp':
      return 8;
    case 'decimal':
      return t.precision <= 18 ? 8 : 16;
    case 'interval':
      return 16;
    case 'string':
    case 'binary':
      return 20;
    case 'array':
      return defaultSize(t.elementType);
    case 'map':
      return defaultSize(t.keyType) + defaultSize(t.valueType);
    case 'struct':
      return t.fields.reduce((n, f) => n + defaultSize(f.dataType), 0);
  }
}
