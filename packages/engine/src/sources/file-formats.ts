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

/**
 * Infers the data schema of a file stream's existing files (`spark.sql.streaming.schemaInference`),
 * registered per format by the batch readers so that streaming and batch infer alike. `paths` are the
 * files found under the source path; returns undefined when the format cannot infer.
 */
export type FileSchemaInferrer = (
  paths: readonly string[],
  options: Readonly<Record<string, string>>,
) => StructType;

const inferrers = new Map<string, FileSchemaInferrer>();

export function registerFileSchemaInferrer(format: string, inferrer: FileSchemaInferrer): void {
  inferrers.set(format.toLowerCase(), inferrer);
}

export function getFileSchemaInferrer(format: string): FileSchemaInferrer | undefined {
  return inferrers.get(format.toLowerCase());
}
