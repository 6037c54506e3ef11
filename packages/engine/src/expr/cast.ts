/**
 * CAST with Spark's rules. ANSI mode (the default, as in Spark 4) raises CAST_INVALID_INPUT /
 * CAST_OVERFLOW / NUMERIC_VALUE_OUT_OF_RANGE; legacy mode and TRY_CAST return null instead.
 */
import type { DataType } from '../types/data-type.js';
import { floorDiv, parseDate, parseTimestamp } from '../types/datetime.js';
import { Decimal, pow10 } from '../types/decimal.js';
import { castToString } from '../types/format.js';
import { type Interval, MICROS_PER_DAY, MICROS_PER_SECOND, parseIntervalString } from '../types/interval.js';
import {
  bigOf,
  canonicalLong,
  LONG_MAX,
  LONG_MIN,
  type Long,
  longFromDouble,
  longToDouble,
  outOfLongRange,
  parseLongDigits,
  wrapLongOverflow,
} from '../types/long.js';
import { isNumeric, sameType } from '../types/types.js';
import { castInvalidInput, castOverflow, numericOutOfRange } from './runtime-errors.js';

/** A cast of a non-null value; returns null when the value cannot be converted in non-throwing mode. */
export type CastFn = (v: any) => unknown;

const INT_RANGE: Record<'byte' | 'short' | 'int' | 'long', readonly [Long, Long]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  long: [LONG_MIN, LONG_MAX],
};

type IntKind = keyof typeof INT_RANGE;

/** Seconds whose microseconds are still a safe integer. */
const MAX_SAFE_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / MICROS_PER_SECOND);

/** Whether Spark allows `CAST(from AS to)` (in ANSI mode or not). */
export function canCast(from: DataType, to: DataType, ansi: boolean): boolean {
  if (sameType(from, to)) return true;
  if (from.kind === 'null') return true;
  if (to.kind === 'string') return true;
  switch (from.kind) {
    case 'string':
      return to.kind !== 'array' && to.kind !== 'map' && to.kind !== 'struct';
    case 'boolean':
      return isNumeric(to) || (!ansi && to.kind === 'timestamp');
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return (
        isNumeric(to) || to.kind === 'boolean' || to.kind === 'timestamp' || (!ansi && to.kind === 'binary')
      );
    case 'float':
    case 'double':
    case 'decimal':
      return isNumeric(to) || to.kind === 'boolean' || to.kind === 'timestamp';
    case 'date':
      return to.kind === 'timestamp' || (!ansi && (isNumeric(to) || to.kind === 'boolean'));
    case 'timestamp':
      return to.kind === 'date' || isNumeric(to) || (!ansi && to.kind === 'boolean');
    case 'binary':
      return false;
    case 'interval':
      return false;
    case 'array':
      return to.kind === 'array' && canCast(from.elementType, to.elementType, ansi);
    case 'map':
      return (
        to.kind === 'map' &&
        canCast(from.keyType, to.keyType, ansi) &&
        canCast(from.valueType, to.valueType, ansi)
      );
    case 'struct':
      return (
        to.kind === 'struct' &&
        from.fields.length === to.fields.length &&
        from.fields.every((f, i) => canCast(f.dataType, to.fields[i]!.dataType, ansi))
      );
    default:
      return false;
  }
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** Trims as UTF8String.trimAll: every character ≤ U+0020 on both ends. */
function trimAll(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Spark's UTF8String.toLong: optional sign, digits, optional `.digits` (fraction dropped), exact
 * (a bigint beyond the safe range; the caller checks the target's range).
 */
export function parseIntegral(s: string): Long | null {
  const m = /^([+-]?)(\d+)(?:\.\d*)?$|^([+-]?)\.\d+$/.exec(trimAll(s));
  if (!m) return null;
  if (m[2] === undefined) return 0;
  return parseLongDigits(m[1]!, m[2].replace(/^0+(?=\d)/, ''));
}

/** Java's Double.parseDouble plus Spark's `inf` / `infinity` / `nan` spellings. */
export function parseDouble(s: string): number | null {
  const t = trimAll(s);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) return Number(t.replace(/[dDfF]$/, ''));
  const l = t.toLowerCase();
  if (l === 'nan') return Number.NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Number.POSITIVE_INFINITY;
  if (l === '-inf' || l === '-infinity') return Number.NEGATIVE_INFINITY;
  return null;
}

const TRUE_STRINGS = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_STRINGS = new Set(['f', 'false', 'n', 'no', '0']);

/** Java's narrowing of an integral value (a long may be a bigint) to `kind`. */
function wrapInt(value: Long, kind: IntKind): Long {
  if (kind === 'long') return typeof value === 'bigint' ? wrapLongOverflow(value) : value;
  const v = typeof value === 'bigint' ? Number(BigInt.asIntN(32, value)) : value;
  switch (kind) {
    case 'byte':
      return (v << 24) >> 24;
    case 'short':
      return (v << 16) >> 16;
    case 'int':
      return v | 0;
  }
}

/**
 * The cast of a non-null value of `from` into `to`, or null when no conversion is needed.
 * `ansi`: throw on invalid input / overflow; otherwise return null (also the TRY_CAST behaviour).
 * `tryCast`: integral overflow gives null, where a legacy (non-ANSI) CAST wraps around as Java does.
 */
export function makeCast(from: DataType, to: DataType, ansi: boolean, tryCast = false): CastFn | null {
  const nullOnOverflow = ansi || tryCast;
  if (sameType(from, to)) return null;
  const fail = ansi
    ? (v: unknown): never => {
        throw castInvalidInput(v, from, to);
      }
    : (): null => null;
  const overflow = ansi
    ? (v: unknown): never => {
        throw castOverflow(v, from, to);
      }
    : (): null => null;

  if (from.kind === 'null') return () => null;

  switch (to.kind) {
    case 'string':
      // Buffer's own UTF-8 slice is much faster than TextDecoder for the short values of Kafka records;
      // toString() without arguments goes straight to it (with 'utf8' it looks the encoding up first).
      if (from.kind === 'binary')
        return (v: Uint8Array) => (Buffer.isBuffer(v) ? v.toString() : utf8Decoder.decode(v));
      return (v) => castToString(v, from);
    case 'boolean':
      switch (from.kind) {
        case 'string':
          return (v: string) => {
            const l = trimAll(v).toLowerCase();
            if (TRUE_STRINGS.has(l)) return true;
            if (FALSE_STRINGS.has(l)) return false;
            return fail(v);
          };
        case 'decimal':
          return (v: Decimal) => v.signum() !== 0;
        default:
          return (v: number) => v !== 0;
      }
    case 'byte':
    case 'short':
    case 'int':
    case 'long': {
      const kind = to.kind;
      const [lo, hi] = INT_RANGE[kind];
      switch (from.kind) {
        case 'boolean':
          return (v: boolean) => (v ? 1 : 0);
        case 'byte':
        case 'short':
        case 'int':
        case 'long':
          return (v: number) => (v < lo || v > hi ? (nullOnOverflow ? overflow(v) : wrapInt(v, kind)) : v);
        case 'float':
        case 'double':
          if (kind === 'long')
            return (v: number) => {
              const l = longFromDouble(v);
              if (l !== undefined) return l;
              if (nullOnOverflow) return overflow(v);
              // Scala's toLong saturates (NaN is 0).
              return Number.isNaN(v) ? 0 : v > 0 ? LONG_MAX : LONG_MIN;
            };
          return (v: number) => {
            if (Number.isNaN(v)) return nullOnOverflow ? overflow(v) : 0;
            const t = Math.trunc(v);
            if (t < (lo as number) || t > (hi as number)) {
              if (nullOnOverflow) return overflow(v);
              // Scala's toInt saturates, narrower types then wrap.
              return wrapInt(Math.max(-2147483648, Math.min(2147483647, t)), kind);
            }
            return t === 0 ? 0 : t;
          };
        case 'decimal':
          return (v: Decimal) => {
            const b = v.toBigInt();
            if (b < lo || b > hi) return nullOnOverflow ? overflow(v) : wrapInt(BigInt.asIntN(64, b), kind);
            return canonicalLong(b);
          };
        case 'string':
          return (v: string) => {
            const n = parseIntegral(v);
            if (n === null || n < lo || n > hi) return fail(v);
            return n;
          };
        case 'timestamp':
          return (v: number) => {
            const s = floorDiv(v, MICROS_PER_SECOND);
            return s < lo || s > hi ? (nullOnOverflow ? overflow(v) : wrapInt(s, kind)) : s;
          };
        case 'date':
          return () => null;
        default:
          return null;
      }
    }
    case 'float':
    case 'double': {
      const round = to.kind === 'float' ? Math.fround : (x: number) => x;
      switch (from.kind) {
        case 'long':
          return to.kind === 'float' ? (v: Long) => Math.fround(longToDouble(v)) : longToDouble;
        case 'boolean':
          return (v: boolean) => (v ? 1 : 0);
        case 'decimal':
          return (v: Decimal) => round(v.toNumber());
        case 'string':
          return (v: string) => {
            const n = parseDouble(v);
            return n === null ? fail(v) : round(n);
          };
        case 'timestamp':
          return (v: number) => v / MICROS_PER_SECOND;
        case 'date':
          return () => null;
        default:
          return to.kind === 'float' ? (v: number) => Math.fround(v) : null;
      }
    }
    case 'decimal': {
      const { precision, scale } = to;
      const fit = (d: Decimal, orig: unknown): Decimal | null => {
        const r = d.toPrecision(precision, scale);
        if (r === null) {
          if (ansi) throw numericOutOfRange(castToString(orig, from), precision, scale);
          return null;
        }
        return r;
      };
      switch (from.kind) {
        case 'boolean':
          return (v: boolean) => fit(new Decimal(v ? 1n : 0n, 0), v);
        case 'byte':
        case 'short':
        case 'int':
        case 'long':
          return (v: number) => fit(new Decimal(BigInt(v), 0), v);
        case 'float':
        case 'double':
          return (v: number) => (Number.isFinite(v) ? fit(Decimal.fromNumber(v), v) : fail(v));
        case 'decimal':
          return (v: Decimal) => fit(v, v);
        case 'string':
          return (v: string) => {
            const d = Decimal.parse(trimAll(v));
            return d === null ? fail(v) : fit(d, v);
          };
        case 'timestamp':
          return (v: number) => fit(new Decimal(BigInt(v), 6), v);
        default:
          return () => null;
      }
    }
    case 'date':
      switch (from.kind) {
        case 'string':
          return (v: string) => parseDate(v) ?? fail(v);
        case 'timestamp':
          return (v: number) => floorDiv(v, MICROS_PER_DAY);
        default:
          return () => null;
      }
    case 'timestamp':
      switch (from.kind) {
        case 'string':
          return (v: string) => parseTimestamp(v) ?? fail(v);
        case 'date':
          return (v: number) => v * MICROS_PER_DAY;
        case 'boolean':
          return (v: boolean) => (v ? 1 : 0);
        case 'byte':
        case 'short':
        case 'int':
        case 'long':
          return (v: Long) => {
            if (typeof v === 'number' && Math.abs(v) <= MAX_SAFE_SECONDS) return v * MICROS_PER_SECOND;
            const micros = bigOf(v) * BigInt(MICROS_PER_SECOND);
            if (outOfLongRange(micros)) return nullOnOverflow ? overflow(v) : wrapLongOverflow(micros);
            return canonicalLong(micros);
          };
        case 'float':
        case 'double':
          return (v: number) =>
            Number.isFinite(v) ? Math.trunc(v * MICROS_PER_SECOND) : ansi ? overflow(v) : null;
        case 'decimal':
          return (v: Decimal) => Number(v.multiply(new Decimal(pow10(6), 0)).toBigInt());
        default:
          return () => null;
      }
    case 'binary':
      switch (from.kind) {
        case 'string':
          return (v: string) => utf8Encoder.encode(v);
        case 'byte':
        case 'short':
        case 'int':
        case 'long': {
          const bytes = from.kind === 'byte' ? 1 : from.kind === 'short' ? 2 : from.kind === 'int' ? 4 : 8;
          return (v: number) => {
            const out = new Uint8Array(bytes);
            let b = BigInt.asUintN(bytes * 8, BigInt(v));
            for (let i = bytes - 1; i >= 0; i--) {
              out[i] = Number(b & 0xffn);
              b >>= 8n;
            }
            return out;
          };
        }
        default:
          return () => null;
      }
    case 'interval':
      if (from.kind === 'string') {
        return (v: string): Interval | null => {
          try {
            return parseIntervalString(v);
          } catch {
            return fail(v);
          }
        };
      }
      return () => null;
    case 'array': {
      if (from.kind !== 'array') return () => null;
      const el = makeCast(from.elementType, to.elementType, ansi, tryCast);
      if (!el) return null;
      return (v: unknown[]) => v.map((x) => (x === null ? null : el(x)));
    }
    case 'map': {
      if (from.kind !== 'map') return () => null;
      const k = makeCast(from.keyType, to.keyType, ansi, tryCast) ?? ((x: unknown) => x);
      const val = makeCast(from.valueType, to.valueType, ansi, tryCast) ?? ((x: unknown) => x);
      return (v: Map<unknown, unknown>) => {
        const out = new Map();
        for (const [a, b] of v) out.set(k(a), b === null ? null : val(b));
        return out;
      };
    }
    case 'struct': {
      if (from.kind !== 'struct') return () => null;
      const casts = to.fields.map((f, i) => makeCast(from.fields[i]!.dataType, f.dataType, ansi, tryCast));
      if (casts.every((c) => c === null)) return (v: unknown[]) => v;
      return (v: unknown[]) =>
        casts.map((c, i) => {
          const x = v[i] ?? null;
          return x === null || c === null ? x : c(x);
        });
    }
    case 'null':
      return () => null;
  }
}
