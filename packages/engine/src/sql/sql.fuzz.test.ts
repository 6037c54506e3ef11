/**
 * Property-based fuzz (fast-check) of the SQL front end, the analyzer and the function library:
 * random expression trees (every scalar function of the registry, operators, CASE, CAST, IN) over a
 * small table with NULLs. Property: every statement either runs or fails with a typed engine error
 * (SluiceError; a ParseError carries a line and column) — never a raw TypeError/RangeError from inside
 * the engine. (Malformed SQL text is fuzzed by sql/fuzz.test.ts.)
 *
 * `npm test` runs SLUICE_FUZZ_ITERATIONS (default 300) cases per property; `npm run fuzz` many more.
 * A failure prints the seed and the shrunk counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, SluiceError } from '../errors.js';
import { functionNames, lookupFunction } from '../functions/registry.js';
import { UNFUZZABLE_FUNCTIONS } from '../functions/testing.js';
import { Session } from '../session/session.js';

const RUNS = Number(process.env.SLUICE_FUZZ_ITERATIONS ?? 300);
const SEED = process.env.SLUICE_FUZZ_SEED ? Number(process.env.SLUICE_FUZZ_SEED) : undefined;

const scalars = functionNames()
  .filter((n) => /^[a-z_][a-z0-9_]*$/.test(n) && !UNFUZZABLE_FUNCTIONS.has(n))
  .map((n) => ({ name: n, def: lookupFunction(n)! }))
  .filter(({ def }) => def.kind === 'scalar');

const session = Session.builder().appName('sql-fuzz').create();
session.sql(
  "CREATE TEMP VIEW t AS SELECT * FROM VALUES (1, 2.5D, 'abc', array(1, 2), TIMESTAMP'2020-01-01 00:00:00'), (NULL, NULL, NULL, NULL, NULL), (-7, 0.0D, '', array(), DATE'1970-01-01') AS t(i, d, s, arr, ts)",
);

const literal = fc.constantFrom(
  'NULL',
  '0',
  '1',
  '-1',
  '2147483647',
  '9223372036854775807',
  '2.5',
  '1e308',
  "'a'",
  "''",
  "'2020-01-01'",
  "'%'",
  'true',
  "X'00ff'",
  "DATE'2020-02-29'",
  "TIMESTAMP'2020-01-01 00:00:00'",
  'INTERVAL 1 DAY',
  'array(1, NULL)',
  "map('k', 1)",
  "named_struct('x', 1)",
);
const column = fc.constantFrom('i', 'd', 's', 'arr', 'ts');
const typeName = fc.constantFrom(
  'INT',
  'BIGINT',
  'DOUBLE',
  'DECIMAL(10,2)',
  'STRING',
  'BOOLEAN',
  'DATE',
  'TIMESTAMP',
  'BINARY',
);
const binaryOp = fc.constantFrom(
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<>',
  '<',
  '>=',
  'AND',
  'OR',
  '||',
  '<=>',
  '&',
  '|',
);

const { expr } = fc.letrec<{ expr: string; node: string }>((tie) => ({
  expr: fc.oneof({ depthSize: 'medium', withCrossShrink: true }, literal, column, tie('node')),
  node: fc.oneof(
    fc
      .record({ f: fc.constantFrom(...scalars), args: fc.array(tie('expr'), { maxLength: 3 }) })
      .map(
        ({ f, args }) =>
          `${f.name}(${args.slice(0, Math.max(0, Math.min(args.length, f.def.maxArgs))).join(', ')})`,
      ),
    fc.tuple(tie('expr'), binaryOp, tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('expr'), typeName).map(([a, t]) => `CAST(${a} AS ${t})`),
    fc
      .tuple(tie('expr'), tie('expr'), tie('expr'))
      .map(([c, a, b]) => `CASE WHEN ${c} THEN ${a} ELSE ${b} END`),
    fc
      .tuple(tie('expr'), fc.array(literal, { minLength: 1, maxLength: 3 }))
      .map(([a, xs]) => `${a} IN (${xs.join(', ')})`),
    tie('expr').map((a) => `NOT ${a}`),
    tie('expr').map((a) => `-${a}`),
  ),
}));

async function outcome(sql: string): Promise<string | null> {
  try {
    await session.sql(sql).collect();
    return null;
  } catch (e) {
    if (e instanceof ParseError && !e.position) return `ParseError without a position: ${e.message}`;
    if (e instanceof SluiceError) return null;
    return `${(e as Error).constructor.name}: ${(e as Error).message}\n${(e as Error).stack?.split('\n').slice(1, 4).join('\n')}`;
  }
}

describe('SQL fuzz', () => {
  it('random expression trees over a table with NULLs run or fail with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        expr,
        fc.constantFrom(
          'SELECT %s AS x FROM t',
          'SELECT count(*) FROM t WHERE %s',
          'SELECT %s AS x FROM t GROUP BY 1',
        ),
        async (e, shape) => {
          const problem = await outcome(shape.replace('%s', e));
          expect(problem).toBeNull();
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
