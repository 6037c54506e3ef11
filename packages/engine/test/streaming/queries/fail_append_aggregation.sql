--fail=Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets.
-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: append
SELECT user, count(*) AS n FROM events GROUP BY user
