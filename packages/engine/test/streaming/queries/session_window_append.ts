/**
 * Session windows (10-second gap) per user in Append mode with a 10-second watermark: sessions
 * grow across batches (a@10:00:00 + a@10:00:05 in batch 0, a@10:00:12 in batch 1), an event
 * bridging into the next session merges them (b@10:00:20 reaches b's session starting at
 * 10:00:30), a session is emitted once the watermark passes its end, late rows are dropped.
 * The golden file is Apache Spark 4.0.1's output for the same inputs
 * (test/streaming/pyspark/session_windows.py).
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { col, count, max, session_window } from '../../../src/dataframe/functions.js';

export const outputMode = 'append';
export const sources = [
  { alias: 'sessions', file: 'sessions.jsonl', schema: 'user STRING, ts TIMESTAMP, gap STRING' },
];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .sessions!.withWatermark('ts', '10 seconds')
    .groupBy(session_window(col('ts'), '10 seconds'), col('user'))
    .agg(count('*').as('n'), max('ts').as('last'));
}
