import type { DataType, Row, StructField, StructType } from '../types/data-type.js';
import { parseDate, parseTimestamp } from '../types/datetime.js';
import { Decimal } from '../types/decimal.js';
import { canonicalLong, outOfLongRange } from '../types/long.js';
import type { ParseMode, RecordOutcome } from './parse-mode.js';

/** Spark's CSV reader options (names as Spark's, values as strings). */
export interface CsvOptions {
  sep: string;
  quote: string;
  escape: string;
  header: boolean;
  nullValue: string;
  comment: string;
  multiLine: boolean;
  ignoreLeadingWhiteSpace: boolean;
  ignoreTrailingWhiteSpace: boolean;
}

export function csvOptions(o: Readonly<Record<string, string>>): CsvOptions {
  const get = (k: string) => o[k] ?? o[Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase()) ?? ''];
  const bool = (k: string, d: boolean) => (get(k) === undefined ? d : get(k)!.toLowerCase() === 'true');
  return {
    sep: unescapeSep(get('sep') ?? get('delimiter') ?? ','),
    quote: get('quote') ?? '"',
    escape: get('escape') ?? '\\',
    header: bool('header', false),
    nullValue: get('nullValue') ?? '',
    comment: get('comment') ?? '',
    multiLine: bool('multiLine', false),
    ignoreLeadingWhiteSpace: bool('ignoreLeadingWhiteSpace', false),
    ignoreTrailingWhiteSpace: bool('ignoreTrailingWhiteSpace', false),
  };
}

function unescapeSep(s: string): string {
  return s === '\\t' ? '\t' : s;
}

/** One parsed record: its tokens (null for an unquoted empty field) and raw text. */
export interface CsvRecord {
  readonly tokens: (string | null)[];
  readonly quoted: boolean[];
  readonly text: string;
}

/**
 * Tokenizes CSV text: quoted fields (with the escape char or a doubled quote inside), separators,
 * and, with `multiLine`, newlines inside quotes. Blank lines and `comment` lines are skipped.
 */
export function tokenizeCsv(text: string, o: CsvOptions): CsvRecord[] {
  const out: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    const tokens: (string | null)[] = [];
    const quoted: boolean[] = [];
    let field = '';
    let inQuotes = false;
    let wasQuoted = false;
    let any = false;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const c = text[i]!;
      if (inQuotes) {
        if (c === o.escape && o.escape !== o.quote && text[i + 1] === o.quote) {
          field += o.quote;
          i += 2;
        } else if (c === o.quote) {
          if (text[i + 1] === o.quote) {
            field += o.quote;
            i += 2;
          } else {
            inQuotes = false;
            i++;
          }
        } else if ((c === '\n' || c === '\r') && !o.multiLine) {
          // Without multiLine a record ends at the line end even inside quotes.
          inQuotes = false;
        } else {
          field += c;
          i++;
        }
        continue;
      }
      if (c === o.quote && field.trim() === '' && !wasQuoted) {
        inQuotes = true;
        wasQuoted = true;
        field = '';
        any = true;
        i++;
      } else if (text.startsWith(o.sep, i)) {
        tokens.push(finish(field, wasQuoted, o));
        quoted.push(wasQuoted);
        field = '';
        wasQuoted = false;
        any = true;
        i += o.sep.length;
      } else if (c === '\n' || c === '\r') {
        endOfRecord = true;
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      } else {
        field += c;
        any = true;
        i++;
      }
    }
    const raw = text.slice(start, i).replace(/\r?\n$/, '');
    if (!any && field === '') continue;
    if (o.comment && raw.startsWith(o.comment)) continue;
    tokens.push(finish(field, wasQuoted, o));
    quoted.push(wasQuoted);
    out.push({ tokens, quoted, text: raw });
  }
  return out;
}

function finish(field: string, wasQuoted: boolean, o: CsvOptions): string | null {
  let f = field;
  if (!wasQuoted) {
    if (o.ignoreLeadingWhiteSpace) f = f.replace(/^\s+/, '');
    if (o.ignoreTrailingWhiteSpace) f = f.replace(/\s+$/, '');
  }
  return f;
}

const INT_RE = /^[+-]?\d+$/;

/** Spark's CSV type inference for one token, widening the type seen so far. */
function inferToken(s: string, prev: DataType): DataType {
  const order = ['null', 'int', 'long', 'double', 'boolean', 'date', 'timestamp', 'string'];
  const rank = (t: DataType) => order.indexOf(t.kind);
  let t: DataType;
  if (INT_RE.test(s)) {
    const n = Number(s);
    t =
      Number.isSafeInteger(n) && n >= -2147483648 && n <= 2147483647
        ? { kind: 'int' }
        : Number.isSafeInteger(n)
          ? { kind: 'long' }
          : { kind: 'double' };
  } else if (
    s.trim() !== '' &&
    !Number.isNaN(Number(s)) &&
    /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())
  )
    t = { kind: 'double' };
  else if (['NaN', 'Infinity', '-Infinity'].includes(s)) t = { kind: 'double' };
  else if (/^(true|false)$/i.test(s)) t = { kind: 'boolean' };
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s) && parseDate(s) !== null) t = { kind: 'date' };
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s) && parseTimestamp(s) !== null)
    t = { kind: 'timestamp' };
  else t = { kind: 'string' };
  if (prev.kind === 'null') return t;
  if (prev.kind === t.kind) return prev;
  const numeric = ['int', 'long', 'double'];
  if (numeric.includes(prev.kind) && numeric.includes(t.kind)) return rank(prev) > rank(t) ? prev : t;
  if ((prev.kind === 'date' && t.kind === 'timestamp') || (prev.kind === 'timestamp' && t.kind === 'date'))
    return { kind: 'timestamp' };
  return { kind: 'string' };
}

/** Infers a schema from records (header names or `_c0…`); without inferSchema every column is string. */
export function inferCsvSchema(
  records: readonly CsvRecord[],
  o: CsvOptions,
  inferTypes: boolean,
): StructType {
  const headerRec = o.header ? records[0] : undefined;
  const data = o.header ? records.slice(1) : records;
  const width = Math.max(headerRec?.tokens.length ?? 0, ...data.slice(0, 1).map((r) => r.tokens.length));
  const names = Array.from({ length: width }, (_, i) => {
    const h = headerRec?.tokens[i];
    return h === undefined || h === null || h === '' || h === o.nullValue ? `_c${i}` : h;
  });
  // Spark de-duplicates header names by appending the column index.
  const lower = names.map((n) => n.toLowerCase());
  const deduped = names.map((n, i) =>
    lower.indexOf(n.toLowerCase()) !== lower.lastIndexOf(n.toLowerCase()) ? `${n}${i}` : n,
  );
  const types: DataType[] = names.map(() => ({ kind: 'null' }) as DataType);
  if (inferTypes)
    for (const r of data)
      for (let i = 0; i < width; i++) {
        const tok = r.tokens[i];
        if (tok === undefined || tok === null || tok === '' || tok === o.nullValue) continue;
        types[i] = inferToken(tok, types[i]!);
      }
  const fields: StructField[] = deduped.map((name, i) => ({
    name,
    dataType: !inferTypes || types[i]!.kind === 'null' ? { kind: 'string' } : types[i]!,
    nullable: true,
  }));
  return { kind: 'struct', fields };
}

/** Converts a token to a value of t; `undefined` when it does not parse (a malformed record). */
export function convertToken(s: string, t: DataType): unknown {
  switch (t.kind) {
    case 'string':
      return s;
    case 'boolean': {
      const l = s.trim().toLowerCase();
      return l === 'true' ? true : l === 'false' ? false : undefined;
    }
    case 'byte':
    case 'short':
    case 'int':
    case 'long': {
      if (!INT_RE.test(s.trim())) return undefined;
      if (t.kind === 'long') {
        // Exact beyond ±2^53 (docs/decisions/0006-exact-longs.md).
        const exact = BigInt(s.trim());
        return outOfLongRange(exact) ? undefined : canonicalLong(exact);
      }
      const n = Number(s.trim());
      const limit =
        t.kind === 'int'
          ? 2147483647
          : t.kind === 'short'
            ? 32767
            : t.kind === 'byte'
              ? 127
              : Number.MAX_SAFE_INTEGER;
      return n > limit || n < -limit - 1 ? undefined : n;
    }
    case 'float':
    case 'double': {
      const x = s.trim();
      if (x === 'NaN') return Number.NaN;
      if (x === 'Infinity' || x === '+Infinity' || x === 'Inf') return Number.POSITIVE_INFINITY;
      if (x === '-Infinity' || x === '-Inf') return Number.NEGATIVE_INFINITY;
      const n = Number(x);
      return x === '' || Number.isNaN(n) ? undefined : t.kind === 'float' ? Math.fround(n) : n;
    }
    case 'decimal': {
      const d = Decimal.parse(s.trim());
      return d === null ? undefined : d.setScale(t.scale);
    }
    case 'date':
      return parseDate(s.trim()) ?? undefined;
    case 'timestamp':
      return parseTimestamp(s.trim()) ?? undefined;
    case 'binary':
      return new Uint8Array(Buffer.from(s, 'utf8'));
    default:
      return undefined;
  }
}

/**
 * Records → rows of `schema` under Spark's parse modes. A record is malformed when it has the wrong
 * number of tokens or a token does not convert; PERMISSIVE keeps it (bad fields null, the raw line
 * in the corrupt-record column when the schema has one), DROPMALFORMED drops it, FAILFAST throws.
 */
export function csvRows(
  records: readonly CsvRecord[],
  schema: StructType,
  o: CsvOptions,
  mode: ParseMode,
  corruptColumn: string,
): Row[] {
  const corruptIdx = schema.fields.findIndex((f) => f.name === corruptColumn && f.dataType.kind === 'string');
  const dataFields = schema.fields.filter((_, i) => i !== corruptIdx);
  const dataIdx = schema.fields.map((_, i) => i).filter((i) => i !== corruptIdx);
  const out: Row[] = [];
  const body = o.header ? records.slice(1) : records;
  for (const r of body) {
    const row: Row = new Array(schema.fields.length).fill(null);
    let bad = r.tokens.length !== dataFields.length;
    dataFields.forEach((f, j) => {
      const tok = r.tokens[j];
      if (tok === undefined || tok === null || (tok === o.nullValue && !r.quoted[j])) return;
      if (tok === '' && f.dataType.kind !== 'string') return;
      const v = convertToken(tok, f.dataType);
      if (v === undefined) bad = true;
      else row[dataIdx[j]!] = v;
    });
    const outcome: RecordOutcome = mode.onRecord(bad, r.text);
    if (outcome === 'drop') continue;
    if (bad && corruptIdx >= 0) row[corruptIdx] = r.text;
    out.push(row);
  }
  return out;
}
