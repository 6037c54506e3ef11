-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: append
SELECT user, upper(action) AS action, amount * 2 AS doubled, CAST(ts AS STRING) AS ts_text
FROM events
WHERE amount > 0
