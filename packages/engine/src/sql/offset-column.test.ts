import { describe, expect, it } from 'vitest';
import { parseQuery } from './index.js';
import { queryToSql } from './to-sql.js';

// Spark does not reserve OFFSET as a name: the Kafka source's `offset` column is selected bare.
describe('offset as a column name', () => {
  it('parses `offset` as a column and OFFSET as the clause', async () => {
    const stmt = parseQuery(
      'SELECT offset, partition FROM kafka WHERE offset > 10 ORDER BY offset LIMIT 5 OFFSET 2',
    );
    expect(stmt.kind).toBe('query');
    const sql = queryToSql(stmt as never);
    expect(sql).toMatch(/^SELECT `?offset`?, `?partition`? FROM kafka WHERE .*OFFSET 2$/);
    expect(queryToSql(parseQuery(sql) as never)).toBe(sql);
  });

  it('still ends a relation at OFFSET', async () => {
    const stmt = parseQuery('SELECT a FROM t OFFSET 3') as { offset?: unknown };
    expect(stmt.offset).toBeDefined();
  });
});
