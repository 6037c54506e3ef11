import { describe, expect, it } from 'vitest';
import { col } from '../dataframe/functions.js';
import { Session } from '../session/session.js';

// Spark's ResolveAliases: an unaliased CAST of a column is named after the column.
describe('automatic column names', () => {
  const session = Session.builder().appName('auto-names').getOrCreate();
  const df = session.createDataFrame(
    [{ key: 'k', value: 'v', s: { b: 1 } }],
    'key STRING, value STRING, s STRUCT<b: INT>',
  );

  it("names CAST(column AS type) after the column, as the seeds' Kafka examples rely on", async () => {
    expect(df.selectExpr('CAST(key AS BINARY)', 'CAST(value AS BINARY)').columns).toEqual(['key', 'value']);
    expect(df.select(col('value').cast('binary')).columns).toEqual(['value']);
  });

  it('keeps the SQL text for casts of anything else', async () => {
    expect(
      df.selectExpr('CAST(1 AS STRING)', 'CAST(s.b AS STRING)', "CAST(concat(key, 'x') AS BINARY)").columns,
    ).toEqual(['CAST(1 AS STRING)', 'CAST(s.b AS STRING)', 'CAST(concat(key, x) AS BINARY)']);
  });

  it('applies to session.sql too', async () => {
    df.createOrReplaceTempView('auto_names');
    expect(session.sql('SELECT CAST(value AS BINARY), CAST(key AS STRING) FROM auto_names').columns).toEqual([
      'value',
      'key',
    ]);
  });
});
