-- source: events events.jsonl user STRING, action STRING, amount DOUBLE, ts TIMESTAMP
-- static: users users.jsonl user STRING, country STRING
-- outputMode: complete
-- ordered
SELECT coalesce(u.country, '??') AS country, sum(e.amount) AS revenue, count(*) AS n
FROM events e LEFT JOIN users u ON e.user = u.user
GROUP BY coalesce(u.country, '??')
ORDER BY revenue DESC NULLS LAST, country
