-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- static: users users.jsonl user STRING, country STRING
-- outputMode: append
SELECT e.user, u.country, e.amount
FROM events e JOIN users u ON e.user = u.user
WHERE e.action = 'buy'
