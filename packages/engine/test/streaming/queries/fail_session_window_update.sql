--fail=This output mode is not supported for session window streaming aggregations
-- source: sessions sessions.jsonl user STRING, ts TIMESTAMP, gap STRING
-- outputMode: update
SELECT user, session_window, count(*) AS n
FROM sessions
GROUP BY user, session_window(ts, '10 seconds')
