/**
 * Spark's datetime patterns (Spark 3+, java.time DateTimeFormatter letters): formatting timestamps with
 * `date_format` / `from_unixtime` and parsing with `to_timestamp` / `to_date` / `unix_timestamp`.
 * The session time zone is UTC.
 */
import { AnalysisError } from '../errors.js';
import {
  dayOfWeek,
  daysFromCivil,
  floorDiv,
  isValidDate,
  type TimestampFields,
  timestampFields,
  timestampFromFields,
  zoneOffsetMinutes,
} from '../types/datetime.js';
import { MICROS_PER_DAY, MICROS_PER_MINUTE } from '../types/interval.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Token =
  | { kind: 'field'; letter: string; count: number }
  | { kind: 'literal'; text: string }
  | { kind: 'optional'; tokens: Token[] };

const LETTERS = new Set('GyYuMLdDQqEeFaAhKkHmsSnNVzOXxZWw'.split(''));

function tokenize(pattern: string): Token[] {
  const stack: Token[][] = [[]];
  let i = 0;
  const cur = () => stack[stack.length - 1]!;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      let j = i + 1;
      let text = '';
      if (pattern[j] === "'") {
        cur().push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      while (j < pattern.length) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j++;
      }
      if (j >= pattern.length) throw invalidPattern(pattern);
      cur().push({ kind: 'literal', text });
      i = j + 1;
    } else if (c === '[') {
      stack.push([]);
      i++;
    } else if (c === ']') {
      if (stack.length === 1) throw invalidPattern(pattern);
      const tokens = stack.pop()!;
      cur().push({ kind: 'optional', tokens });
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.has(c)) throw invalidPattern(pattern);
      let j = i;
      while (pattern[j] === c) j++;
      cur().push({ kind: 'field', letter: c, count: j - i });
      i = j;
    } else {
      cur().push({ kind: 'literal', text: c });
      i++;
    }
  }
  if (stack.length !== 1) throw invalidPattern(pattern);
  return stack[0]!;
}

function invalidPattern(pattern: string): AnalysisError {
  return new AnalysisError(
    'INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER',
    `Unrecognized datetime pattern: ${pattern}.`,
  );
}

const cache = new Map<string, Token[]>();
function tokens(pattern: string): Token[] {
  let t = cache.get(pattern);
  if (!t) {
    t = tokenize(pattern);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, t);
  }
  return t;
}

/** Validates a pattern at analysis time (throws INVALID_DATETIME_PATTERN). */
export function checkPattern(pattern: string): void {
  tokens(pattern);
}

function pad(n: number, w: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= w ? s : '0'.repeat(w - s.length) + s);
}

function isoWeekYear(days: number): { week: number; year: number } {
  const dow = ((dayOfWeek(days) + 5) % 7) + 1; // 1 = Monday
  const thursday = days + (4 - dow);
  const { year } = timestampFields(thursday * MICROS_PER_DAY);
  const jan1 = daysFromCivil(year, 1, 1);
  return { week: Math.floor((thursday - jan1) / 7) + 1, year };
}

export { isoWeekYear };

function formatField(letter: string, count: number, ts: number, f: TimestampFields): string {
  const days = floorDiv(ts, MICROS_PER_DAY);
  switch (letter) {
    case 'G':
      return count === 4 ? (f.year > 0 ? 'Anno Domini' : 'Before Christ') : f.year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'u':
    case 'Y': {
      const y = letter === 'Y' ? isoWeekYear(days).year : f.year;
      if (count === 2) return pad(((y % 100) + 100) % 100, 2);
      return pad(y, count);
    }
    case 'M':
    case 'L':
      if (count === 3) return MONTHS[f.month - 1]!.slice(0, 3);
      if (count >= 4) return MONTHS[f.month - 1]!;
      return pad(f.month, count);
    case 'd':
      return pad(f.day, count);
    case 'D': {
      const doy = days - daysFromCivil(f.year, 1, 1) + 1;
      return pad(doy, count);
    }
    case 'Q':
    case 'q': {
      const q = Math.floor((f.month - 1) / 3) + 1;
      if (count === 3) return `Q${q}`;
      if (count >= 4) return `${['1st', '2nd', '3rd', '4th'][q - 1]!} quarter`;
      return pad(q, count);
    }
    case 'E':
    case 'e': {
      const name = DAYS[dayOfWeek(days) - 1]!;
      if (letter === 'e' && count <= 2) return pad(((dayOfWeek(days) + 5) % 7) + 1, count);
      return count >= 4 ? name : name.slice(0, 3);
    }
    case 'F':
      return pad(Math.floor((f.day - 1) / 7) + 1, count);
    case 'w':
      return pad(isoWeekYear(days).week, count);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'h':
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'K':
      return pad(f.hour % 12, count);
    case 'k':
      return pad(f.hour === 0 ? 24 : f.hour, count);
    case 'H':
      return pad(f.hour, count);
    case 'm':
      return pad(f.minute, count);
    case 's':
      return pad(f.second, count);
    case 'S': {
      const frac = `${pad(f.micros, 6)}000`;
      return frac.slice(0, count).padEnd(count, '0');
    }
    case 'n':
      return String(f.micros * 1000);
    case 'A':
      return String(Math.floor((ts - days * MICROS_PER_DAY) / 1000));
    case 'N':
      return String((ts - days * MICROS_PER_DAY) * 1000);
    case 'V':
      return 'UTC';
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'O':
      return 'GMT';
    case 'X':
      return 'Z';
    case 'x':
      return count === 1 ? '+00' : count === 2 || count === 4 ? '+0000' : '+00:00';
    case 'Z':
      return count <= 3 ? '+0000' : count === 4 ? 'GMT' : 'Z';
    default:
      return '';
  }
}

function formatTokens(ts: readonly Token[], micros: number, f: TimestampFields): string {
  let out = '';
  for (const t of ts) {
    if (t.kind === 'literal') out += t.text;
    else if (t.kind === 'optional') out += formatTokens(t.tokens, micros, f);
    else out += formatField(t.letter, t.count, micros, f);
  }
  return out;
}

/** Formats a timestamp (µs, UTC) with a Spark datetime pattern. */
export function formatTimestampPattern(micros: number, pattern: string): string {
  return formatTokens(tokens(pattern), micros, timestampFields(micros));
}

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  doy?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  micros?: number;
  offsetMinutes?: number;
  zone?: string;
}

function fieldRegex(letter: string, count: number): [string, (p: Parsed, text: string) => boolean] {
  const num = (
    w: string,
    set: (p: Parsed, n: number) => void,
  ): [string, (p: Parsed, text: string) => boolean] => [
    `(${w})`,
    (p, t) => {
      set(p, Number(t));
      return true;
    },
  ];
  const fixedOrRange = (n: number) => (n === 1 ? '\\d{1,2}' : `\\d{${n}}`);
  switch (letter) {
    case 'y':
    case 'u':
    case 'Y':
      if (count === 2) return num('\\d{2}', (p, n) => (p.year = 2000 + n));
      return num(count === 1 ? '[+-]?\\d{1,9}' : `[+-]?\\d{${count},9}`, (p, n) => (p.year = n));
    case 'M':
    case 'L':
      if (count >= 3) {
        const names = count === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
        return [
          `(${names.join('|')})`,
          (p, t) => {
            p.month = names.findIndex((m) => m.toLowerCase() === t.toLowerCase()) + 1;
            return p.month > 0;
          },
        ];
      }
      return num(fixedOrRange(count), (p, n) => (p.month = n));
    case 'd':
      return num(fixedOrRange(count), (p, n) => (p.day = n));
    case 'D':
      return num(count === 1 ? '\\d{1,3}' : `\\d{${count},3}`, (p, n) => (p.doy = n));
    case 'H':
    case 'k':
      return num(fixedOrRange(count), (p, n) => (p.hour = letter === 'k' && n === 24 ? 0 : n));
    case 'h':
    case 'K':
      return num(fixedOrRange(count), (p, n) => (p.hour12 = letter === 'h' && n === 12 ? 0 : n));
    case 'm':
      return num(fixedOrRange(count), (p, n) => (p.minute = n));
    case 's':
      return num(fixedOrRange(count), (p, n) => (p.second = n));
    case 'S':
      return [
        `(\\d{${count}})`,
        (p, t) => {
          p.micros = Number(`${t}000000`.slice(0, 6));
          return true;
        },
      ];
    case 'a':
      return [
        '(AM|PM|am|pm)',
        (p, t) => {
          p.pm = t.toUpperCase() === 'PM';
          return true;
        },
      ];
    case 'E':
      return [`(${count >= 4 ? DAYS.join('|') : DAYS.map((d) => d.slice(0, 3)).join('|')})`, () => true];
    case 'G':
      return ['(AD|BC|Anno Domini|Before Christ)', () => true];
    case 'X':
    case 'x':
    case 'Z':
    case 'O':
      return [
        '(Z|[+-]\\d{2}(?::?\\d{2})?(?::?\\d{2})?|GMT(?:[+-]\\d{1,2}(?::?\\d{2})?)?|UTC)',
        (p, t) => {
          const off = zoneOffsetMinutes(t, 0);
          if (off === null) return false;
          p.offsetMinutes = off;
          return true;
        },
      ];
    case 'V':
    case 'z':
      return [
        '([A-Za-z][A-Za-z0-9_/+-]*)',
        (p, t) => {
          p.zone = t;
          return true;
        },
      ];
    default:
      return ['()', () => true];
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

interface CompiledParser {
  re: RegExp;
  setters: ((p: Parsed, text: string) => boolean)[];
}

function buildRegex(ts: readonly Token[], setters: ((p: Parsed, text: string) => boolean)[]): string {
  let out = '';
  for (const t of ts) {
    if (t.kind === 'literal') out += escapeRe(t.text);
    else if (t.kind === 'optional') out += `(?:${buildRegex(t.tokens, setters)})?`;
    else {
      const [re, set] = fieldRegex(t.letter, t.count);
      out += re;
      setters.push(set);
    }
  }
  return out;
}

const parserCache = new Map<string, CompiledParser>();

function parser(pattern: string): CompiledParser {
  let c = parserCache.get(pattern);
  if (!c) {
    const setters: ((p: Parsed, text: string) => boolean)[] = [];
    const src = buildRegex(tokens(pattern), setters);
    let re: RegExp;
    try {
      re = new RegExp(`^${src}$`, 'i');
    } catch {
      // A pattern whose matcher the regex engine refuses (too large, too deeply nested).
      throw invalidPattern(pattern);
    }
    c = { re, setters };
    if (parserCache.size > 500) parserCache.clear();
    parserCache.set(pattern, c);
  }
  return c;
}

/** Parses text with a Spark datetime pattern into µs since the epoch (UTC); null when it does not match. */
export function parseTimestampPattern(text: string, pattern: string): number | null {
  const { re, setters } = parser(pattern);
  const m = re.exec(text);
  if (!m) return null;
  const p: Parsed = {};
  for (let i = 0; i < setters.length; i++) {
    const g = m[i + 1];
    if (g === undefined || g === '') continue;
    if (!setters[i]!(p, g)) return null;
  }
  const year = p.year ?? 1970;
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.doy !== undefined) {
    const d = daysFromCivil(year, 1, 1) + p.doy - 1;
    const f = timestampFields(d * MICROS_PER_DAY);
    if (f.year !== year) return null;
    month = f.month;
    day = f.day;
  }
  if (!isValidDate(year, month, day)) return null;
  let hour = p.hour ?? 0;
  if (p.hour12 !== undefined) hour = p.hour12 + (p.pm ? 12 : 0);
  else if (p.pm !== undefined && p.hour !== undefined && p.hour < 12 && p.pm) hour += 12;
  const minute = p.minute ?? 0;
  const second = p.second ?? 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let ts = timestampFromFields(year, month, day, hour, minute, second, p.micros ?? 0);
  if (p.offsetMinutes !== undefined) ts -= p.offsetMinutes * MICROS_PER_MINUTE;
  else if (p.zone !== undefined) {
    const off = zoneOffsetMinutes(p.zone, Math.floor(ts / 1000));
    if (off === null) return null;
    ts -= off * MICROS_PER_MINUTE;
  }
  return ts;
}
