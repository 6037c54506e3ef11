/** Spark's StateOperatorProgress. */
export interface StateOperatorProgress {
  operatorName: string;
  numRowsTotal: number;
  numRowsUpdated: number;
  allUpdatesTimeMs: number;
  numRowsRemoved: number;
  allRemovalsTimeMs: number;
  commitTimeMs: number;
  memoryUsedBytes: number;
  numRowsDroppedByWatermark: number;
  numShufflePartitions: number;
  numStateStoreInstances: number;
  customMetrics?: Record<string, number>;
}

/** Spark's SourceProgress. Offsets are the parsed offset JSON values. */
export interface SourceProgress {
  description: string;
  startOffset: unknown;
  endOffset: unknown;
  latestOffset: unknown;
  numInputRows: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  /** Beyond Spark: records of this batch that could not become rows and went to the dead-letter topic. */
  numDeadLetters?: number;
  /** Beyond Spark: records of this batch that could not become rows and were dropped (`onError=drop`). */
  numDroppedRecords?: number;
  metrics?: Record<string, string>;
}

/** Spark's SinkProgress (`numOutputRows` -1 = unknown). */
export interface SinkProgress {
  description: string;
  numOutputRows: number;
  metrics?: Record<string, string>;
}

/**
 * Spark's StreamingQueryProgress with the same field names and order. Rates are rounded to one
 * decimal and left out when not finite; empty maps are left out, as Spark's JSON does.
 */
export interface StreamingQueryProgress {
  id: string;
  runId: string;
  name: string | null;
  /** ISO-8601 start of the trigger. */
  timestamp: string;
  batchId: number;
  batchDuration: number;
  numInputRows: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  durationMs?: Record<string, number>;
  eventTime?: Record<string, string>;
  stateOperators: StateOperatorProgress[];
  sources: SourceProgress[];
  sink: SinkProgress;
  observedMetrics?: Record<string, unknown>;
}

/** Spark's `safeDecimalToJValue`: one decimal, HALF_UP; undefined for NaN/Infinity. */
export function rate(v: number): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  return Math.round(v * 10 + Number.EPSILON * Math.sign(v)) / 10;
}

/** A map with sorted keys, or undefined when empty (Spark's `safeMapToJValue`). */
export function sortedMap<T>(m: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!m) return undefined;
  const keys = Object.keys(m).sort();
  if (keys.length === 0) return undefined;
  const out: Record<string, T> = {};
  for (const k of keys) out[k] = m[k]!;
  return out;
}

const DECIMAL_FIELDS = new Set(['inputRowsPerSecond', 'processedRowsPerSecond']);

/**
 * The JSON text Spark prints for a progress (`progress.json`): same keys and order, rates always
 * with one decimal (`0.0`), undefined fields left out.
 */
export function progressJson(p: unknown, indent?: number): string {
  const marker = '\u0000dec:';
  const text = JSON.stringify(
    p,
    (key, value) =>
      DECIMAL_FIELDS.has(key) && typeof value === 'number' ? `${marker}${value.toFixed(1)}` : value,
    indent,
  );
  return text.replace(/"\\u0000dec:(-?[0-9.]+)"/g, '$1');
}

/**
 * Spark's `progress.prettyJson` (json4s/Jackson pretty printer): `"key" : value`, two-space
 * indentation, arrays inline as `[ {...}, {...} ]`, `[ ]` when empty, rates with one decimal.
 */
export function progressPrettyJson(p: unknown): string {
  const print = (key: string | undefined, v: unknown, level: number): string => {
    if (v === null) return 'null';
    if (typeof v === 'number') {
      return key !== undefined && DECIMAL_FIELDS.has(key) ? v.toFixed(1) : JSON.stringify(v);
    }
    if (typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[ ]';
      return `[ ${v.map((x) => print(undefined, x, level)).join(', ')} ]`;
    }
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{ }';
    const pad = '  '.repeat(level + 1);
    const body = entries
      .map(([k, x]) => `${pad}${JSON.stringify(k)} : ${print(k, x, level + 1)}`)
      .join(',\n');
    return `{\n${body}\n${'  '.repeat(level)}}`;
  };
  return print(undefined, p, 0);
}

/** `query.status`: Spark's StreamingQueryStatus. */
export interface StreamingQueryStatus {
  message: string;
  isDataAvailable: boolean;
  isTriggerActive: boolean;
}
