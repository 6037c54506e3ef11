/**
 * Spark's `long` (signed 64-bit) in JavaScript (docs/decisions/0006-exact-longs.md): a `number`
 * when it is a safe integer, a `bigint` otherwise — never a bigint for a safe value, so that `===`,
 * Map keys and `<` keep working. Every producer of a long that can leave the safe range goes
 * through `canonicalLong`.
 */

/** A canonical long value. */
export type Long = number | bigint;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);
export const LONG_MAX = 2n ** 63n - 1n;
export const LONG_MIN = -(2n ** 63n);

/** The canonical form of an exact integer known to be within 64 bits. */
export function canonicalLong(v: bigint): Long {
  return v <= MAX_SAFE_BIG && v >= -MAX_SAFE_BIG ? Number(v) : v;
}

/** Whether an exact integer is outside Spark's long range. */
export function outOfLongRange(v: bigint): boolean {
  return v > LONG_MAX || v < LONG_MIN;
}

/** The exact integer of a long value (for BigInt arithmetic). */
export function bigOf(v: Long): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** What an exact result beyond 64 bits becomes: an error (ANSI) or Java's wrap-around. */
export type LongOverflow = (exact: bigint) => Long;

export function wrapLongOverflow(exact: bigint): Long {
  return canonicalLong(BigInt.asIntN(64, exact));
}

/** Spark's rule for a long result beyond 64 bits: `onOverflow()` is thrown (ANSI), or it wraps around. */
export function longOverflowRule(ansi: boolean, onOverflow: () => Error): LongOverflow {
  return ansi
    ? () => {
        throw onOverflow();
      }
    : wrapLongOverflow;
}

function fit(exact: bigint, overflow: LongOverflow): Long {
  return outOfLongRange(exact) ? overflow(exact) : canonicalLong(exact);
}

export function longAdd(a: Long, b: Long, overflow: LongOverflow): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
  }
  return fit(bigOf(a) + bigOf(b), overflow);
}

export function longSubtract(a: Long, b: Long, overflow: LongOverflow): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
  }
  return fit(bigOf(a) - bigOf(b), overflow);
}

export function longMultiply(a: Long, b: Long, overflow: LongOverflow): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    // The float product of two integers is exact when the true product is safe, and a true
    // product beyond the safe range rounds to a float beyond it too.
    const r = a * b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r === 0 ? 0 : r;
  }
  return fit(bigOf(a) * bigOf(b), overflow);
}

/** Integral division truncating toward zero (`div`); b is not zero. */
export function longDiv(a: Long, b: Long, overflow: LongOverflow): Long {
  if (typeof a === 'number' && typeof b === 'number') return Math.trunc(a / b) || 0;
  // Long.MinValue div -1 is the one quotient beyond 64 bits.
  return fit(bigOf(a) / bigOf(b), overflow);
}

/** Remainder with the sign of the dividend (`%`); b is not zero. */
export function longRemainder(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') return a % b || 0;
  return canonicalLong(bigOf(a) % bigOf(b));
}

/** Positive modulus (`pmod`); b is not zero. */
export function longPmod(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    return (r < 0 ? (r + b) % b : r) || 0;
  }
  const bb = bigOf(b);
  const r = bigOf(a) % bb;
  return canonicalLong(r < 0n ? (r + bb) % bb : r);
}

export function longNegate(a: Long, overflow: LongOverflow): Long {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  return fit(-a, overflow);
}

export function longAbs(a: Long, overflow: LongOverflow): Long {
  if (typeof a === 'number') return Math.abs(a);
  return fit(a < 0n ? -a : a, overflow);
}

/** A long as a double (`CAST(long AS DOUBLE)`, implicit widening). */
export function longToDouble(v: Long): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/**
 * The long of a double's integral part, exactly (a double beyond 2^53 is an integer already), or
 * undefined outside the long range or for NaN.
 */
export function longFromDouble(d: number): Long | undefined {
  if (Number.isNaN(d)) return undefined;
  const t = Math.trunc(d);
  if (t <= MAX_SAFE && t >= -MAX_SAFE) return t === 0 ? 0 : t;
  if (!Number.isFinite(t)) return undefined;
  const b = BigInt(t);
  return outOfLongRange(b) ? undefined : b;
}

/**
 * The exact integer of decimal digits with an optional sign (no other syntax), canonical: a number
 * when safe (the caller checks the range of its target type).
 */
export function parseLongDigits(sign: string, digits: string): Long {
  if (digits.length <= 15) {
    const n = Number(digits);
    return sign === '-' ? (n === 0 ? 0 : -n) : n;
  }
  const b = BigInt(digits);
  return canonicalLong(sign === '-' ? -b : b);
}

/** A JSON number's text as a long when it is an integer beyond the safe range, else undefined. */
export function exactIntegerOfNumberText(text: string): bigint | undefined {
  const m = /^(-?)(\d{16,})$/.exec(text);
  if (!m) return undefined;
  const b = BigInt(text);
  return b > MAX_SAFE_BIG || b < -MAX_SAFE_BIG ? b : undefined;
}

/** `JSON.stringify` replacer output for a value that may hold bigints: their digits, unquoted. */
export function stringifyWithLongs(value: unknown, space?: number): string {
  let big = false;
  const marked = JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v !== 'bigint') return v;
      big = true;
      return `\u0000${v}\u0000`;
    },
    space,
  );
  return big ? marked.replace(/"\\u0000(-?\d+)\\u0000"/g, '$1') : marked;
}
