-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: update
SELECT action, count(*) AS n, max(amount) AS max_amount, avg(amount) AS avg_amount, min(user) AS first_user
FROM events
GROUP BY action
HAVING count(*) >= 1
