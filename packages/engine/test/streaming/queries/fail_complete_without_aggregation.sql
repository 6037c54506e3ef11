--fail=Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets.
-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: complete
SELECT user FROM events
