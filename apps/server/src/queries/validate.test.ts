import { describe, expect, it } from 'vitest';
import type { QuerySpec } from './schemas.js';
import { validateSpec } from './validate.js';

const ctx = { dataDir: '/tmp/sluice-validate', bootstrap: ['127.0.0.1:9'] };

function spec(overrides: Partial<QuerySpec> = {}): QuerySpec {
  return {
    name: 'wc',
    sources: { lines: { format: 'memory', schema: 'line STRING' } },
    sql: "SELECT word, count(*) AS n FROM lines LATERAL VIEW explode(split(line, ' ')) t AS word GROUP BY word",
    sink: { format: 'memory' },
    outputMode: 'complete',
    ...overrides,
  };
}

describe('validateSpec', () => {
  it('reports the output schema, plan, allowed output modes and source columns of a good spec', () => {
    const result = validateSpec(spec(), ctx);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.schema).toEqual([
      { name: 'word', type: 'string', nullable: false },
      { name: 'n', type: 'bigint', nullable: false },
    ]);
    expect(result.outputModes).toEqual(['update', 'complete']);
    expect(result.sources).toEqual({ lines: [{ name: 'line', type: 'string' }] });
    expect(result.plan).toContain('Physical Plan');
  });

  it('gives parse errors with line and column', () => {
    const result = validateSpec(spec({ sql: 'SELECT line\nFROM lines WHERE' }), ctx);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ errorClass: 'PARSE_SYNTAX_ERROR', field: '/sql', line: 2 });
    expect(result.errors[0]?.column).toBeGreaterThan(0);
  });

  it('gives analysis errors with their class and position', () => {
    const result = validateSpec(spec({ sql: 'SELECT nope FROM lines', outputMode: 'append' }), ctx);
    expect(result.errors[0]).toMatchObject({
      errorClass: expect.stringContaining('UNRESOLVED_COLUMN'),
      line: 1,
      column: 8,
    });
  });

  it('refuses an output mode the query shape does not allow', () => {
    const result = validateSpec(spec({ outputMode: 'append' }), ctx);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ field: '/outputMode' });
  });

  it('points at the failing source part', () => {
    const bad = validateSpec(spec({ sources: { lines: { format: 'memory', schema: 'line STRANGE' } } }), ctx);
    expect(bad.errors[0]).toMatchObject({ field: '/sources/lines/schema' });
    const kafka = validateSpec(
      spec({
        sources: { lines: { format: 'kafka', options: {} } },
        sql: 'SELECT value FROM lines',
        outputMode: 'append',
      }),
      ctx,
    );
    expect(kafka.errors[0]).toMatchObject({ field: '/sources/lines/options' });
  });

  it('parses Kafka values with the schema and keeps the unused metadata columns', () => {
    const result = validateSpec(
      spec({
        sources: {
          clicks: {
            format: 'kafka',
            options: { subscribe: 'clicks' },
            valueFormat: 'json',
            schema: 'user STRING, topic STRING',
          },
        },
        sql: 'SELECT * FROM clicks',
        outputMode: 'append',
      }),
      ctx,
    );
    expect(result.errors).toEqual([]);
    expect(result.sources.clicks?.map((c) => c.name)).toEqual([
      'user',
      'topic',
      'key',
      'value',
      'partition',
      'offset',
      'timestamp',
      'timestampType',
    ]);
  });
});
