import type { StreamingQueryProgress } from '../../lib/sluice-types';

/** One batch's numbers, derived from Spark's progress JSON, as the charts and tables plot them. */
export interface BatchMetrics {
  batchId: number;
  time: number;
  timestamp: string;
  numInputRows: number;
  inputRate: number | null;
  processedRate: number | null;
  batchDuration: number;
  durations: Record<string, number>;
  watermarkGapMs: number | null;
  stateRowsTotal: number | null;
  stateRowsUpdated: number | null;
  stateMemoryBytes: number | null;
  droppedByWatermark: number | null;
  offsetsBehind: number | null;
  /** Records of the batch set aside as dead letters (every stage); null when the query fails instead. */
  deadLetters: number | null;
  latencyMaxMs: number | null;
  latencyAvgMs: number | null;
}

/** The phases of `durationMs` that make up a trigger, in execution order (triggerExecution is their total). */
export const DURATION_PHASES = [
  'latestOffset',
  'getBatch',
  'queryPlanning',
  'addBatch',
  'walCommit',
  'commitOffsets',
];

function parseOffsets(offset: unknown): Record<string, Record<string, number>> | null {
  const value = typeof offset === 'string' ? safeParse(offset) : offset;
  if (!value || typeof value !== 'object') return null;
  return value as Record<string, Record<string, number>>;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Offsets behind latest over every Kafka source: Spark's `maxOffsetsBehindLatest` metric when the
 * source reports it, else the sum over partitions of latestOffset − endOffset.
 */
export function offsetsBehindLatest(progress: StreamingQueryProgress): number | null {
  let total: number | null = null;
  for (const source of progress.sources) {
    const reported = source.metrics?.maxOffsetsBehindLatest;
    if (reported !== undefined && Number.isFinite(Number(reported))) {
      total = (total ?? 0) + Number(reported);
      continue;
    }
    if (!source.description.toLowerCase().includes('kafka')) continue;
    const latest = parseOffsets(source.latestOffset);
    const end = parseOffsets(source.endOffset);
    if (!latest || !end) continue;
    let behind = 0;
    for (const [topic, partitions] of Object.entries(latest)) {
      for (const [partition, offset] of Object.entries(partitions ?? {})) {
        const at = end[topic]?.[partition];
        if (typeof offset === 'number' && typeof at === 'number') behind += Math.max(0, offset - at);
      }
    }
    total = (total ?? 0) + behind;
  }
  return total;
}

function eventTimeMs(progress: StreamingQueryProgress, key: string): number | null {
  const value = progress.eventTime?.[key];
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function sumOf(
  progress: StreamingQueryProgress,
  field: 'numRowsTotal' | 'numRowsUpdated' | 'memoryUsedBytes' | 'numRowsDroppedByWatermark',
) {
  if (progress.stateOperators.length === 0) return null;
  return progress.stateOperators.reduce((sum, op) => sum + (Number(op[field]) || 0), 0);
}

export function batchMetrics(progress: StreamingQueryProgress): BatchMetrics {
  const time = Date.parse(progress.timestamp);
  const watermark = eventTimeMs(progress, 'watermark');
  const max = eventTimeMs(progress, 'max');
  const avg = eventTimeMs(progress, 'avg');
  return {
    batchId: progress.batchId,
    time,
    timestamp: progress.timestamp,
    numInputRows: progress.numInputRows,
    inputRate: progress.inputRowsPerSecond ?? null,
    processedRate: progress.processedRowsPerSecond ?? null,
    batchDuration: progress.batchDuration,
    durations: progress.durationMs ?? {},
    // A watermark at the epoch means none has been computed yet.
    watermarkGapMs: watermark !== null && watermark > 0 ? time - watermark : null,
    stateRowsTotal: sumOf(progress, 'numRowsTotal'),
    stateRowsUpdated: sumOf(progress, 'numRowsUpdated'),
    stateMemoryBytes: sumOf(progress, 'memoryUsedBytes'),
    droppedByWatermark: sumOf(progress, 'numRowsDroppedByWatermark'),
    offsetsBehind: offsetsBehindLatest(progress),
    deadLetters: deadLettersOf(progress),
    latencyMaxMs: max !== null ? time - max : null,
    latencyAvgMs: avg !== null ? time - avg : null,
  };
}

/**
 * The batch's dead letters: the engine reports them, over every stage, as the named observation
 * `observedMetrics.deadLetters.numDeadLetters` when the query dead-letters (absent when it fails on
 * a bad record, or drops it).
 */
export function deadLettersOf(progress: StreamingQueryProgress): number | null {
  const observed = progress.observedMetrics?.deadLetters as { numDeadLetters?: unknown } | undefined;
  const n = Number(observed?.numDeadLetters);
  return observed?.numDeadLetters === undefined || !Number.isFinite(n) ? null : n;
}

/** The p-th percentile (0–100) of the values, nearest-rank. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** Processed below input for the last `n` batches: the query is falling behind. */
export function fallingBehind(history: BatchMetrics[], n = 3): boolean {
  const tail = history.slice(-n);
  return (
    tail.length === n &&
    tail.every(
      (b) =>
        b.inputRate !== null &&
        b.processedRate !== null &&
        b.processedRate < b.inputRate &&
        b.numInputRows > 0,
    )
  );
}

/** Lag that grew over each of the last `n` batches. */
export function lagGrowing(history: BatchMetrics[], n = 3): boolean {
  const tail = history.slice(-(n + 1)).map((b) => b.offsetsBehind);
  if (tail.length < n + 1 || tail.some((v) => v === null)) return false;
  return tail.every((v, i) => i === 0 || (v as number) > (tail[i - 1] as number));
}
