/**
 * The same windowed counts in Update mode: every changed window is emitted each batch; windows
 * at or below the watermark are evicted from state (late rows for them are dropped).
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { col, count, window } from '../../../src/dataframe/functions.js';

export const outputMode = 'update';
export const sources = [{ alias: 'clicks', file: 'clicks.jsonl', schema: 'user STRING, ts TIMESTAMP' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .clicks!.withWatermark('ts', '10 seconds')
    .groupBy(window(col('ts'), '10 seconds'), col('user'))
    .agg(count('*').as('n'));
}
