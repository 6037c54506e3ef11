/** Spark's runtime error messages (ANSI mode), as ExecutionErrors with Spark's error classes. */

import { ExecutionError } from '../errors.js';
import type { DataType } from '../types/data-type.js';
import { castToString } from '../types/format.js';
import { type LongOverflow, longOverflowRule } from '../types/long.js';
import { sqlTypeName } from '../types/types.js';

const ANSI_HINT = 'If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.';

function sqlValue(value: unknown, t: DataType): string {
  if (value === null) return 'NULL';
  const s = castToString(value, t);
  switch (t.kind) {
    case 'string':
      return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'long':
      return `${s}L`;
    case 'short':
      return `${s}S`;
    case 'byte':
      return `${s}Y`;
    case 'double':
      return `${s}D`;
    case 'float':
      return `${s}F`;
    case 'decimal':
      return `${s}BD`;
    case 'date':
      return `DATE '${s}'`;
    case 'timestamp':
      return `TIMESTAMP '${s}'`;
    default:
      return s;
  }
}

export function castInvalidInput(value: unknown, from: DataType, to: DataType): ExecutionError {
  return new ExecutionError(
    'CAST_INVALID_INPUT',
    `The value ${sqlValue(value, from)} of the type "${sqlTypeName(from)}" cannot be cast to "${sqlTypeName(to)}" because it is malformed. Correct the value as per the syntax, or change its target type. Use \`try_cast\` to tolerate malformed input and return NULL instead. ${ANSI_HINT}`,
  );
}

export function castOverflow(value: unknown, from: DataType, to: DataType): ExecutionError {
  return new ExecutionError(
    'CAST_OVERFLOW',
    `The value ${sqlValue(value, from)} of the type "${sqlTypeName(from)}" cannot be cast to "${sqlTypeName(to)}" due to an overflow. Use \`try_cast\` to tolerate overflow and return NULL instead. ${ANSI_HINT}`,
  );
}

export function divideByZero(): ExecutionError {
  return new ExecutionError(
    'DIVIDE_BY_ZERO',
    `Division by zero. Use \`try_divide\` to tolerate divisor being 0 and return NULL instead. ${ANSI_HINT}`,
  );
}

export function arithmeticOverflow(what: string, hint = 'try_add'): ExecutionError {
  return new ExecutionError(
    'ARITHMETIC_OVERFLOW',
    `${what} overflow. Use '${hint}' to tolerate overflow and return NULL instead. ${ANSI_HINT}`,
  );
}

/** Spark's overflow rule for a long result: ARITHMETIC_OVERFLOW naming `hint` in ANSI mode, else wrap-around. */
export function longOverflow(ansi: boolean, hint: string): LongOverflow {
  return longOverflowRule(ansi, () => arithmeticOverflow('long', hint));
}

export function numericOutOfRange(value: string, precision: number, scale: number): ExecutionError {
  return new ExecutionError(
    'NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION',
    `${value} cannot be represented as Decimal(${precision}, ${scale}). ${ANSI_HINT}`,
  );
}

export function invalidArrayIndex(index: number, size: number, element = false): ExecutionError {
  return element
    ? new ExecutionError(
        'INVALID_ARRAY_INDEX_IN_ELEMENT_AT',
        `The index ${index} is out of bounds. The array has ${size} elements. Use \`try_element_at\` to tolerate accessing element at invalid index and return NULL instead. ${ANSI_HINT}`,
      )
    : new ExecutionError(
        'INVALID_ARRAY_INDEX',
        `The index ${index} is out of bounds. The array has ${size} elements. Use the SQL function \`get()\` to tolerate accessing element at invalid index and return NULL instead. ${ANSI_HINT}`,
      );
}
