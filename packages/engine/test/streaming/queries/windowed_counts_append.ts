/**
 * Tumbling 10-second window counts with a 10-second watermark in Append mode: a window is emitted
 * once, when the watermark passes its end (a no-data batch does it when no input follows); rows
 * of windows already at or below the previous batch's watermark are dropped as late.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { col, count, window } from '../../../src/dataframe/functions.js';

export const outputMode = 'append';
export const sources = [{ alias: 'clicks', file: 'clicks.jsonl', schema: 'user STRING, ts TIMESTAMP' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .clicks!.withWatermark('ts', '10 seconds')
    .groupBy(window(col('ts'), '10 seconds'))
    .agg(count('*').as('n'));
}
