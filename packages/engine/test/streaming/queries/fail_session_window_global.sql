--fail=Global aggregation with session window in streaming query is not supported
-- source: sessions sessions.jsonl user STRING, ts TIMESTAMP, gap STRING
-- outputMode: complete
SELECT session_window, count(*) AS n
FROM sessions
GROUP BY session_window(ts, '10 seconds')
