-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- outputMode: complete
SELECT count(*) AS events, count(user) AS known_users, sum(amount) AS revenue FROM events
