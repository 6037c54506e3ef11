/**
 * Calendar arithmetic on the runtime representation: dates are days since 1970-01-01 and
 * timestamps are microseconds since the epoch, both UTC, proleptic Gregorian calendar
 * (Spark 3+ uses the proleptic Gregorian calendar too).
 */
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from './interval.js';

export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

/** Days since the epoch for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

export function isValidDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Floor division for the micros → days split of negative timestamps. */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function floorMod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

export interface TimestampFields extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  micros: number; // 0..999999 within the second
}

export function timestampFields(ts: number): TimestampFields {
  const days = floorDiv(ts, MICROS_PER_DAY);
  let rest = ts - days * MICROS_PER_DAY;
  const hour = Math.floor(rest / MICROS_PER_HOUR);
  rest -= hour * MICROS_PER_HOUR;
  const minute = Math.floor(rest / MICROS_PER_MINUTE);
  rest -= minute * MICROS_PER_MINUTE;
  const second = Math.floor(rest / MICROS_PER_SECOND);
  const micros = rest - second * MICROS_PER_SECOND;
  return { ...civilFromDays(days), hour, minute, second, micros };
}

export function timestampFromFields(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  micros = 0,
): number {
  return (
    daysFromCivil(year, month, day) * MICROS_PER_DAY +
    hour * MICROS_PER_HOUR +
    minute * MICROS_PER_MINUTE +
    second * MICROS_PER_SECOND +
    micros
  );
}

/** Day of week, 1 = Sunday ... 7 = Saturday (Spark's dayofweek). */
export function dayOfWeek(days: number): number {
  return floorMod(days + 4, 7) + 1;
}

function pad(n: number, w: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= w ? s : '0'.repeat(w - s.length) + s);
}

function formatYear(y: number): string {
  if (y > 9999) return `+${y}`;
  return pad(y, 4);
}

/** `yyyy-MM-dd` */
export function formatDate(days: number): string {
  const c = civilFromDays(days);
  return `${formatYear(c.year)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
}

/** `yyyy-MM-dd HH:mm:ss[.SSSSSS]` with the fraction's trailing zeros removed, as Spark casts timestamps to string. */
export function formatTimestamp(ts: number): string {
  const f = timestampFields(ts);
  let s = `${formatYear(f.year)}-${pad(f.month, 2)}-${pad(f.day, 2)} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
  if (f.micros !== 0) s += `.${pad(f.micros, 6).replace(/0+$/, '')}`;
  return s;
}

/**
 * Parses Spark's date strings: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, optionally followed by `T` or a
 * space and anything. Returns days since the epoch, or null.
 */
export function parseDate(text: string): number | null {
  const m = /^\s*([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ].*)?)?)?\s*$/.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : 1;
  const d = m[3] ? Number(m[3]) : 1;
  if (!isValidDate(y, mo, d)) return null;
  return daysFromCivil(y, mo, d);
}

/** Offset in minutes east of UTC of a zone id (`Z`, `UTC`, `+01:00`, `GMT+1`, `Europe/Paris`) at an instant. */
export function zoneOffsetMinutes(zone: string, epochMillis: number): number | null {
  const z = zone.trim();
  if (/^(Z|UTC|GMT|UT)$/i.test(z)) return 0;
  const m = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/i.exec(z);
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  }
  try {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: z,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const parts = Object.fromEntries(fmt.formatToParts(new Date(epochMillis)).map((p) => [p.type, p.value]));
    const local = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return Math.round((local - Math.floor(epochMillis / 1000) * 1000) / 60000);
  } catch {
    return null;
  }
}

/**
 * Parses Spark's timestamp strings: `yyyy[-[m]m[-[d]d]]` then optionally `T`/space and
 * `[h]h:[m]m[:[s]s[.ffffff]]` then an optional zone (`Z`, `+01:00`, ` UTC`, ` Europe/Paris`).
 * Without a zone the text is read in UTC (Sluice's session time zone). Returns micros or null.
 */
export function parseTimestamp(text: string): number | null {
  const m =
    /^\s*([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?(?::?\d{2})?|(?:UTC|GMT|UT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z_]+\/[A-Za-z_/+-]+)?\s*$/.exec(
      text,
    );
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : 1;
  const d = m[3] ? Number(m[3]) : 1;
  if (!isValidDate(y, mo, d)) return null;
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const s = m[6] ? Number(m[6]) : 0;
  if (h > 23 || mi > 59 || s > 59) return null;
  const frac = m[7] ? Number(`${m[7]}000000`.slice(0, 6)) : 0;
  let ts = timestampFromFields(y, mo, d, h, mi, s, frac);
  if (m[8]) {
    const off = zoneOffsetMinutes(m[8], Math.floor(ts / 1000));
    if (off === null) return null;
    ts -= off * MICROS_PER_MINUTE;
  }
  return ts;
}
