import type { Expr, SourceSpan } from '../expr/expression.js';
import type { DataType } from '../types/data-type.js';
import { parseDate, parseTimestamp } from '../types/datetime.js';
import { Decimal, MAX_DECIMAL_PRECISION } from '../types/decimal.js';
import {
  Interval,
  intervalFromUnit,
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  normalizeIntervalUnit,
  parseIntervalString,
} from '../types/interval.js';
import { canonicalLong, LONG_MAX, LONG_MIN } from '../types/long.js';
import { T } from '../types/types.js';
import type { NumberKind, Token } from './lexer.js';
import type { Parser } from './parser.js';

/**
 * Literal construction with Spark's typing rules:
 * - `123` int when it fits, else bigint, else decimal(p,0); `123L` bigint, `123S` smallint, `123Y` tinyint
 * - `1.5` decimal(2,1) (precision = max(digits, scale)), `1e3` / `1.5D` double, `1.5F` float, `1.5BD` decimal
 * - `DATE '2024-01-01'`, `TIMESTAMP '2024-01-01 10:00:00'` (read in UTC, Sluice's session zone),
 *   `TIMESTAMP_NTZ` / `TIMESTAMP_LTZ` (both timestamp), `X'0A0B'` binary
 * - `INTERVAL 1 DAY 2 HOURS`, `INTERVAL '1' HOUR`, `INTERVAL '1-2' YEAR TO MONTH`,
 *   `INTERVAL '1 10:20:30.5' DAY TO SECOND`, `INTERVAL '10 minutes'` — all CalendarInterval values.
 */

export function literal(value: unknown, dataType: DataType, span?: SourceSpan): Expr {
  return span ? { type: 'literal', value, dataType, span } : { type: 'literal', value, dataType };
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const RANGE: Record<string, [bigint, bigint, string]> = {
  bigint: [LONG_MIN, LONG_MAX, 'bigint'],
  smallint: [-32768n, 32767n, 'smallint'],
  tinyint: [-128n, 127n, 'tinyint'],
};

/** The literal for a number token (`negative` when a unary minus was folded into it). */
export function numberLiteral(p: Parser, tok: Token, negative: boolean, span: SourceSpan): Expr {
  const digits = tok.value;
  const kind = tok.numberKind as NumberKind;
  const signed = negative ? `-${digits}` : digits;
  switch (kind) {
    case 'int': {
      const big = BigInt(signed);
      if (big >= BigInt(INT_MIN) && big <= BigInt(INT_MAX)) return literal(Number(big), T.int, span);
      if (big >= LONG_MIN && big <= LONG_MAX) return literal(canonicalLong(big), T.long, span);
      const d = new Decimal(big, 0);
      if (d.precision > MAX_DECIMAL_PRECISION) throw outOfRange(p, tok, signed, 'decimal');
      return literal(d, { kind: 'decimal', precision: d.precision, scale: 0 }, span);
    }
    case 'bigint':
    case 'smallint':
    case 'tinyint': {
      const big = BigInt(signed);
      const [min, max, name] = RANGE[kind]!;
      if (big < min || big > max) {
        throw p.errorWith(
          'INVALID_NUMERIC_LITERAL_RANGE',
          `Numeric literal ${signed} is outside the valid range for ${name} with minimum value of ${min} and maximum value of ${max}. Please adjust the value accordingly.`,
          tok,
        );
      }
      const t = kind === 'bigint' ? T.long : kind === 'smallint' ? T.short : T.byte;
      return literal(kind === 'bigint' ? canonicalLong(big) : Number(big), t, span);
    }
    case 'exponent':
    case 'double': {
      const v = Number(signed);
      if (!Number.isFinite(v)) throw outOfRange(p, tok, signed, 'double');
      return literal(v, T.double, span);
    }
    case 'float': {
      const v = Math.fround(Number(signed));
      if (!Number.isFinite(v)) throw outOfRange(p, tok, signed, 'float');
      return literal(v, T.float, span);
    }
    case 'decimal':
    case 'bigdecimal': {
      const d = Decimal.parse(signed);
      if (!d) throw p.error(tok);
      const precision = Math.max(d.precision, d.scale);
      if (precision > MAX_DECIMAL_PRECISION) throw outOfRange(p, tok, signed, 'decimal');
      return literal(d, { kind: 'decimal', precision, scale: d.scale }, span);
    }
  }
}

function outOfRange(p: Parser, tok: Token, text: string, type: string) {
  return p.errorWith(
    'INVALID_NUMERIC_LITERAL_RANGE',
    `Numeric literal ${text} is outside the valid range for ${type}.`,
    tok,
  );
}

/** `DATE '…'`, `TIMESTAMP '…'`, `TIMESTAMP_NTZ '…'`, `TIMESTAMP_LTZ '…'`, `X'…'`. */
export function typedLiteral(
  p: Parser,
  typeTok: Token,
  value: string,
  valueTok: Token,
  span: SourceSpan,
): Expr {
  const invalid = () =>
    p.errorWith(
      'INVALID_TYPED_LITERAL',
      `The value of the typed literal "${typeTok.upper}" is invalid: '${value}'.`,
      valueTok,
    );
  switch (typeTok.upper) {
    case 'DATE': {
      const d = parseDate(value);
      if (d === null) throw invalid();
      return literal(d, T.date, span);
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_NTZ': {
      const ts = parseTimestamp(value);
      if (ts === null) throw invalid();
      return literal(ts, T.timestamp, span);
    }
    case 'X': {
      const hex = value.length % 2 === 1 ? `0${value}` : value;
      if (!/^[0-9a-fA-F]*$/.test(hex)) throw invalid();
      const bytes = new Uint8Array(hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
      return literal(bytes, T.binary, span);
    }
    case 'INTERVAL': {
      try {
        return literal(parseIntervalString(value), T.interval, span);
      } catch {
        throw p.errorWith(
          'INVALID_TYPED_LITERAL',
          `The value of the typed literal "INTERVAL" is invalid: '${value}'.`,
          valueTok,
        );
      }
    }
    default:
      throw p.errorWith(
        'UNSUPPORTED_TYPED_LITERAL',
        `Literals of the type "${typeTok.upper}" are not supported. Supported types are "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP", "INTERVAL", "X".`,
        typeTok,
      );
  }
}

/** Units allowed in `INTERVAL <value> <unit> ...` (Spark's unitInMultiUnits). */
const MULTI_UNITS = new Set([
  'NANOSECOND',
  'NANOSECONDS',
  'MICROSECOND',
  'MICROSECONDS',
  'MILLISECOND',
  'MILLISECONDS',
  'SECOND',
  'SECONDS',
  'MINUTE',
  'MINUTES',
  'HOUR',
  'HOURS',
  'DAY',
  'DAYS',
  'WEEK',
  'WEEKS',
  'MONTH',
  'MONTHS',
  'YEAR',
  'YEARS',
]);
/** Units allowed in `INTERVAL '…' <from> TO <to>` (Spark's unitInUnitToUnit). */
const TO_UNITS = new Set(['SECOND', 'MINUTE', 'HOUR', 'DAY', 'MONTH', 'YEAR']);

/** True when the token after INTERVAL starts an interval value (so `interval` is not a column name). */
export function startsIntervalValue(p: Parser): boolean {
  const t = p.peek(1);
  if (t.kind === 'string') return true;
  if (t.kind === 'number') return t.numberKind === 'int' || t.numberKind === 'decimal';
  if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
    const u = p.peek(2);
    return (
      u.kind === 'string' || (u.kind === 'number' && (u.numberKind === 'int' || u.numberKind === 'decimal'))
    );
  }
  return false;
}

function isIntervalValue(t: Token): boolean {
  return (
    t.kind === 'string' || (t.kind === 'number' && (t.numberKind === 'int' || t.numberKind === 'decimal'))
  );
}

/** Is the cursor at `[+|-] value unit` (another pair of a multi-unit interval)? */
function atUnitPair(p: Parser): boolean {
  let k = 0;
  if (p.isOp('-') || p.isOp('+')) k = 1;
  return isIntervalValue(p.peek(k)) && p.isAnyWord(MULTI_UNITS, k + 1);
}

/** Parses after the INTERVAL keyword (current token = the first value or its sign). */
export function intervalLiteral(p: Parser, start: Token): Expr {
  // INTERVAL 'text' — the whole interval in one string.
  if (p.peek().kind === 'string' && !p.isAnyWord(MULTI_UNITS, 1)) {
    const v = p.next();
    try {
      return literal(parseIntervalString(v.value), T.interval, p.span(start));
    } catch {
      throw p.errorWith(
        'INVALID_TYPED_LITERAL',
        `The value of the typed literal "INTERVAL" is invalid: '${v.value}'.`,
        v,
      );
    }
  }
  let result = Interval.ZERO;
  let first = true;
  do {
    const valueStart = p.peek();
    const negative = (p.isOp('-') || p.isOp('+')) && p.next().value === '-';
    const v = p.next();
    if (!isIntervalValue(v)) throw p.error(v);
    const unitTok = p.next();
    if (unitTok.kind !== 'word' || !MULTI_UNITS.has(unitTok.upper)) throw p.error(unitTok);
    if (first && p.isWord('TO')) {
      if (!TO_UNITS.has(unitTok.upper)) throw p.error(unitTok);
      p.next();
      const toTok = p.next();
      if (toTok.kind !== 'word' || !PATTERNS[`${unitTok.upper}-${toTok.upper}`]) throw p.error(toTok);
      const iv = unitToUnit(p, v, negative, unitTok.upper, toTok.upper, valueStart);
      if (atUnitPair(p)) throw p.error();
      return literal(iv, T.interval, p.span(start));
    }
    const text = v.value.trim();
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
      throw p.errorWith(
        'INVALID_INTERVAL_FORMAT.INVALID_VALUE',
        `Error parsing '${v.value}' to interval. The value '${v.value}' is not a valid number.`,
        v,
      );
    }
    result = result.add(unitAmount(p, Number(text) * (negative ? -1 : 1), unitTok));
    first = false;
  } while (atUnitPair(p));
  return literal(result, T.interval, p.span(start));
}

function unitAmount(p: Parser, amount: number, unitTok: Token): Interval {
  const u = unitTok.upper.replace(/S$/, '');
  if (u === 'NANOSECOND') return new Interval(0, 0, Math.trunc(amount / 1000));
  if ((u === 'YEAR' || u === 'MONTH') && !Number.isInteger(amount)) {
    throw p.errorWith(
      'INVALID_INTERVAL_FORMAT.INVALID_FRACTION',
      `Error parsing interval: the ${u.toLowerCase()} value must be an integer, got ${amount}.`,
      unitTok,
    );
  }
  const canonical = normalizeIntervalUnit(u);
  if (!canonical) throw p.error(unitTok);
  return intervalFromUnit(amount, canonical);
}

/** `'1-2' YEAR TO MONTH`, `'1 10:20:30.5' DAY TO SECOND`, `'10:20' HOUR TO MINUTE`, … */
function unitToUnit(p: Parser, v: Token, negative: boolean, from: string, to: string, at: Token): Interval {
  const text = v.value.trim();
  const bad = (): never => {
    throw p.errorWith(
      'INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING',
      `Interval string does not match ${from.toLowerCase()}-${to.toLowerCase()} format of '${FORMATS[`${from}-${to}`] ?? '?'}' when cast to interval ${from.toLowerCase()} to ${to.toLowerCase()}: ${v.value}.`,
      at,
    );
  };
  const key = `${from}-${to}`;
  const re = PATTERNS[key];
  if (!re) bad();
  const m = re!.exec(text);
  if (!m) return bad();
  const sign = (m[1] === '-' ? -1 : 1) * (negative ? -1 : 1);
  const nums = m.slice(2).map((x) => (x === undefined ? 0 : Number(x)));
  if (from === 'YEAR') {
    const [y = 0, mo = 0] = nums;
    if (mo > 11) bad();
    return new Interval(sign * (y * 12 + mo), 0, 0);
  }
  let days = 0;
  let micros = 0;
  const order = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];
  const units = order.slice(order.indexOf(from), order.indexOf(to) + 1);
  units.forEach((u, i) => {
    const n = nums[i] ?? 0;
    if (u === 'DAY') days = n;
    else if (u === 'HOUR') {
      if (from !== 'HOUR' && n > 23) bad();
      micros += n * MICROS_PER_HOUR;
    } else if (u === 'MINUTE') {
      if (from !== 'MINUTE' && n > 59) bad();
      micros += n * MICROS_PER_MINUTE;
    } else {
      if (from !== 'SECOND' && n >= 60) bad();
      micros += Math.round(n * MICROS_PER_SECOND);
    }
  });
  if (from === 'DAY' && days !== 0) {
    // Spark keeps the day part as days of the CalendarInterval.
    return new Interval(0, sign * days, sign * micros);
  }
  return new Interval(0, 0, sign * (micros + days * MICROS_PER_DAY));
}

const PATTERNS: Record<string, RegExp> = {
  'YEAR-MONTH': /^([+-])?(\d+)-(\d{1,2})$/,
  'DAY-HOUR': /^([+-])?(\d+) (\d{1,2})$/,
  'DAY-MINUTE': /^([+-])?(\d+) (\d{1,2}):(\d{1,2})$/,
  'DAY-SECOND': /^([+-])?(\d+) (\d{1,2}):(\d{1,2}):(\d{1,2}(?:\.\d{1,9})?)$/,
  'HOUR-MINUTE': /^([+-])?(\d+):(\d{1,2})$/,
  'HOUR-SECOND': /^([+-])?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d{1,9})?)$/,
  'MINUTE-SECOND': /^([+-])?(\d+):(\d{1,2}(?:\.\d{1,9})?)$/,
};

const FORMATS: Record<string, string> = {
  'YEAR-MONTH': '[+|-]y-m',
  'DAY-HOUR': '[+|-]d h',
  'DAY-MINUTE': '[+|-]d h:m',
  'DAY-SECOND': '[+|-]d h:m:s.n',
  'HOUR-MINUTE': '[+|-]h:m',
  'HOUR-SECOND': '[+|-]h:m:s.n',
  'MINUTE-SECOND': '[+|-]m:s.n',
};
