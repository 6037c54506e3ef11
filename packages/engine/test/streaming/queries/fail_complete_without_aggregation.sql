--fail=Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets
-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: complete
SELECT user FROM events
