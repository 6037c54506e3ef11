--fail=Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode
-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: append
SELECT user, amount FROM events ORDER BY amount
