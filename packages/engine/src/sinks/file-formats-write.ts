import { AnalysisError } from '../errors.js';
import { formatTimestampPattern } from '../functions/datetime-format.js';
import { compileToJson, type JsonOptions } from '../functions/json.js';
import { encodeParquet } from '../io/parquet.js';
import { getOption } from '../sources/source.js';
import type { DataType, Row, StructType } from '../types/data-type.js';
import { formatTimestamp } from '../types/datetime.js';
import { formatValue } from '../types/format.js';

/** Encodes rows of `schema` into one file of a format. */
export interface FileFormatWriter {
  /** File name extension, e.g. `.json`, `.csv`, `.snappy.parquet`. */
  readonly extension: string;
  encode(
    rows: readonly Row[],
    schema: StructType,
    options: Readonly<Record<string, string>>,
  ): Uint8Array | Promise<Uint8Array>;
}

const writers = new Map<string, FileFormatWriter>();

/** Registers the writer of a file format for the file sink (the batch writers may register parquet). */
export function registerFileFormatWriter(format: string, writer: FileFormatWriter): void {
  writers.set(format.toLowerCase(), writer);
}

export function getFileFormatWriter(format: string): FileFormatWriter {
  const w = writers.get(format.toLowerCase());
  if (!w) {
    throw new AnalysisError(
      'DATA_SOURCE_NOT_FOUND',
      `Failed to find the data source: ${format}. Known file sink formats: ${[...writers.keys()].sort().join(', ')}.`,
    );
  }
  return w;
}

/** Spark's default JSON/CSV timestamp text: `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC. */
export function isoTimestamp(micros: number): string {
  const base = formatTimestamp(Math.floor(micros / 1000) * 1000); // `yyyy-MM-dd HH:mm:ss[.fff]`
  const [date, time] = base.split(' ');
  const [hms, frac = ''] = (time ?? '00:00:00').split('.');
  return `${date}T${hms}.${(`${frac}000`).slice(0, 3)}Z`;
}

/** Spark's `timestampFormat` and `dateFormat` writer options (names case-insensitive). */
function dateTimeFormats(options: Readonly<Record<string, string>>): JsonOptions {
  const timestampFormat = getOption(options, 'timestampFormat');
  const dateFormat = getOption(options, 'dateFormat');
  return { ...(timestampFormat ? { timestampFormat } : {}), ...(dateFormat ? { dateFormat } : {}) };
}

/**
 * JSON Lines, each row written as `to_json(struct(*))` writes it (Spark's JSON writer and to_json
 * are one generator): null fields left out, doubles as `1.0`, exact longs and decimals, timestamps
 * and dates in the `timestampFormat` / `dateFormat` options' patterns when given.
 */
export const jsonWriter: FileFormatWriter = {
  extension: '.json',
  encode(rows, schema, options) {
    const write = compileToJson(schema, dateTimeFormats(options));
    let out = '';
    for (const r of rows) out += `${write(r)}\n`;
    return Buffer.from(out, 'utf8');
  },
};

function csvCell(v: unknown, t: DataType, sep: string, quote: string, formats: JsonOptions): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (t.kind === 'timestamp')
    s = formats.timestampFormat
      ? formatTimestampPattern(v as number, formats.timestampFormat)
      : isoTimestamp(v as number);
  else if (t.kind === 'date' && formats.dateFormat)
    s = formatTimestampPattern((v as number) * 86_400_000_000, formats.dateFormat);
  else s = formatValue(v, t, '');
  if (s === '' || s.includes(sep) || s.includes(quote) || s.includes('\n') || s.includes('\r')) {
    return quote + s.split(quote).join(`\\${quote}`) + quote;
  }
  return s;
}

/** CSV with Spark's `header`, `sep`, `quote`, `timestampFormat` and `dateFormat` options. */
export const csvWriter: FileFormatWriter = {
  extension: '.csv',
  encode(rows, schema, options) {
    const sep = options.sep ?? options.delimiter ?? ',';
    const quote = options.quote ?? '"';
    const formats = dateTimeFormats(options);
    let out = '';
    if ((options.header ?? 'false').toLowerCase() === 'true') {
      out += `${schema.fields.map((f) => f.name).join(sep)}\n`;
    }
    for (const r of rows) {
      out += `${schema.fields.map((f, i) => csvCell(r[i], f.dataType, sep, quote, formats)).join(sep)}\n`;
    }
    return Buffer.from(out, 'utf8');
  },
};

/** `text`: a single string column, one line per row. */
export const textWriter: FileFormatWriter = {
  extension: '.txt',
  encode(rows, schema) {
    if (schema.fields.length !== 1 || schema.fields[0]!.dataType.kind !== 'string') {
      throw new AnalysisError(
        'UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE',
        'Text data source supports only a single column of string type.',
      );
    }
    return Buffer.from(rows.map((r) => `${r[0] ?? ''}\n`).join(''), 'utf8');
  },
};

registerFileFormatWriter('json', jsonWriter);
registerFileFormatWriter('csv', csvWriter);
registerFileFormatWriter('text', textWriter);
registerFileFormatWriter('parquet', {
  extension: '.parquet',
  encode: (rows, schema) => encodeParquet(rows, schema),
});
