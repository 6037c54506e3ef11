-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- source: refunds refunds.jsonl user STRING, amount DOUBLE
-- outputMode: update
SELECT user, sum(amount) AS net
FROM (SELECT user, amount FROM events WHERE action = 'buy' UNION ALL SELECT user, amount FROM refunds) t
GROUP BY user
