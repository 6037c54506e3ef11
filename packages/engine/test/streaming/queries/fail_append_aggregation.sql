--fail=Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark
-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: append
SELECT user, count(*) AS n FROM events GROUP BY user
