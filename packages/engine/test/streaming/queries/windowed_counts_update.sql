-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: update
SELECT window.start AS window_start, window.end AS window_end, action, count(*) AS n, sum(amount) AS amount
FROM events
WHERE ts IS NOT NULL
GROUP BY window(ts, '2 minutes'), action
