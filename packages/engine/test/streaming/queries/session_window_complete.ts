/**
 * Session windows (10-second gap) per user in Complete mode (no watermark): every batch emits every
 * session so far, sessions merged across batches. The golden file is Apache Spark 4.0.1's output
 * for the same inputs (test/streaming/pyspark/session_windows.py).
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { col, count, session_window } from '../../../src/dataframe/functions.js';

export const outputMode = 'complete';
export const sources = [
  { alias: 'sessions', file: 'sessions.jsonl', schema: 'user STRING, ts TIMESTAMP, gap STRING' },
];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .sessions!.groupBy(session_window(col('ts'), '10 seconds'), col('user'))
    .agg(count('*').as('n'));
}
