-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: complete
-- ordered
SELECT window(ts, '2 minutes', '1 minute') AS w, count(*) AS n
FROM events
WHERE ts IS NOT NULL
GROUP BY window(ts, '2 minutes', '1 minute')
ORDER BY w.start
LIMIT 4
