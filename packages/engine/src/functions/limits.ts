/**
 * Size limits on values that one argument can make arbitrarily large (`space(2e9)`,
 * `array_repeat(x, 1e8)`, `stack(2147483647, …)`). Spark's JVM arrays stop at 2147483632 elements
 * and a task that runs out of memory fails alone; in one Node process an oversized array or string
 * makes V8 abort the whole process — every query and the server with it. So each such function checks
 * the size it is about to build and fails the query with a typed error instead. The limits are
 * documented in docs/engine-expressions.md.
 */
import { ExecutionError } from '../errors.js';

/** Most elements in one array (or rows from one generator call). Spark's is 2147483632. */
export const MAX_COLLECTION_ELEMENTS = 10_000_000;
/** Longest string one function may return, in UTF-16 code units (V8's own limit is about 2^29). */
export const MAX_STRING_LENGTH = 64 * 1024 * 1024;

/**
 * Most rows one in-memory relation materializes: `range(n)` builds its rows, and a collect holds its
 * result, in the same process as every query (Spark streams ranges and bounds collects by
 * spark.driver.maxResultSize).
 */
export const MAX_MATERIALIZED_ROWS = 20_000_000;

/** Spark's COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER, with Sluice's limit. */
export function checkCollectionSize(functionName: string, parameter: string, elements: number): void {
  if (elements <= MAX_COLLECTION_ELEMENTS) return;
  throw new ExecutionError(
    'COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER',
    `Can't create array with ${elements} elements which exceeding the array size limit ${MAX_COLLECTION_ELEMENTS}, the value of parameter(s) \`${parameter}\` in the function \`${functionName}\` is invalid.`,
  );
}

/** A `range` with more rows than MAX_MATERIALIZED_ROWS (Sluice's own error class). */
export function checkRangeSize(rows: number): void {
  if (rows <= MAX_MATERIALIZED_ROWS) return;
  throw new ExecutionError(
    'RANGE_SIZE_LIMIT_EXCEEDED',
    `range() would produce ${rows} rows; Sluice materializes a range in memory and allows at most ${MAX_MATERIALIZED_ROWS}. Use a smaller range, or several.`,
  );
}

/** A string result over MAX_STRING_LENGTH (Sluice's own error class: Spark has no such limit). */
export function checkStringSize(functionName: string, length: number): void {
  if (length <= MAX_STRING_LENGTH) return;
  throw new ExecutionError(
    'STRING_SIZE_LIMIT_EXCEEDED',
    `The result of \`${functionName}\` would be ${length} characters long, more than the limit of ${MAX_STRING_LENGTH}.`,
  );
}
