import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { col, count, explode, lower, split } from './functions.js';

describe('word count (the canonical Spark example)', () => {
  it('withColumn(explode(split(...))) then await groupBy().count()', async () => {
    const s = Session.builder().create();
    const lines = s.createDataFrame([['the cat'], ['The dog the end']], 'value STRING');
    const words = lines.withColumn('word', explode(split(lower(col('value')), ' '))).drop('value');
    expect(words.columns).toEqual(['word']);
    const counts = words.groupBy('word').agg(count('*').alias('n')).orderBy(col('n').desc(), col('word'));
    expect(await counts.collectValues()).toEqual([
      ['the', 3],
      ['cat', 1],
      ['dog', 1],
      ['end', 1],
    ]);
    expect(
      await lines
        .select(explode(split(col('value'), ' ')).alias('w'))
        .groupBy('w')
        .count()
        .count(),
    ).toBe(5);
  });
});
