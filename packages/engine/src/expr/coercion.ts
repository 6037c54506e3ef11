/**
 * Spark's type coercion: the wider common type of two types (CASE, COALESCE, IN, arrays), the common
 * type of a comparison, and the result types of arithmetic (including decimal precision rules with
 * `spark.sql.decimalOperations.allowPrecisionLoss` = true).
 */
import type { DataType } from '../types/data-type.js';
import { MAX_DECIMAL_PRECISION } from '../types/decimal.js';
import {
  arrayType,
  decimalType,
  isIntegral,
  isNumeric,
  mapType,
  sameType,
  structType,
  T,
} from '../types/types.js';

const NUMERIC_RANK: Record<string, number> = { byte: 1, short: 2, int: 3, long: 4, float: 6, double: 7 };

/** The decimal type that holds every value of an integral type (Spark's DecimalType.forType). */
export function decimalForIntegral(t: DataType): { precision: number; scale: number } {
  switch (t.kind) {
    case 'byte':
      return { precision: 3, scale: 0 };
    case 'short':
      return { precision: 5, scale: 0 };
    case 'int':
      return { precision: 10, scale: 0 };
    case 'long':
      return { precision: 20, scale: 0 };
    case 'decimal':
      return { precision: t.precision, scale: t.scale };
    default:
      return { precision: 38, scale: 18 };
  }
}

/** Spark's DecimalType.adjustPrecisionScale (precision loss allowed, minimum scale 6). */
export function adjustPrecisionScale(precision: number, scale: number): DataType {
  if (precision <= MAX_DECIMAL_PRECISION) return decimalType(precision, scale);
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  const adjusted = Math.max(MAX_DECIMAL_PRECISION - intDigits, minScale);
  return decimalType(MAX_DECIMAL_PRECISION, adjusted);
}

function boundedDecimal(precision: number, scale: number): DataType {
  return decimalType(Math.min(precision, MAX_DECIMAL_PRECISION), Math.min(scale, MAX_DECIMAL_PRECISION));
}

/** Wider of two numeric types (decimal with float/double → double). */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    if (a.kind === 'double' || b.kind === 'double' || a.kind === 'float' || b.kind === 'float')
      return T.double;
    const x = decimalForIntegral(a);
    const y = decimalForIntegral(b);
    const scale = Math.max(x.scale, y.scale);
    const range = Math.max(x.precision - x.scale, y.precision - y.scale);
    return boundedDecimal(range + scale, scale);
  }
  if (a.kind === 'float' && b.kind === 'long') return T.double;
  if (b.kind === 'float' && a.kind === 'long') return T.double;
  return (NUMERIC_RANK[a.kind] ?? 0) >= (NUMERIC_RANK[b.kind] ?? 0) ? a : b;
}

/** Type a string is promoted to when it meets `other` (ANSI: Long → Double, Date → Timestamp, Boolean...). */
function stringPromotion(other: DataType, ansi: boolean): DataType | null {
  switch (other.kind) {
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return ansi ? T.long : T.string;
    case 'float':
    case 'double':
    case 'decimal':
      return ansi ? T.double : T.string;
    case 'date':
    case 'timestamp':
      return ansi ? other : T.string;
    case 'boolean':
      return ansi ? T.boolean : null;
    case 'interval':
      return ansi ? T.interval : null;
    case 'binary':
      return ansi ? T.binary : null;
    default:
      return null;
  }
}

/** The common type CASE branches, COALESCE arguments, IN lists and array elements are cast to; null when none. */
export function findWiderType(a: DataType, b: DataType, ansi: boolean): DataType | null {
  if (sameType(a, b)) {
    if (a.kind === 'array' && b.kind === 'array')
      return arrayType(a.elementType, a.containsNull || b.containsNull);
    return a;
  }
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b);
  if ((a.kind === 'date' && b.kind === 'timestamp') || (a.kind === 'timestamp' && b.kind === 'date'))
    return T.timestamp;
  if (a.kind === 'string') return stringPromotion(b, ansi);
  if (b.kind === 'string') return stringPromotion(a, ansi);
  if (a.kind === 'array' && b.kind === 'array') {
    const e = findWiderType(a.elementType, b.elementType, ansi);
    return e ? arrayType(e, a.containsNull || b.containsNull) : null;
  }
  if (a.kind === 'map' && b.kind === 'map') {
    const k = findWiderType(a.keyType, b.keyType, ansi);
    const v = findWiderType(a.valueType, b.valueType, ansi);
    return k && v ? mapType(k, v, a.valueContainsNull || b.valueContainsNull) : null;
  }
  if (a.kind === 'struct' && b.kind === 'struct' && a.fields.length === b.fields.length) {
    const fields = [];
    for (let i = 0; i < a.fields.length; i++) {
      const f = a.fields[i]!;
      const g = b.fields[i]!;
      if (f.name.toLowerCase() !== g.name.toLowerCase()) return null;
      const t = findWiderType(f.dataType, g.dataType, ansi);
      if (!t) return null;
      fields.push({ name: f.name, dataType: t, nullable: f.nullable || g.nullable });
    }
    return structType(fields);
  }
  return null;
}

export function findWiderTypeOfAll(types: readonly DataType[], ansi: boolean): DataType | null {
  let acc: DataType = T.null;
  for (const t of types) {
    const w = findWiderType(acc, t, ansi);
    if (!w) return null;
    acc = w;
  }
  return acc;
}

/** The type both sides of `=`, `<`, ... are cast to; null when they cannot be compared. */
export function comparisonType(a: DataType, b: DataType, ansi: boolean): DataType | null {
  if (!ansi) {
    if (a.kind === 'string' && isNumeric(b)) return b.kind === 'decimal' || isIntegral(b) ? T.double : b;
    if (b.kind === 'string' && isNumeric(a)) return a.kind === 'decimal' || isIntegral(a) ? T.double : a;
    if (a.kind === 'string' && (b.kind === 'date' || b.kind === 'timestamp' || b.kind === 'boolean'))
      return b;
    if (b.kind === 'string' && (a.kind === 'date' || a.kind === 'timestamp' || a.kind === 'boolean'))
      return a;
  }
  const w = findWiderType(a, b, ansi);
  if (
    w &&
    (w.kind === 'map' || (w.kind === 'string' && a.kind !== b.kind && a.kind !== 'null' && b.kind !== 'null'))
  ) {
    return w.kind === 'map' ? null : w;
  }
  return w;
}

export type ArithmeticOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'remainder' | 'div' | 'pmod';

/** Result type of decimal arithmetic (Spark's DecimalPrecision rule). */
export function decimalResultType(op: ArithmeticOp, a: DataType, b: DataType): DataType {
  const x = decimalForIntegral(a);
  const y = decimalForIntegral(b);
  const [p1, s1, p2, s2] = [x.precision, x.scale, y.precision, y.scale];
  switch (op) {
    case 'add':
    case 'subtract': {
      const scale = Math.max(s1, s2);
      return adjustPrecisionScale(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
    }
    case 'multiply':
      return adjustPrecisionScale(p1 + p2 + 1, s1 + s2);
    case 'divide': {
      const scale = Math.max(6, s1 + p2 + 1);
      return adjustPrecisionScale(p1 - s1 + s2 + scale, scale);
    }
    case 'remainder':
    case 'pmod': {
      const scale = Math.max(s1, s2);
      return adjustPrecisionScale(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
    case 'div':
      return T.long;
  }
}

/** The smallest decimal type holding an integral literal (Spark's DecimalType.fromLiteral). */
export function decimalForLiteral(value: number): DataType {
  const digits = Math.abs(Math.trunc(value)).toString().length;
  return decimalType(Math.max(digits, 1), 0);
}
