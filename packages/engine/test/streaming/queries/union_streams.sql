-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- source: refunds refunds.jsonl user STRING, amount DOUBLE
-- outputMode: append
SELECT user, amount, 'sale' AS kind FROM events WHERE action = 'buy'
UNION ALL
SELECT user, amount, 'refund' AS kind FROM refunds
