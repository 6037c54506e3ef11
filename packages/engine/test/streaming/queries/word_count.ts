/** Word count with the DataFrame API: explode(split(lower(line))) grouped in update mode. */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { col, count, explode, lower, split } from '../../../src/dataframe/functions.js';

export const outputMode = 'update';
export const sources = [{ alias: 'lines', file: 'lines.jsonl', schema: 'line STRING' }];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .lines!.select(explode(split(lower(col('line')), ' ')).as('word'))
    .where(col('word').notEqual(''))
    .groupBy('word')
    .agg(count('*').as('n'));
}
