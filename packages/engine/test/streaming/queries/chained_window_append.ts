/**
 * Chained window aggregations (Append mode): per-user 10-second counts, then per-minute sums of
 * them over window_time(window). Each window of the second aggregation is emitted once, after
 * every first-level window inside it was.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { col, count, sum, window, window_time } from '../../../src/dataframe/functions.js';

export const outputMode = 'append';
export const sources = [{ alias: 'clicks', file: 'clicks.jsonl', schema: 'user STRING, ts TIMESTAMP' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .clicks!.withWatermark('ts', '10 seconds')
    .groupBy(window(col('ts'), '10 seconds'), col('user'))
    .agg(count('*').as('n'))
    .groupBy(window(window_time(col('window')), '1 minute'))
    .agg(sum('n').as('clicks'), count('*').as('user_windows'));
}
