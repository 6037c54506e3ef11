/**
 * The attribution join of the stream-stream join goldens (queries/join_*.ts): impressions
 * (10-second watermark) and clicks (20-second watermark) of the same ad, a click at most a minute
 * after its impression; ad 4's impressions never join (a condition on one side only).
 */
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { expr } from '../../src/dataframe/functions.js';

export function attributionJoin(streams: Record<string, DataFrame>, how: string): DataFrame {
  const impressions = streams.impressions!.withWatermark('ts_impr', '10 seconds');
  const clicks = streams.ad_clicks!.withWatermark('ts_click', '20 seconds');
  return impressions.join(
    clicks,
    expr(
      'adid_click = adid_impr AND ts_click >= ts_impr AND ts_click <= ts_impr + interval 1 minute AND adid_impr <> 4',
    ),
    how,
  );
}
