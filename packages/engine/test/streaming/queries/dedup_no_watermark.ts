/** dropDuplicates(user) without a watermark: the first row of each user ever, state kept forever. */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';

export const outputMode = 'append';
export const sources = [{ alias: 'clicks', file: 'clicks.jsonl', schema: 'user STRING, ts TIMESTAMP' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams.clicks!.dropDuplicates(['user']);
}
