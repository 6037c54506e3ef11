/**
 * Compares a golden file's stored expectation for one record with what Apache Spark produced for it.
 */
import type { SltRecord } from '@sluice/engine/sql-golden';

/** One record's outcome on Spark (a line of spark_slt.py's output). */
export interface SparkOutcome {
  readonly file: string;
  readonly line: number;
  readonly kind: 'statement' | 'query';
  readonly types?: string;
  readonly rows?: string[];
  readonly error?: { errorClass: string | null; message: string };
}

export interface Disagreement {
  /** `<file>:<line>`, the key of known-differences.json. */
  readonly key: string;
  readonly sql: string;
  readonly what: 'spark-error' | 'spark-accepts' | 'error-class' | 'types' | 'rows' | 'statement';
  readonly golden: string;
  readonly spark: string;
}

/** The error class a golden `query error <substring>` names, when it names one (`[CLASS]` or `CLASS`). */
function expectedErrorClass(expectError: string): string | undefined {
  const m = /^\[?([A-Z][A-Z0-9_]+(?:\.[A-Z0-9_]+)*)\]?/.exec(expectError.trim());
  return m ? m[1] : undefined;
}

export function compareRecord(
  file: string,
  record: SltRecord,
  spark: SparkOutcome,
): Disagreement | undefined {
  if (record.kind === 'comment') return undefined;
  const key = `${file}:${record.line}`;
  const sparkError = spark.error ? `[${spark.error.errorClass ?? '?'}] ${spark.error.message}` : '';
  const base = { key, sql: record.sql };
  if (record.kind === 'statement') {
    const expectsError = record.expectError !== undefined;
    if (expectsError === Boolean(spark.error)) return undefined;
    return {
      ...base,
      what: 'statement',
      golden: expectsError ? `error ${record.expectError}` : 'ok',
      spark: spark.error ? sparkError : 'ok',
    };
  }
  if (record.expectError !== undefined) {
    if (!spark.error)
      return {
        ...base,
        what: 'spark-accepts',
        golden: `error ${record.expectError}`,
        spark: (spark.rows ?? []).join(' | '),
      };
    const expected = expectedErrorClass(record.expectError);
    const actual = spark.error.errorClass ?? '';
    // Spark names a sub-class (`DIVIDE_BY_ZERO` vs `DIVIDE_BY_ZERO.X`) or its parent: both agree.
    if (
      expected &&
      actual &&
      !(actual === expected || actual.startsWith(`${expected}.`) || expected.startsWith(`${actual}.`))
    )
      return { ...base, what: 'error-class', golden: record.expectError, spark: sparkError };
    return undefined;
  }
  if (spark.error)
    return { ...base, what: 'spark-error', golden: record.expected.join(' | '), spark: sparkError };
  if (spark.types !== record.types)
    return { ...base, what: 'types', golden: record.types, spark: spark.types ?? '' };
  const golden = record.expected.join('\n');
  const actual = (spark.rows ?? []).join('\n');
  if (golden !== actual)
    return {
      ...base,
      what: 'rows',
      golden: record.expected.join(' | '),
      spark: (spark.rows ?? []).join(' | '),
    };
  return undefined;
}
