import type { DataType, StructField, StructType } from '../types/data-type.js';

/** Shorthand for a struct field. */
export function field(name: string, dataType: DataType, nullable = true): StructField {
  return { name, dataType, nullable };
}

/** Shorthand for a struct type. */
export function struct(...fields: StructField[]): StructType {
  return { kind: 'struct', fields };
}

export const T = {
  string: { kind: 'string' } as DataType,
  long: { kind: 'long' } as DataType,
  int: { kind: 'int' } as DataType,
  double: { kind: 'double' } as DataType,
  boolean: { kind: 'boolean' } as DataType,
  timestamp: { kind: 'timestamp' } as DataType,
  date: { kind: 'date' } as DataType,
  binary: { kind: 'binary' } as DataType,
} as const;

/** Parses a positive integer option, with Spark-like errors. */
export function intOption(
  options: Readonly<Record<string, string>>,
  name: string,
  dflt: number,
  get: (o: Readonly<Record<string, string>>, n: string) => string | undefined,
  { min = 0 }: { min?: number } = {},
): number {
  const raw = get(options, name);
  if (raw === undefined) return dflt;
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || !Number.isInteger(n)) {
    throw new Error(`Invalid value '${raw}' for option '${name}', must be an integer`);
  }
  if (n < min) {
    throw new Error(
      `Invalid value '${raw}'. The option '${name}' must be ${min === 1 ? 'positive' : `>= ${min}`}`,
    );
  }
  return n;
}
