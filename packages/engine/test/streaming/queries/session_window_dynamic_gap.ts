/**
 * Session windows whose gap is a per-row expression (the `gap` column; '0 seconds' gives no
 * session, the row is dropped), Append mode with a 10-second watermark. The golden file is Apache
 * Spark 4.0.1's output for the same inputs (test/streaming/pyspark/session_windows.py).
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { col, count, session_window } from '../../../src/dataframe/functions.js';

export const outputMode = 'append';
export const sources = [
  { alias: 'sessions', file: 'sessions.jsonl', schema: 'user STRING, ts TIMESTAMP, gap STRING' },
];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .sessions!.withWatermark('ts', '10 seconds')
    .groupBy(col('user'), session_window(col('ts'), col('gap')))
    .agg(count('*').as('n'));
}
