--fail=Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.
-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: complete
SELECT action, count(DISTINCT user) AS users FROM events GROUP BY action
