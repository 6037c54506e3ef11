import { Session } from '@sluice/engine';
import { describe, expect, it } from 'vitest';
import { updateKeyColumns } from './update-key.js';

describe('the grouping key an update-mode memory table upserts by', () => {
  const session = Session.builder().create();
  session
    .createDataFrame([['a', 1, new Date('2024-01-01T00:00:00Z')]], 'word STRING, n INT, ts TIMESTAMP')
    .createOrReplaceTempView('t');
  const key = (sql: string) => updateKeyColumns(session.sql(sql));

  it.each([
    ['SELECT word, count(*) AS c FROM t GROUP BY word', ['word']],
    ['SELECT count(*) AS c, word AS w FROM t GROUP BY word', ['w']],
    ['SELECT word, n, sum(n) FROM t GROUP BY word, n', ['word', 'n']],
    ['SELECT word, c FROM (SELECT word, count(*) AS c FROM t GROUP BY word) WHERE c > 1', ['word']],
    [
      "SELECT window(ts, '1 minute') AS window, count(*) AS c FROM t GROUP BY window(ts, '1 minute')",
      ['window'],
    ],
  ])('%s → %j', (sql, expected) => {
    expect(key(sql)).toEqual(expected);
  });

  it.each([
    'SELECT word, n FROM t',
    'SELECT count(*) AS c FROM t',
    'SELECT upper(word) AS w, count(*) AS c FROM t GROUP BY word',
    'SELECT count(*) AS c FROM t GROUP BY word',
  ])('%s has none', (sql) => {
    expect(key(sql)).toBeNull();
  });
});
