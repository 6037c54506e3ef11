/**
 * Text forms of runtime values, exactly as Spark prints them: `CAST(x AS STRING)` (castToString) and
 * `show()` / the console sink (formatValue). Also a JSON-safe encoding of values (for checkpoints).
 */
import type { DataType } from './data-type.js';
import { formatDate, formatTimestamp } from './datetime.js';
import { Decimal } from './decimal.js';
import { Interval } from './interval.js';
import { canonicalLong } from './long.js';

function withJavaMantissa(digits: string, exp: number): string {
  // digits: shortest significant digits without a point; value = 0.d1d2... × 10^(exp+1)
  const mantissa = digits.length === 1 ? `${digits}.0` : `${digits[0]}.${digits.slice(1)}`;
  return `${mantissa}E${exp}`;
}

function javaText(digits: string, exp: number, neg: boolean): string {
  // value = d1.d2d3... × 10^exp
  const sign = neg ? '-' : '';
  if (exp >= -3 && exp < 7) {
    if (exp >= 0) {
      const intPart =
        digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits + '0'.repeat(exp + 1 - digits.length);
      const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return sign + withJavaMantissa(digits, exp);
}

function shortestDigits(text: string): [digits: string, exp: number] {
  // text from toExponential(): "1.2345e+7"
  const [mant, e] = text.split('e') as [string, string];
  return [mant.replace('.', '').replace(/0+$/, '') || '0', Number(e)];
}

/** Java's Double.toString: `1.0`, `0.001`, `1234567.0`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Number.POSITIVE_INFINITY) return 'Infinity';
  if (d === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const [digits, exp] = shortestDigits(Math.abs(d).toExponential());
  return javaText(digits, exp, d < 0);
}

/** Java's Float.toString for a float value held in a JS number (shortest digits that round-trip through float32). */
export function formatFloat(f: number): string {
  if (!Number.isFinite(f) || f === 0) return formatDouble(f);
  const a = Math.abs(f);
  let text = a.toExponential();
  for (let p = 1; p <= 9; p++) {
    const t = a.toExponential(p - 1);
    if (Math.fround(Number(t)) === Math.fround(a)) {
      text = t;
      break;
    }
  }
  const [digits, exp] = shortestDigits(text);
  return javaText(digits, exp, f < 0);
}

const utf8 = new TextDecoder('utf-8');

/** `CAST(value AS STRING)` for a non-null value: nested nulls print as `null`, binary decodes as UTF-8. */
export function castToString(value: unknown, t: DataType): string {
  return toText(value, t, 'null', false, true);
}

/**
 * A value as `show()` and the console sink print it (Spark's ToPrettyString): `NULL`, `[1, 2]`,
 * `{1, a}`, `{a -> 1}`, binary as `[01 02]`, doubles as Java prints them.
 */
export function formatValue(value: unknown, t: DataType, nullString = 'NULL'): string {
  return toText(value, t, nullString, true, true);
}

function hex(b: Uint8Array): string {
  const parts: string[] = [];
  for (const x of b) parts.push(x.toString(16).toUpperCase().padStart(2, '0'));
  return `[${parts.join(' ')}]`;
}

function toText(value: unknown, t: DataType, nullString: string, binaryHex: boolean, top: boolean): string {
  if (value === null || value === undefined) return nullString;
  switch (t.kind) {
    case 'null':
      return nullString;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return String(value);
    case 'float':
      return formatFloat(value as number);
    case 'double':
      return formatDouble(value as number);
    case 'decimal':
      return (value as Decimal).toString();
    case 'string':
      return value as string;
    case 'binary':
      return binaryHex ? hex(value as Uint8Array) : utf8.decode(value as Uint8Array);
    case 'date':
      return formatDate(value as number);
    case 'timestamp':
      return formatTimestamp(value as number);
    case 'interval':
      return (value as Interval).toString();
    case 'array': {
      const a = value as unknown[];
      return `[${a.map((v) => toText(v, t.elementType, top ? nullString : nullString, binaryHex, false)).join(', ')}]`;
    }
    case 'map': {
      const parts: string[] = [];
      for (const [k, v] of value as Map<unknown, unknown>) {
        parts.push(
          `${toText(k, t.keyType, nullString, binaryHex, false)} -> ${toText(v, t.valueType, nullString, binaryHex, false)}`,
        );
      }
      return `{${parts.join(', ')}}`;
    }
    case 'struct': {
      const a = value as unknown[];
      return `{${t.fields.map((f, i) => toText(a[i], f.dataType, nullString, binaryHex, false)).join(', ')}}`;
    }
  }
}

/**
 * A JSON-safe encoding of a value of type t (decimal → string, binary → base64, map → entries,
 * interval → [months, days, micros], non-finite doubles → strings). Inverse: valueFromJson.
 */
export function valueToJson(value: unknown, t: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (t.kind) {
    case 'float':
    case 'double':
      return Number.isFinite(value) ? value : String(value);
    case 'long':
      // A long beyond ±2^53 is a bigint (docs/decisions/0006-exact-longs.md): its digits as a string.
      return typeof value === 'bigint' ? value.toString() : value;
    case 'decimal':
      return (value as Decimal).toString();
    case 'binary':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'interval': {
      const i = value as Interval;
      return [i.months, i.days, i.micros];
    }
    case 'array':
      return (value as unknown[]).map((v) => valueToJson(v, t.elementType));
    case 'map':
      return [...(value as Map<unknown, unknown>)].map(([k, v]) => [
        valueToJson(k, t.keyType),
        valueToJson(v, t.valueType),
      ]);
    case 'struct':
      return t.fields.map((f, i) => valueToJson((value as unknown[])[i], f.dataType));
    default:
      return value;
  }
}

export function valueFromJson(json: unknown, t: DataType): unknown {
  if (json === null || json === undefined) return null;
  switch (t.kind) {
    case 'float':
    case 'double':
      return typeof json === 'string' ? Number(json) : json;
    case 'long':
      return typeof json === 'string' ? canonicalLong(BigInt(json)) : json;
    case 'decimal':
      return Decimal.parse(json as string);
    case 'binary':
      return new Uint8Array(Buffer.from(json as string, 'base64'));
    case 'interval': {
      const [m, d, u] = json as [number, number, number];
      return new Interval(m, d, u);
    }
    case 'array':
      return (json as unknown[]).map((v) => valueFromJson(v, t.elementType));
    case 'map':
      return new Map(
        (json as [unknown, unknown][]).map(([k, v]) => [
          valueFromJson(k, t.keyType),
          valueFromJson(v, t.valueType),
        ]),
      );
    case 'struct':
      return t.fields.map((f, i) => valueFromJson((json as unknown[])[i], f.dataType));
    default:
      return json;
  }
}
