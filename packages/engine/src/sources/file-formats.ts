import { AnalysisError } from '../errors.js';
import type { Row, StructType } from '../types/data-type.js';

/**
 * Reads one file's bytes into rows of `schema` (the data columns only; the file source appends
 * partition columns). Registered per format: the batch readers of `session.read` (io/reader.ts)
 * register json, csv, text and parquet, so streaming and batch reads parse files identically.
 */
export type FileFormatReader = (
  data: Buffer,
  schema: StructType,
  options: Readonly<Record<string, string>>,
  path: string,
) => Row[] | Promise<Row[]>;

const readers = new Map<string, FileFormatReader>();

/** Registers (or replaces) the reader of a file format (`json`, `csv`, `text`, `parquet`, ...). */
export function registerFileFormatReader(format: string, reader: FileFormatReader): void {
  readers.set(format.toLowerCase(), reader);
}

/** The reader of a format, or an AnalysisError. */
export function getFileFormatReader(format: string): FileFormatReader {
  const r = readers.get(format.toLowerCase());
  if (!r) {
    throw new AnalysisError(
      'DATA_SOURCE_NOT_FOUND',
      `Failed to find the data source: ${format}. Known file formats: ${[...readers.keys()].sort().join(', ')}.`,
    );
  }
  return r;
}
