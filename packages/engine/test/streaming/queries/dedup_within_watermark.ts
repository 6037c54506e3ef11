/**
 * dropDuplicatesWithinWatermark(user): a user's row is a duplicate while an earlier row of the
 * user is remembered; the key expires once the watermark reaches its event time + the delay.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';

export const outputMode = 'append';
export const sources = [{ alias: 'clicks', file: 'clicks.jsonl', schema: 'user STRING, ts TIMESTAMP' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams.clicks!.withWatermark('ts', '10 seconds').dropDuplicatesWithinWatermark(['user']);
}
