/**
 * Hostile-but-valid SQL gets a typed engine error, never a JavaScript stack overflow: a view whose
 * definition reaches itself (Spark's RECURSIVE_VIEW; it used to be accepted and overflow the stack at
 * every later use), and generated queries that nest deeper than the engine's recursive passes walk.
 */
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { Session } from './session.js';

async function errorOf(run: () => unknown): Promise<SluiceError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('did not fail');
}

describe('recursive views', () => {
  it('CREATE OR REPLACE TEMP VIEW v AS SELECT * FROM v is refused, and v keeps its definition', async () => {
    const s = Session.builder().appName('rv').create();
    s.sql('CREATE OR REPLACE TEMP VIEW r2 AS SELECT 1 AS x');
    const e = await errorOf(() => s.sql('CREATE OR REPLACE TEMP VIEW r2 AS SELECT * FROM r2'));
    expect(e.errorClass).toBe('RECURSIVE_VIEW');
    expect(e.message).toContain('Recursive view `r2` detected (cycle: `r2` -> `r2`)');
    expect((await s.sql('SELECT * FROM r2').collect()).map((r) => r.toJSON())).toEqual([{ x: 1 }]);
  });

  it('a cycle through two views is refused with the whole cycle', async () => {
    const s = Session.builder().appName('rv2').create();
    s.sql('CREATE TEMP VIEW a AS SELECT 1 AS x');
    s.sql('CREATE TEMP VIEW b AS SELECT * FROM a');
    const e = await errorOf(() => s.sql('CREATE OR REPLACE TEMP VIEW a AS SELECT * FROM b'));
    expect(e.errorClass).toBe('RECURSIVE_VIEW');
    expect(e.message).toContain('cycle: `a` -> `b` -> `a`');
  });

  it('a view that does not exist yet cannot name itself (TABLE_OR_VIEW_NOT_FOUND, as in Spark)', async () => {
    const s = Session.builder().appName('rv3').create();
    expect(
      (await errorOf(() => s.sql('CREATE OR REPLACE TEMP VIEW r1 AS SELECT * FROM r1'))).errorClass,
    ).toBe('TABLE_OR_VIEW_NOT_FOUND');
  });
});

describe('deeply nested generated queries', () => {
  const s = Session.builder().appName('deep').create();
  it.each([
    [
      'a 5000-term OR chain',
      `SELECT count(*) FROM range(10) WHERE ${Array.from({ length: 5000 }, (_, i) => `id = ${i}`).join(' OR ')}`,
    ],
    ['d[0] repeated 5000 times', `SELECT d${'[0]'.repeat(5000)} FROM (SELECT array(1) AS d)`],
  ])('%s fails with QUERY_TOO_DEEPLY_NESTED', async (_name, sql) => {
    expect((await errorOf(() => s.sql(sql).collect())).errorClass).toBe('QUERY_TOO_DEEPLY_NESTED');
  });

  it('a 300-term OR chain still runs', async () => {
    const sql = `SELECT count(*) AS n FROM range(1000) WHERE ${Array.from({ length: 300 }, (_, i) => `id = ${i * 2}`).join(' OR ')}`;
    expect((await s.sql(sql).collect())[0]?.toJSON()).toEqual({ n: 300 });
  });
});
