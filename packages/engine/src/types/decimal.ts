/**
 * Decimal values: an unscaled bigint and a scale, `value = unscaled × 10^-scale`.
 * Arithmetic is exact; rounding (when a result is fitted to a decimal(p, s) type) is HALF_UP as in
 * Spark (java.math.BigDecimal ROUND_HALF_UP).
 */
export const MAX_DECIMAL_PRECISION = 38;

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 80; i++, p *= 10n) POW10.push(p);

export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** Divides with HALF_UP rounding (ties away from zero). */
function divHalfUp(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  if (abs(r) * 2n >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

export class Decimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new Decimal(0n, 0);

  /** Parses `-12.50`, `1e3`, `.5`, `+3.`; returns null when the text is not a number. */
  static parse(text: string): Decimal | null {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m) return null;
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    if (intPart === '' && frac === '') return null;
    let unscaled = BigInt((intPart || '0') + frac);
    let scale = frac.length;
    if (m[4]) scale -= Number(m[4]);
    if (m[1] === '-') unscaled = -unscaled;
    if (scale < 0) {
      unscaled *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(unscaled, scale);
  }

  /** An exact decimal for a finite double, using its shortest round-trip text (as Java's BigDecimal.valueOf). */
  static fromNumber(n: number): Decimal {
    if (!Number.isFinite(n)) throw new RangeError(`cannot convert ${n} to decimal`);
    if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return new Decimal(BigInt(n), 0);
    return Decimal.parse(String(n)) as Decimal;
  }

  static fromBigInt(n: bigint): Decimal {
    return new Decimal(n, 0);
  }

  /** Number of significant digits of the unscaled value (at least 1). */
  get precision(): number {
    const a = abs(this.unscaled);
    return a === 0n ? 1 : a.toString().length;
  }

  signum(): number {
    return this.unscaled > 0n ? 1 : this.unscaled < 0n ? -1 : 0;
  }

  /** This value with another scale, rounding HALF_UP when digits are dropped. */
  setScale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * pow10(scale - this.scale), scale);
    return new Decimal(divHalfUp(this.unscaled, pow10(this.scale - scale)), scale);
  }

  /** This value with another scale, truncating toward zero (ROUND_DOWN). */
  setScaleDown(scale: number): Decimal {
    if (scale >= this.scale) return this.setScale(scale);
    return new Decimal(this.unscaled / pow10(this.scale - scale), scale);
  }

  /** Fits the value to decimal(precision, scale); null when it does not fit. */
  toPrecision(precision: number, scale: number): Decimal | null {
    const r = this.setScale(scale);
    return abs(r.unscaled) < pow10(precision) ? r : null;
  }

  add(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled + o.setScale(s).unscaled, s);
  }

  subtract(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled - o.setScale(s).unscaled, s);
  }

  multiply(o: Decimal): Decimal {
    return new Decimal(this.unscaled * o.unscaled, this.scale + o.scale);
  }

  /** Division rounded HALF_UP to `scale` digits; throws RangeError on a zero divisor. */
  divide(o: Decimal, scale: number): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    // (a / 10^sa) / (b / 10^sb) = a * 10^(sb - sa) / b ; scaled by 10^scale
    const exp = scale + o.scale - this.scale;
    const num = exp >= 0 ? this.unscaled * pow10(exp) : this.unscaled;
    const den = exp >= 0 ? o.unscaled : o.unscaled * pow10(-exp);
    return new Decimal(divHalfUp(num, den), scale);
  }

  /** Remainder with the sign of the dividend (Java BigDecimal.remainder). */
  remainder(o: Decimal): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled % o.setScale(s).unscaled, s);
  }

  /** Integral quotient truncated toward zero. */
  quotient(o: Decimal): bigint {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    const s = Math.max(this.scale, o.scale);
    return this.setScale(s).unscaled / o.setScale(s).unscaled;
  }

  negate(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  abs(): Decimal {
    return this.unscaled < 0n ? this.negate() : this;
  }

  compare(o: Decimal): number {
    if (this.scale === o.scale) return this.unscaled < o.unscaled ? -1 : this.unscaled > o.unscaled ? 1 : 0;
    const s = Math.max(this.scale, o.scale);
    const a = this.setScale(s).unscaled;
    const b = o.setScale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Decimal): boolean {
    return this.compare(o) === 0;
  }

  /** Integral part, truncated toward zero. */
  toBigInt(): bigint {
    return this.scale === 0 ? this.unscaled : this.unscaled / pow10(this.scale);
  }

  toNumber(): number {
    return this.scale === 0 ? Number(this.unscaled) : Number(this.toString());
  }

  /** Plain notation with exactly `scale` fraction digits, as Spark prints decimals: `1.50`, `-0.05`. */
  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = abs(this.unscaled).toString();
    if (this.scale <= 0) return (neg ? '-' : '') + digits + '0'.repeat(-this.scale);
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
    const cut = digits.length - this.scale;
    return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** A canonical key (trailing zeros stripped) so that 1.0 and 1.00 group together. */
  key(): string {
    let u = this.unscaled;
    let s = this.scale;
    while (s > 0 && u % 10n === 0n) {
      u /= 10n;
      s--;
    }
    return `${u}e${-s}`;
  }
}
