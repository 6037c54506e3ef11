/**
 * Calendar intervals as Spark's CalendarInterval: months, days and microseconds kept apart
 * (a month has no fixed length, a day may have 23–25 hours in a time zone).
 */
export const MICROS_PER_MILLI = 1000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

export class Interval {
  constructor(
    readonly months: number,
    readonly days: number,
    readonly micros: number,
  ) {}

  static readonly ZERO = new Interval(0, 0, 0);

  add(o: Interval): Interval {
    return new Interval(this.months + o.months, this.days + o.days, this.micros + o.micros);
  }

  negate(): Interval {
    return new Interval(-this.months, -this.days, -this.micros);
  }

  equals(o: Interval): boolean {
    return this.months === o.months && this.days === o.days && this.micros === o.micros;
  }

  /** Spark's multi-unit text: `1 years 2 months 3 days 4 hours 5 minutes 6.5 seconds`. */
  toString(): string {
    const parts: string[] = [];
    if (this.months !== 0) {
      const y = Math.trunc(this.months / 12);
      const m = this.months % 12;
      if (y !== 0) parts.push(`${y} years`);
      if (m !== 0) parts.push(`${m} months`);
    }
    if (this.days !== 0) parts.push(`${this.days} days`);
    let rest = this.micros;
    if (rest !== 0) {
      const h = Math.trunc(rest / MICROS_PER_HOUR);
      rest -= h * MICROS_PER_HOUR;
      const mi = Math.trunc(rest / MICROS_PER_MINUTE);
      rest -= mi * MICROS_PER_MINUTE;
      if (h !== 0) parts.push(`${h} hours`);
      if (mi !== 0) parts.push(`${mi} minutes`);
      if (rest !== 0) {
        const neg = rest < 0;
        const a = Math.abs(rest);
        const secs = Math.trunc(a / MICROS_PER_SECOND);
        const frac = a % MICROS_PER_SECOND;
        const fracText = frac === 0 ? '' : `.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
        parts.push(`${neg ? '-' : ''}${secs}${fracText} seconds`);
      }
    }
    return parts.length === 0 ? '0 seconds' : parts.join(' ');
  }

  toJSON(): { months: number; days: number; micros: number } {
    return { months: this.months, days: this.days, micros: this.micros };
  }
}

const UNIT_MICROS: Record<string, [kind: 'months' | 'days' | 'micros', factor: number]> = {
  year: ['months', 12],
  month: ['months', 1],
  week: ['days', 7],
  day: ['days', 1],
  hour: ['micros', MICROS_PER_HOUR],
  minute: ['micros', MICROS_PER_MINUTE],
  second: ['micros', MICROS_PER_SECOND],
  millisecond: ['micros', MICROS_PER_MILLI],
  microsecond: ['micros', 1],
};

const UNIT_ALIASES: Record<string, string> = {
  y: 'year',
  yr: 'year',
  yrs: 'year',
  mon: 'month',
  mons: 'month',
  w: 'week',
  d: 'day',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  min: 'minute',
  mins: 'minute',
  m: 'minute',
  s: 'second',
  sec: 'second',
  secs: 'second',
  ms: 'millisecond',
  msec: 'millisecond',
  msecs: 'millisecond',
  us: 'microsecond',
  usec: 'microsecond',
  usecs: 'microsecond',
};

/** Canonical unit name (`year`, `month`, ..., `microsecond`) for a unit word, or undefined. */
export function normalizeIntervalUnit(word: string): string | undefined {
  const w = word.toLowerCase();
  if (UNIT_MICROS[w]) return w;
  if (w.endsWith('s') && UNIT_MICROS[w.slice(0, -1)]) return w.slice(0, -1);
  return UNIT_ALIASES[w];
}

/** Builds an interval from `value` units (`1.5`, `'second'`); fractional values are allowed for day-time units. */
export function intervalFromUnit(value: number, unit: string): Interval {
  const u = normalizeIntervalUnit(unit);
  if (!u) throw new SyntaxError(`invalid interval unit '${unit}'`);
  const [kind, factor] = UNIT_MICROS[u]!;
  if (kind === 'months') {
    if (!Number.isInteger(value)) throw new SyntaxError(`interval ${unit} must be an integer`);
    return new Interval(value * factor, 0, 0);
  }
  if (kind === 'days') {
    if (Number.isInteger(value)) return new Interval(0, value * factor, 0);
    return new Interval(0, 0, Math.round(value * factor * MICROS_PER_DAY));
  }
  return new Interval(0, 0, Math.round(value * factor));
}

/**
 * Parses Spark interval text: `10 seconds`, `1 minute`, `INTERVAL 2 HOURS`, `interval '10' second`,
 * `1 day 2 hours 30 minutes`, `-1.5 seconds`. Throws SyntaxError on anything else.
 */
export function parseIntervalString(text: string): Interval {
  let s = text.trim();
  if (/^interval\b/i.test(s)) s = s.slice(8).trim();
  const tokens = s.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length === 0) throw new SyntaxError(`invalid interval '${text}'`);
  let result = Interval.ZERO;
  for (let i = 0; i < tokens.length; i += 2) {
    const numText = tokens[i]!.replace(/^'(.*)'$/, '$1');
    const unit = tokens[i + 1];
    if (unit === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(numText)) {
      throw new SyntaxError(`invalid interval '${text}'`);
    }
    result = result.add(intervalFromUnit(Number(numText), unit));
  }
  return result;
}

/**
 * Total length in microseconds of an interval without months (days count 24 hours), as Spark's
 * `getIntervalInMicroSeconds` for windows, triggers and watermarks. Throws RangeError when months ≠ 0.
 */
export function intervalToMicros(i: Interval): number {
  if (i.months !== 0) throw new RangeError('Intervals greater than or equal to a month is not supported');
  return i.days * MICROS_PER_DAY + i.micros;
}
