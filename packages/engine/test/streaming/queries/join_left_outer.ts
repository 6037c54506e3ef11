/**
 * Stream-stream left outer join: an impression without a click comes out with NULLs once the watermark passes it (ad 4 at once: it can never match).
 * Impressions (10-second watermark) and clicks (20-second watermark) of the same ad, a click at most
 * a minute after its impression (the attribution join of Spark's guide); ad 4's impressions never
 * join (a condition on one side only). Rows late for their side's watermark are dropped; each
 * side's state is evicted by the state watermark solved from the time range.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { expr } from '../../../src/dataframe/functions.js';

export const outputMode = 'append';
export const sources = [
  { alias: 'impressions', file: 'impressions.jsonl', schema: 'adid_impr BIGINT, ts_impr TIMESTAMP' },
  { alias: 'ad_clicks', file: 'ad_clicks.jsonl', schema: 'adid_click BIGINT, ts_click TIMESTAMP' },
];

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  const impressions = streams.impressions!.withWatermark('ts_impr', '10 seconds');
  const clicks = streams.ad_clicks!.withWatermark('ts_click', '20 seconds');
  return impressions.join(
    clicks,
    expr(
      'adid_click = adid_impr AND ts_click >= ts_impr AND ts_click <= ts_impr + interval 1 minute AND adid_impr <> 4',
    ),
    'leftOuter',
  );
}
