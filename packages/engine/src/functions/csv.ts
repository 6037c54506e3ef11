/** CSV functions: from_csv, to_csv, schema_of_csv (one record per value, Spark's CSV option names). */
import { AnalysisError, ExecutionError } from '../errors.js';
import type { BoundExpr } from '../expr/bound.js';
import { makeCast } from '../expr/cast.js';
import type { DataType } from '../types/data-type.js';
import { castToString } from '../types/format.js';
import { sqlTypeName, structType, T } from '../types/types.js';
import { formatTimestampPattern, parseTimestampPattern } from './datetime-format.js';
import { parseJsonSchema } from './json.js';
import { coerceArgs, constantArg, makeCall, registerFunction, typeMismatch } from './registry.js';

export interface CsvOptions {
  sep: string;
  quote: string;
  escape: string;
  nullValue: string;
  mode: 'PERMISSIVE' | 'FAILFAST';
  timestampFormat?: string;
  dateFormat?: string;
}

function csvOptions(fnName: string, e: BoundExpr | undefined): CsvOptions {
  const o: CsvOptions = { sep: ',', quote: '"', escape: '\\', nullValue: '', mode: 'PERMISSIVE' };
  if (!e) return o;
  const v = constantArg(fnName, e);
  if (!(v instanceof Map))
    throw new AnalysisError('INVALID_OPTIONS.NON_MAP_FUNCTION', 'Must use the `map()` function for options.');
  for (const [k, x] of v as Map<unknown, unknown>) {
    const key = String(k).toLowerCase();
    const val = String(x);
    if (key === 'sep' || key === 'delimiter') o.sep = val === '\\t' ? '\t' : val;
    else if (key === 'quote') o.quote = val;
    else if (key === 'escape') o.escape = val;
    else if (key === 'nullvalue') o.nullValue = val;
    else if (key === 'mode') o.mode = val.toUpperCase() === 'FAILFAST' ? 'FAILFAST' : 'PERMISSIVE';
    else if (key === 'timestampformat') o.timestampFormat = val;
    else if (key === 'dateformat') o.dateFormat = val;
  }
  return o;
}

/** Splits one CSV record into fields (quotes, escaped quotes, separators inside quotes); null for a quoted-field error. */
export function splitCsvRecord(
  line: string,
  o: Pick<CsvOptions, 'sep' | 'quote' | 'escape'>,
): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line.startsWith(o.quote, i) && o.quote !== '') {
      let v = '';
      i += o.quote.length;
      for (;;) {
        if (i >= n) break;
        if (
          line.startsWith(o.escape, i) &&
          o.escape !== o.quote &&
          line.startsWith(o.quote, i + o.escape.length)
        ) {
          v += o.quote;
          i += o.escape.length + o.quote.length;
        } else if (line.startsWith(o.quote + o.quote, i)) {
          v += o.quote;
          i += 2 * o.quote.length;
        } else if (line.startsWith(o.quote, i)) {
          i += o.quote.length;
          break;
        } else v += line[i++];
      }
      while (i < n && !line.startsWith(o.sep, i)) v += line[i++];
      out.push(v);
    } else {
      const j = line.indexOf(o.sep, i);
      const raw = j < 0 ? line.slice(i) : line.slice(i, j);
      out.push(raw);
      i = j < 0 ? n : j;
    }
    if (i >= n) break;
    i += o.sep.length;
    if (i >= n) {
      out.push('');
      break;
    }
  }
  return out;
}

function convertField(text: string | null, t: DataType, o: CsvOptions): { ok: boolean; value: unknown } {
  if (text === null || text === o.nullValue) return { ok: true, value: null };
  if (
    (t.kind === 'timestamp' || t.kind === 'date') &&
    (t.kind === 'timestamp' ? o.timestampFormat : o.dateFormat)
  ) {
    const micros = parseTimestampPattern(text, (t.kind === 'timestamp' ? o.timestampFormat : o.dateFormat)!);
    if (micros === null) return { ok: false, value: null };
    return { ok: true, value: t.kind === 'date' ? Math.floor(micros / 86_400_000_000) : micros };
  }
  if (t.kind === 'string') return { ok: true, value: text };
  const cast = makeCast(T.string, t, false);
  const v = cast ? cast(text.trim()) : text;
  return { ok: v !== null, value: v ?? null };
}

/** Parses one CSV record into a struct of the schema (PERMISSIVE: bad fields null; FAILFAST: raise). */
export function fromCsv(text: string, t: Extract<DataType, { kind: 'struct' }>, o: CsvOptions): unknown[] {
  const parts = splitCsvRecord(text, o);
  return t.fields.map((f, i) => {
    const r = convertField(parts[i] ?? null, f.dataType, o);
    if (!r.ok && o.mode === 'FAILFAST') {
      throw new ExecutionError(
        'MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION',
        `Malformed records are detected in record parsing: ${text}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
      );
    }
    return r.value;
  });
}

registerFunction({
  name: 'from_csv',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 3,
  bind: (raw, ctx) => {
    const [s] = coerceArgs('from_csv', [raw[0]!], [T.string], ctx);
    const schema = constantArg('from_csv', raw[1]!);
    if (typeof schema !== 'string') {
      throw new AnalysisError(
        'INVALID_SCHEMA.NON_STRING_LITERAL',
        `The input schema "${raw[1]!.sql}" must be a string literal.`,
      );
    }
    const t = parseJsonSchema(schema);
    if (t.kind !== 'struct')
      throw new AnalysisError(
        'INVALID_SCHEMA.NON_STRUCT_TYPE',
        `The input schema "${schema}" must be a struct.`,
      );
    const o = csvOptions('from_csv', raw[2]);
    return makeCall(
      'from_csv',
      [s!],
      t,
      { fn: (x: string) => fromCsv(x, t, o) },
      { sql: `from_csv(${s!.sql})`, nullable: true },
    );
  },
});

function csvField(v: unknown, t: DataType, o: CsvOptions): string {
  if (v === null || v === undefined) return o.nullValue;
  let s: string;
  if (t.kind === 'timestamp')
    s = formatTimestampPattern(v as number, o.timestampFormat ?? "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  else if (t.kind === 'date' && o.dateFormat)
    s = formatTimestampPattern((v as number) * 86_400_000_000, o.dateFormat);
  else s = castToString(v, t);
  if (
    s.includes(o.sep) ||
    s.includes(o.quote) ||
    s.includes('\n') ||
    (s.length > 0 && (s[0] === ' ' || s[s.length - 1] === ' '))
  ) {
    return o.quote + s.split(o.quote).join(o.escape + o.quote) + o.quote;
  }
  return s;
}

registerFunction({
  name: 'to_csv',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 2,
  bind: (raw) => {
    const a = raw[0]!;
    const t = a.dataType;
    if (t.kind !== 'struct') {
      throw typeMismatch(
        `to_csv(${a.sql})`,
        `The first parameter requires the "STRUCT" type, however "${a.sql}" has the type "${sqlTypeName(t)}"`,
      );
    }
    const o = csvOptions('to_csv', raw[1]);
    return makeCall('to_csv', [a], T.string, {
      fn: (v: unknown[]) => t.fields.map((f, i) => csvField(v[i], f.dataType, o)).join(o.sep),
    });
  },
});

function inferCsvType(text: string): DataType {
  const s = text.trim();
  if (/^[+-]?\d+$/.test(s)) return Math.abs(Number(s)) <= 2147483647 ? T.int : T.long;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return T.double;
  if (/^(true|false)$/i.test(s)) return T.boolean;
  return T.string;
}

registerFunction({
  name: 'schema_of_csv',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 2,
  bind: (raw) => {
    const text = constantArg('schema_of_csv', raw[0]!);
    const o = csvOptions('schema_of_csv', raw[1]);
    const parts = splitCsvRecord(String(text), o);
    const t = structType(
      parts.map((p, i) => ({
        name: `_c${i}`,
        dataType: p === null ? T.string : inferCsvType(p),
        nullable: true,
      })),
    );
    return {
      kind: 'literal',
      value: sqlTypeName(t),
      dataType: T.string,
      nullable: false,
      sql: `schema_of_csv(${raw[0]!.sql})`,
    };
  },
});
