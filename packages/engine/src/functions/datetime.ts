/**
 * Date and time functions (session time zone UTC): current_timestamp, to_timestamp, to_date,
 * date_format, unix_timestamp, from_unixtime, date_trunc, trunc, date arithmetic, field extraction,
 * make_date/make_timestamp, time zone shifts, and the streaming window functions window,
 * session_window and window_time.
 */
import { AnalysisError, ExecutionError } from '../errors.js';
import type { BoundExpr } from '../expr/bound.js';
import { tumblingWindowStart, windowStarts } from '../expr/window.js';
import type { DataType } from '../types/data-type.js';
import {
  civilFromDays,
  dayOfWeek,
  daysFromCivil,
  daysInMonth,
  floorDiv,
  isValidDate,
  parseDate,
  parseTimestamp,
  timestampFields,
  timestampFromFields,
  zoneOffsetMinutes,
} from '../types/datetime.js';
import { Decimal } from '../types/decimal.js';
import { castToString } from '../types/format.js';
import {
  Interval,
  intervalToMicros,
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  parseIntervalString,
} from '../types/interval.js';
import { decimalType, structType, T } from '../types/types.js';
import {
  checkPattern,
  formatTimestampPattern,
  isoWeekYear,
  parseTimestampPattern,
} from './datetime-format.js';
import { addMonthsToDate, addMonthsToTimestamp } from './datetime-util.js';
import {
  coerceArg,
  coerceArgs,
  constantArg,
  defineScalar,
  lookupFunction,
  makeCall,
  registerFunction,
  typeMismatch,
} from './registry.js';

const ts = T.timestamp;
const date = T.date;
const str = T.string;
const int = T.int;

// ---------------- current time ----------------

for (const name of ['current_timestamp', 'now', 'localtimestamp']) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 0,
    maxArgs: 0,
    bind: (_args, ctx) =>
      makeCall(name, [], ts, { fn: () => ctx.now }, { nullable: false, sql: `${name}()` }),
  });
}
for (const name of ['current_date', 'curdate']) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 0,
    maxArgs: 0,
    bind: (_args, ctx) => {
      const d = floorDiv(ctx.now, MICROS_PER_DAY);
      return makeCall(name, [], date, { fn: () => d }, { nullable: false, sql: 'current_date()' });
    },
  });
}
defineScalar('current_timezone', { args: [], ret: str, nullable: false, fn: () => 'UTC' });

// ---------------- parsing and formatting ----------------

function cannotParse(text: string, pattern: string | undefined, what: 'timestamp' | 'date'): ExecutionError {
  return new ExecutionError(
    'CANNOT_PARSE_TIMESTAMP',
    `Text '${text}' could not be parsed${pattern ? ` with pattern '${pattern}'` : ''}. Use \`try_to_${what === 'date' ? 'date' : 'timestamp'}\` to tolerate invalid input string and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
  );
}

function patternArg(name: string, e: BoundExpr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'literal' || (e.kind === 'call' && e.name === 'cast')) {
    const p = constantArg(name, e);
    if (typeof p === 'string') checkPattern(p);
  }
  return undefined;
}

function toTimestampFn(ansi: boolean, what: 'timestamp' | 'date') {
  return (s: string, pattern?: string): number | null => {
    const r = pattern === undefined ? parseTimestamp(s) : parseTimestampPattern(s, pattern);
    if (r === null && ansi) throw cannotParse(s, pattern, what);
    return r;
  };
}

for (const [name, tryMode] of [
  ['to_timestamp', false],
  ['try_to_timestamp', true],
] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 1,
    maxArgs: 2,
    bind: (raw, ctx) => {
      const a = raw[0]!;
      if (
        raw.length === 1 &&
        (a.dataType.kind === 'date' || a.dataType.kind === 'timestamp' || a.dataType.kind === 'null')
      ) {
        return makeCall(name, [coerceArg(name, raw, 0, ts, ctx)], ts, { inline: ([x]) => x! });
      }
      if (raw.length === 1 && a.dataType.kind !== 'string') {
        return makeCall(name, [coerceArg(name, raw, 0, ts, ctx)], ts, { inline: ([x]) => x! });
      }
      const args = coerceArgs(name, raw, [str, str], ctx);
      patternArg(name, args[1]);
      return makeCall(
        name,
        args,
        ts,
        { fn: toTimestampFn(ctx.ansi && !tryMode, 'timestamp') },
        { nullable: true },
      );
    },
  });
}

for (const [name, tryMode] of [
  ['to_date', false],
  ['try_to_date', true],
] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 1,
    maxArgs: 2,
    bind: (raw, ctx) => {
      const a = raw[0]!;
      if (raw.length === 1 && a.dataType.kind !== 'string') {
        return makeCall(name, [coerceArg(name, raw, 0, date, ctx)], date, { inline: ([x]) => x! });
      }
      const args = coerceArgs(name, raw, [str, str], ctx);
      patternArg(name, args[1]);
      const ansi = ctx.ansi && !tryMode;
      const fn = (s: string, pattern?: string) => {
        const r = pattern === undefined ? parseDate(s) : parseTimestampPattern(s, pattern);
        if (r === null) {
          if (ansi) throw cannotParse(s, pattern, 'date');
          return null;
        }
        return pattern === undefined ? r : floorDiv(r, MICROS_PER_DAY);
      };
      return makeCall(name, args, date, { fn }, { nullable: true });
    },
  });
}

for (const name of ['unix_timestamp', 'to_unix_timestamp']) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: name === 'unix_timestamp' ? 0 : 1,
    maxArgs: 2,
    bind: (raw, ctx) => {
      if (raw.length === 0) {
        const secs = floorDiv(ctx.now, MICROS_PER_SECOND);
        return makeCall(
          name,
          [],
          T.long,
          { fn: () => secs },
          { nullable: false, sql: `${name}(current_timestamp(), yyyy-MM-dd HH:mm:ss)` },
        );
      }
      const a = raw[0]!;
      if (a.dataType.kind === 'timestamp' || a.dataType.kind === 'date') {
        const x = coerceArg(name, raw, 0, ts, ctx);
        return makeCall(name, [x], T.long, { fn: (v: number) => floorDiv(v, MICROS_PER_SECOND) });
      }
      const args = coerceArgs(name, raw, [str, str], ctx);
      patternArg(name, args[1]);
      const parse = toTimestampFn(ctx.ansi, 'timestamp');
      const fn = (s: string, pattern = 'yyyy-MM-dd HH:mm:ss') => {
        const r = parse(s, pattern);
        return r === null ? null : floorDiv(r, MICROS_PER_SECOND);
      };
      return makeCall(name, args, T.long, { fn }, { nullable: true });
    },
  });
}

registerFunction({
  name: 'from_unixtime',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 2,
  bind: (raw, ctx) => {
    const args = coerceArgs('from_unixtime', raw, [T.long, str], ctx);
    patternArg('from_unixtime', args[1]);
    return makeCall('from_unixtime', args, str, {
      fn: (secs: number, pattern = 'yyyy-MM-dd HH:mm:ss') =>
        formatTimestampPattern(secs * MICROS_PER_SECOND, pattern),
    });
  },
});

registerFunction({
  name: 'date_format',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (raw, ctx) => {
    const args = coerceArgs('date_format', raw, [ts, str], ctx);
    patternArg('date_format', args[1]);
    return makeCall('date_format', args, str, { fn: formatTimestampPattern });
  },
});

// ---------------- truncation ----------------

function truncTimestamp(unit: string, t: number): number | null {
  const f = timestampFields(t);
  switch (unit.toUpperCase()) {
    case 'YEAR':
    case 'YYYY':
    case 'YY':
      return timestampFromFields(f.year, 1, 1);
    case 'QUARTER':
      return timestampFromFields(f.year, Math.floor((f.month - 1) / 3) * 3 + 1, 1);
    case 'MONTH':
    case 'MM':
    case 'MON':
      return timestampFromFields(f.year, f.month, 1);
    case 'WEEK': {
      const days = floorDiv(t, MICROS_PER_DAY);
      const monday = days - ((dayOfWeek(days) + 5) % 7);
      return monday * MICROS_PER_DAY;
    }
    case 'DAY':
    case 'DD':
      return floorDiv(t, MICROS_PER_DAY) * MICROS_PER_DAY;
    case 'HOUR':
      return floorDiv(t, MICROS_PER_HOUR) * MICROS_PER_HOUR;
    case 'MINUTE':
      return floorDiv(t, MICROS_PER_MINUTE) * MICROS_PER_MINUTE;
    case 'SECOND':
      return floorDiv(t, MICROS_PER_SECOND) * MICROS_PER_SECOND;
    case 'MILLISECOND':
      return floorDiv(t, 1000) * 1000;
    case 'MICROSECOND':
      return t;
    default:
      return null;
  }
}

defineScalar('date_trunc', { args: [str, ts], ret: ts, nullable: true, fn: truncTimestamp });
defineScalar('trunc', {
  args: [date, str],
  ret: date,
  nullable: true,
  fn: (d: number, unit: string) => {
    const u = unit.toUpperCase();
    if (!['YEAR', 'YYYY', 'YY', 'QUARTER', 'MONTH', 'MM', 'MON', 'WEEK'].includes(u)) return null;
    const r = truncTimestamp(u, d * MICROS_PER_DAY);
    return r === null ? null : floorDiv(r, MICROS_PER_DAY);
  },
});

// ---------------- date arithmetic ----------------

defineScalar(
  'date_add',
  { args: [date, int], ret: date, canonical: true, inline: ([d, n]) => `(${d} + ${n})` },
  'dateadd',
);
defineScalar('date_sub', { args: [date, int], ret: date, inline: ([d, n]) => `(${d} - ${n})` });
defineScalar('datediff', { args: [date, date], ret: int, inline: ([a, b]) => `(${a} - ${b})` }, 'date_diff');
defineScalar('add_months', { args: [date, int], ret: date, fn: addMonthsToDate });
defineScalar('last_day', {
  args: [date],
  ret: date,
  fn: (d: number) => {
    const c = civilFromDays(d);
    return daysFromCivil(c.year, c.month, daysInMonth(c.year, c.month));
  },
});
defineScalar('next_day', {
  args: [date, str],
  ret: date,
  nullable: true,
  fn: (d: number, dow: string) => {
    const names = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'];
    const target = names.indexOf(dow.trim().toLowerCase().slice(0, 2));
    if (target < 0) return null;
    const cur = dayOfWeek(d) - 1;
    const delta = (target - cur + 7) % 7 || 7;
    return d + delta;
  },
});

function monthsBetween(t1: number, t2: number, roundOff: boolean): number {
  const a = timestampFields(t1);
  const b = timestampFields(t2);
  const monthDiff = (a.year - b.year) * 12 + (a.month - b.month);
  const lastA = a.day === daysInMonth(a.year, a.month);
  const lastB = b.day === daysInMonth(b.year, b.month);
  if (a.day === b.day || (lastA && lastB)) return monthDiff;
  const secA = (a.day - 1) * 86400 + a.hour * 3600 + a.minute * 60 + a.second + a.micros / 1e6;
  const secB = (b.day - 1) * 86400 + b.hour * 3600 + b.minute * 60 + b.second + b.micros / 1e6;
  const r = monthDiff + (secA - secB) / (31 * 86400);
  return roundOff ? Math.round(r * 1e8) / 1e8 : r;
}

defineScalar('months_between', {
  sqlDefaults: ['true'],
  args: [ts, ts, T.boolean],
  min: 2,
  max: 3,
  ret: T.double,
  fn: (a: number, b: number, round = true) => monthsBetween(a, b, round),
});

// ---------------- fields ----------------

function dateField(name: string, f: (days: number) => number, ...aliases: string[]): void {
  defineScalar(name, { args: [date], ret: int, fn: f }, ...aliases);
}

dateField('year', (d) => civilFromDays(d).year);
dateField('quarter', (d) => Math.floor((civilFromDays(d).month - 1) / 3) + 1);
dateField('month', (d) => civilFromDays(d).month);
dateField('dayofmonth', (d) => civilFromDays(d).day, 'day');
dateField('dayofweek', (d) => dayOfWeek(d));
dateField('weekday', (d) => (dayOfWeek(d) + 5) % 7);
dateField('dayofyear', (d) => d - daysFromCivil(civilFromDays(d).year, 1, 1) + 1);
dateField('weekofyear', (d) => isoWeekYear(d).week);

function timeField(name: string, f: (t: number) => number): void {
  defineScalar(name, { args: [ts], ret: int, fn: f });
}
timeField('hour', (t) => timestampFields(t).hour);
timeField('minute', (t) => timestampFields(t).minute);
timeField('second', (t) => timestampFields(t).second);

const EXTRACT_FIELDS: Record<string, string> = {
  YEAR: 'YEAR',
  Y: 'YEAR',
  YEARS: 'YEAR',
  YR: 'YEAR',
  YRS: 'YEAR',
  YEAROFWEEK: 'YEAROFWEEK',
  QUARTER: 'QUARTER',
  QTR: 'QUARTER',
  MONTH: 'MONTH',
  MON: 'MONTH',
  MONS: 'MONTH',
  MONTHS: 'MONTH',
  WEEK: 'WEEK',
  W: 'WEEK',
  WEEKS: 'WEEK',
  DAY: 'DAY',
  D: 'DAY',
  DAYS: 'DAY',
  DAYOFMONTH: 'DAY',
  DAYOFWEEK: 'DAYOFWEEK',
  DOW: 'DAYOFWEEK',
  DAYOFWEEK_ISO: 'DOW_ISO',
  DOW_ISO: 'DOW_ISO',
  DOY: 'DOY',
  HOUR: 'HOUR',
  H: 'HOUR',
  HOURS: 'HOUR',
  HR: 'HOUR',
  HRS: 'HOUR',
  MINUTE: 'MINUTE',
  M: 'MINUTE',
  MIN: 'MINUTE',
  MINS: 'MINUTE',
  MINUTES: 'MINUTE',
  SECOND: 'SECOND',
  S: 'SECOND',
  SEC: 'SECOND',
  SECONDS: 'SECOND',
  SECS: 'SECOND',
};

for (const name of ['extract', 'date_part', 'datepart']) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 2,
    maxArgs: 2,
    bind: (raw, ctx) => {
      const fieldText = String(constantArg(name, raw[0]!));
      const field = EXTRACT_FIELDS[fieldText.toUpperCase()];
      const src = raw[1]!;
      const sql =
        name === 'date_part'
          ? `date_part(${fieldText}, ${src.sql})`
          : `${name}(${fieldText} FROM ${src.sql})`;
      if (src.dataType.kind === 'interval') {
        const ifn: Record<string, (i: Interval) => unknown> = {
          YEAR: (i) => Math.trunc(i.months / 12),
          MONTH: (i) => i.months % 12,
          DAY: (i) => i.days,
          HOUR: (i) => Math.trunc(i.micros / MICROS_PER_HOUR),
          MINUTE: (i) => Math.trunc((i.micros % MICROS_PER_HOUR) / MICROS_PER_MINUTE),
          SECOND: (i) => new Decimal(BigInt(i.micros % MICROS_PER_MINUTE), 6),
        };
        const f = field ? ifn[field] : undefined;
        if (!f)
          throw new AnalysisError('INVALID_EXTRACT_FIELD', `Cannot extract ${fieldText} from ${src.sql}.`);
        const rt: DataType =
          field === 'SECOND'
            ? decimalType(8, 6)
            : field === 'DAY' || field === 'YEAR' || field === 'MONTH'
              ? int
              : T.long;
        return makeCall(name, [src], rt, { fn: f }, { sql });
      }
      if (!field)
        throw new AnalysisError('INVALID_EXTRACT_FIELD', `Cannot extract ${fieldText} from ${src.sql}.`);
      const t = coerceArg(name, [src], 0, ts, ctx);
      const fns: Record<string, (x: number) => unknown> = {
        YEAR: (x) => timestampFields(x).year,
        YEAROFWEEK: (x) => isoWeekYear(floorDiv(x, MICROS_PER_DAY)).year,
        QUARTER: (x) => Math.floor((timestampFields(x).month - 1) / 3) + 1,
        MONTH: (x) => timestampFields(x).month,
        WEEK: (x) => isoWeekYear(floorDiv(x, MICROS_PER_DAY)).week,
        DAY: (x) => timestampFields(x).day,
        DAYOFWEEK: (x) => dayOfWeek(floorDiv(x, MICROS_PER_DAY)),
        DOW_ISO: (x) => ((dayOfWeek(floorDiv(x, MICROS_PER_DAY)) + 5) % 7) + 1,
        DOY: (x) => {
          const d = floorDiv(x, MICROS_PER_DAY);
          return d - daysFromCivil(civilFromDays(d).year, 1, 1) + 1;
        },
        HOUR: (x) => timestampFields(x).hour,
        MINUTE: (x) => timestampFields(x).minute,
        SECOND: (x) => {
          const f = timestampFields(x);
          return new Decimal(BigInt(f.second * MICROS_PER_SECOND + f.micros), 6);
        },
      };
      if (src.dataType.kind === 'date' && ['HOUR', 'MINUTE', 'SECOND'].includes(field)) {
        throw typeMismatch(sql, `Cannot extract ${fieldText} from a DATE`, 'INVALID_EXTRACT_FIELD');
      }
      return makeCall(name, [t], field === 'SECOND' ? decimalType(8, 6) : int, { fn: fns[field]! }, { sql });
    },
  });
}

// ---------------- construction ----------------

registerFunction({
  name: 'make_date',
  kind: 'scalar',
  minArgs: 3,
  maxArgs: 3,
  bind: (raw, ctx) => {
    const args = coerceArgs('make_date', raw, [int, int, int], ctx);
    const fn = (y: number, m: number, d: number) => {
      if (!isValidDate(y, m, d)) {
        if (ctx.ansi)
          throw new ExecutionError(
            'DATETIME_FIELD_OUT_OF_BOUNDS',
            `Invalid date: year ${y}, month ${m}, day ${d}. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
          );
        return null;
      }
      return daysFromCivil(y, m, d);
    };
    return makeCall('make_date', args, date, { fn }, { nullable: true });
  },
});

registerFunction({
  name: 'make_timestamp',
  kind: 'scalar',
  minArgs: 6,
  maxArgs: 7,
  bind: (raw, ctx) => {
    const args = coerceArgs('make_timestamp', raw, [int, int, int, int, int, decimalType(16, 6), str], ctx);
    const fn = (y: number, mo: number, d: number, h: number, mi: number, sec: Decimal, tz?: string) => {
      const micros = Number(sec.setScale(6).unscaled);
      const whole = Math.floor(micros / MICROS_PER_SECOND);
      const valid =
        isValidDate(y, mo, d) &&
        h >= 0 &&
        h < 24 &&
        mi >= 0 &&
        mi < 60 &&
        micros >= 0 &&
        (whole < 60 || (whole === 60 && micros % MICROS_PER_SECOND === 0));
      if (!valid) {
        if (ctx.ansi)
          throw new ExecutionError(
            'DATETIME_FIELD_OUT_OF_BOUNDS',
            `Invalid timestamp fields: ${y}-${mo}-${d} ${h}:${mi}:${sec}. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
          );
        return null;
      }
      let t = timestampFromFields(y, mo, d, h, mi, 0, 0) + micros;
      if (tz !== undefined) {
        const off = zoneOffsetMinutes(tz, Math.floor(t / 1000));
        if (off === null) return null;
        t -= off * MICROS_PER_MINUTE;
      }
      return t;
    };
    return makeCall('make_timestamp', args, ts, { fn }, { nullable: true });
  },
});

defineScalar('timestamp_seconds', {
  args: [T.double],
  ret: ts,
  fn: (s: number) => Math.trunc(s * MICROS_PER_SECOND),
});
defineScalar('timestamp_millis', { args: [T.long], ret: ts, fn: (s: number) => s * 1000 });
defineScalar('timestamp_micros', { args: [T.long], ret: ts, fn: (s: number) => s });
defineScalar('unix_seconds', { args: [ts], ret: T.long, fn: (t: number) => floorDiv(t, MICROS_PER_SECOND) });
defineScalar('unix_millis', { args: [ts], ret: T.long, fn: (t: number) => floorDiv(t, 1000) });
defineScalar('unix_micros', { args: [ts], ret: T.long, fn: (t: number) => t });
defineScalar('unix_date', { args: [date], ret: int, fn: (d: number) => d });
defineScalar('date_from_unix_date', { args: [int], ret: date, fn: (d: number) => d });

function shiftZone(toUtc: boolean) {
  return (t: number, tz: string): number | null => {
    const off = zoneOffsetMinutes(tz, Math.floor(t / 1000));
    if (off === null) return null;
    return toUtc ? t - off * MICROS_PER_MINUTE : t + off * MICROS_PER_MINUTE;
  };
}
defineScalar('from_utc_timestamp', { args: [ts, str], ret: ts, nullable: true, fn: shiftZone(false) });
defineScalar('to_utc_timestamp', { args: [ts, str], ret: ts, nullable: true, fn: shiftZone(true) });

const ADD_UNITS: Record<string, (t: number, n: number) => number> = {
  YEAR: (t, n) => addMonthsToTimestamp(t, 12 * n),
  QUARTER: (t, n) => addMonthsToTimestamp(t, 3 * n),
  MONTH: (t, n) => addMonthsToTimestamp(t, n),
  WEEK: (t, n) => t + 7 * n * MICROS_PER_DAY,
  DAY: (t, n) => t + n * MICROS_PER_DAY,
  DAYOFYEAR: (t, n) => t + n * MICROS_PER_DAY,
  HOUR: (t, n) => t + n * MICROS_PER_HOUR,
  MINUTE: (t, n) => t + n * MICROS_PER_MINUTE,
  SECOND: (t, n) => t + n * MICROS_PER_SECOND,
  MILLISECOND: (t, n) => t + n * 1000,
  MICROSECOND: (t, n) => t + n,
};

registerFunction({
  name: 'timestampadd',
  kind: 'scalar',
  minArgs: 3,
  maxArgs: 3,
  bind: (raw, ctx) => {
    const unit = String(constantArg('timestampadd', raw[0]!)).toUpperCase();
    const f = ADD_UNITS[unit];
    if (!f)
      throw new AnalysisError(
        'INVALID_PARAMETER_VALUE.DATETIME_UNIT',
        `The value of parameter(s) \`unit\` in \`timestampadd\` is invalid: expects one of the units without quotes YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, but got the string literal '${unit}'.`,
      );
    const [n, t] = coerceArgs('timestampadd', raw.slice(1), [T.long, ts], ctx);
    return makeCall(
      'timestampadd',
      [n!, t!],
      ts,
      { fn: (k: number, x: number) => f(x, k) },
      { sql: `timestampadd(${unit}, ${raw[1]!.sql}, ${raw[2]!.sql})` },
    );
  },
});

registerFunction({
  name: 'timestampdiff',
  kind: 'scalar',
  minArgs: 3,
  maxArgs: 3,
  bind: (raw, ctx) => {
    const unit = String(constantArg('timestampdiff', raw[0]!)).toUpperCase();
    const [a, b] = coerceArgs('timestampdiff', raw.slice(1), [ts, ts], ctx);
    const per: Record<string, number> = {
      WEEK: 7 * MICROS_PER_DAY,
      DAY: MICROS_PER_DAY,
      HOUR: MICROS_PER_HOUR,
      MINUTE: MICROS_PER_MINUTE,
      SECOND: MICROS_PER_SECOND,
      MILLISECOND: 1000,
      MICROSECOND: 1,
    };
    const months: Record<string, number> = { YEAR: 12, QUARTER: 3, MONTH: 1 };
    let fn: (x: number, y: number) => number;
    if (per[unit]) fn = (x, y) => Math.trunc((y - x) / per[unit]!);
    else if (months[unit]) fn = (x, y) => Math.trunc(Math.trunc(monthsBetween(y, x, false)) / months[unit]!);
    else
      throw new AnalysisError(
        'INVALID_PARAMETER_VALUE.DATETIME_UNIT',
        `The value of parameter(s) \`unit\` in \`timestampdiff\` is invalid: got '${unit}'.`,
      );
    return makeCall(
      'timestampdiff',
      [a!, b!],
      T.long,
      { fn },
      { sql: `timestampdiff(${unit}, ${raw[1]!.sql}, ${raw[2]!.sql})` },
    );
  },
});

registerFunction({
  name: 'make_interval',
  kind: 'scalar',
  minArgs: 0,
  maxArgs: 7,
  bind: (raw, ctx) => {
    const args = coerceArgs('make_interval', raw, [int, int, int, int, int, int, decimalType(18, 6)], ctx);
    const fn = (y = 0, mo = 0, w = 0, d = 0, h = 0, mi = 0, s: Decimal | number = 0) => {
      const secMicros = typeof s === 'number' ? s * MICROS_PER_SECOND : Number(s.setScale(6).unscaled);
      return new Interval(y * 12 + mo, w * 7 + d, h * MICROS_PER_HOUR + mi * MICROS_PER_MINUTE + secMicros);
    };
    return makeCall('make_interval', args, T.interval, { fn });
  },
});

// ---------------- streaming windows ----------------

function durationMicros(fnName: string, e: BoundExpr, what: string): number {
  const v = constantArg(fnName, e);
  let micros: number;
  try {
    const i = v instanceof Interval ? v : parseIntervalString(String(v));
    micros = intervalToMicros(i);
  } catch (err) {
    throw new AnalysisError(
      'DATATYPE_MISMATCH.INVALID_WINDOW_DURATION',
      `Cannot resolve "${fnName}" due to data type mismatch: The ${what} ${castToString(v, e.dataType)} is not a valid interval: ${(err as Error).message}.`,
    );
  }
  return micros;
}

export const WINDOW_TYPE = structType([
  { name: 'start', dataType: ts, nullable: true },
  { name: 'end', dataType: ts, nullable: true },
]);

registerFunction({
  name: 'window',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 4,
  bind: (raw, ctx) => {
    const time = raw[0]!;
    if (
      time.dataType.kind !== 'timestamp' &&
      time.dataType.kind !== 'string' &&
      time.dataType.kind !== 'date'
    ) {
      throw typeMismatch(
        `window(${time.sql})`,
        `The first parameter requires the "TIMESTAMP" type, however "${time.sql}" has the type "${time.dataType.kind.toUpperCase()}"`,
      );
    }
    const t = coerceArg('window', raw, 0, ts, ctx);
    const size = durationMicros('window', raw[1]!, 'window duration');
    const slide = raw[2] ? durationMicros('window', raw[2], 'slide duration') : size;
    const start = raw[3] ? durationMicros('window', raw[3], 'start time') : 0;
    if (size <= 0)
      throw new AnalysisError(
        'DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE',
        'The window duration must be greater than 0.',
      );
    if (slide <= 0 || slide > size) {
      throw new AnalysisError(
        'DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE',
        'The slide duration must be greater than 0 and less than or equal to the window duration.',
      );
    }
    if (Math.abs(start) >= slide) {
      throw new AnalysisError(
        'DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE',
        'The absolute value of the start time must be less than the slide duration.',
      );
    }
    // Tumbling: the one window. Sliding: the latest window containing the row; the planner expands
    // each row into every window (windowStarts) using `timeWindow`, as Spark's TimeWindowing does.
    const fn =
      slide === size
        ? (x: number) => {
            const s = tumblingWindowStart(x, size, start);
            return [s, s + size];
          }
        : (x: number) => {
            const starts = windowStarts(x, size, slide, start);
            const s = starts[starts.length - 1]!;
            return [s, s + size];
          };
    return makeCall(
      'window',
      [t],
      WINDOW_TYPE,
      { fn },
      {
        sql: 'window',
        timeWindow: { timeColumn: t, sizeMicros: size, slideMicros: slide, startMicros: start },
      },
    );
  },
});

registerFunction({
  name: 'session_window',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (raw, ctx) => {
    const t = coerceArg('session_window', raw, 0, ts, ctx);
    let gap = raw[1]!;
    let fn: (x: number, g: unknown) => unknown;
    const gapMicros = (g: unknown): number => {
      const i = g instanceof Interval ? g : parseIntervalString(String(g));
      return intervalToMicros(i);
    };
    if (gap.kind === 'literal') {
      const micros = durationMicros('session_window', gap, 'gap duration');
      fn = (x: number) => [x, x + micros];
    } else {
      if (gap.dataType.kind !== 'interval' && gap.dataType.kind !== 'string') {
        throw typeMismatch(
          'session_window',
          `The gap duration must be an interval or a string, not ${gap.dataType.kind}`,
        );
      }
      if (gap.dataType.kind === 'string') gap = coerceArg('session_window', [gap], 0, T.interval, ctx);
      fn = (x: number, g: unknown) => {
        const m = gapMicros(g);
        return m <= 0 ? null : [x, x + m];
      };
    }
    return makeCall(
      'session_window',
      [t, gap],
      WINDOW_TYPE,
      { fn },
      {
        sql: 'session_window',
        nullable: true,
        sessionWindow: { timeColumn: t, gap },
      },
    );
  },
});

registerFunction({
  name: 'window_time',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: (raw) => {
    const w = raw[0]!;
    const t = w.dataType;
    if (t.kind !== 'struct' || t.fields.length !== 2 || t.fields[1]!.dataType.kind !== 'timestamp') {
      throw typeMismatch(
        `window_time(${w.sql})`,
        `The first parameter requires a window struct<start: timestamp, end: timestamp>, however "${w.sql}" has the type "${t.kind.toUpperCase()}"`,
      );
    }
    return makeCall(
      'window_time',
      [w],
      ts,
      { fn: (x: unknown[]) => (x[1] === null ? null : (x[1] as number) - 1) },
      { sql: `window_time(${w.sql})` },
    );
  },
});

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
defineScalar('monthname', {
  args: [date],
  ret: str,
  fn: (d: number) => MONTH_NAMES[civilFromDays(d).month - 1]!,
});
defineScalar('dayname', { args: [date], ret: str, fn: (d: number) => DAY_NAMES[dayOfWeek(d) - 1]! });

registerFunction({
  name: 'try_make_timestamp',
  kind: 'scalar',
  minArgs: 6,
  maxArgs: 7,
  bind: (raw, ctx) => {
    const inner = lookupFunction('make_timestamp')!.bind!(raw, {
      ansi: false,
      now: ctx.now,
      bind: (e) => ctx.bind(e),
      bindLambda: (e, p) => ctx.bindLambda(e, p),
    });
    return { ...inner, sql: `try_make_timestamp(${raw.map((a) => a.sql).join(', ')})` };
  },
});
