/** Two stateful operators: dropDuplicates(user, ts) then a count per user (Update mode). */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { count } from '../../../src/dataframe/functions.js';

export const outputMode = 'update';
export const sources = [{ alias: 'clicks', file: 'clicks.jsonl', schema: 'user STRING, ts TIMESTAMP' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams.clicks!.dropDuplicates(['user', 'ts']).groupBy('user').agg(count('*').as('n'));
}
