-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: complete
SELECT user, count(*) AS n, sum(amount) AS total, max(ts) AS last_seen
FROM events
GROUP BY user
