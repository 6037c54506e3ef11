/**
 * dropDuplicates(user, ts) with a watermark on ts: keys at or below the watermark are evicted,
 * rows at or below the previous batch's watermark are dropped as late.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';

export const outputMode = 'append';
export const sources = [{ alias: 'clicks', file: 'clicks.jsonl', schema: 'user STRING, ts TIMESTAMP' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams.clicks!.withWatermark('ts', '10 seconds').dropDuplicates(['user', 'ts']);
}
