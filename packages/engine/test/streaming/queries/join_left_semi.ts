/**
 * Stream-stream left semi join: an impression comes out once, at its first click.
 * The attribution join of ../attribution-join.ts.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { attributionJoin } from '../attribution-join.js';

export const outputMode = 'append';
export const sources = [
  { alias: 'impressions', file: 'impressions.jsonl', schema: 'adid_impr BIGINT, ts_impr TIMESTAMP' },
  { alias: 'ad_clicks', file: 'ad_clicks.jsonl', schema: 'adid_click BIGINT, ts_click TIMESTAMP' },
];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return attributionJoin(streams, 'leftSemi');
}
