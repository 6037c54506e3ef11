import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { compileExpr, resolveExpr } from '../expr/index.js';
import { parseExpression } from '../sql/index.js';
import { functionNames, lookupFunction } from './registry.js';
import { UNFUZZABLE_FUNCTIONS } from './testing.js';
import './index.js';

// Every scalar function, called with every combination of a few argument kinds (up to 3 arguments),
// either resolves and evaluates, or fails with a Sluice error (AnalysisError at resolution,
// ExecutionError at run time) — never with a JavaScript TypeError/RangeError from inside the engine.
const ARGS = [
  'NULL',
  '1',
  "'a'",
  '2.5',
  'array(1, 2)',
  "map('k', 1)",
  "named_struct('x', 1)",
  "TIMESTAMP '2020-01-01 00:00:00'",
  "DATE '2020-01-01'",
  'true',
  "X'01'",
  'INTERVAL 1 DAY',
  '-7',
  "''",
];
const SKIP = UNFUZZABLE_FUNCTIONS;

function tryEval(sql: string): string | null {
  let bound: ReturnType<typeof resolveExpr>;
  try {
    bound = resolveExpr(parseExpression(sql), { fields: [] });
  } catch (e) {
    if (e instanceof SluiceError) return null;
    return `resolve ${sql}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`;
  }
  try {
    compileExpr(bound)([]);
  } catch (e) {
    if (e instanceof SluiceError) return null;
    return `eval ${sql}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`;
  }
  return null;
}

describe('robustness of every scalar function', () => {
  it('never throws a non-Sluice error', async () => {
    const failures: string[] = [];
    for (const name of functionNames()) {
      const def = lookupFunction(name)!;
      if (def.kind !== 'scalar' || SKIP.has(name)) continue;
      const counts = [0, 1, 2, 3].filter((n) => n >= def.minArgs && n <= def.maxArgs);
      for (const n of counts) {
        const combos: string[][] = n === 0 ? [[]] : n === 1 ? ARGS.map((a) => [a]) : [];
        if (n === 2) for (const a of ARGS) for (const b of ARGS) combos.push([a, b]);
        if (n === 3)
          for (const a of ARGS)
            for (const b of ARGS.slice(0, 6)) for (const c of ARGS.slice(0, 6)) combos.push([a, b, c]);
        for (const c of combos) {
          const f = tryEval(`${name}(${c.join(', ')})`);
          if (f) failures.push(f);
        }
      }
    }
    expect(failures.slice(0, 30)).toEqual([]);
  });

  it('operators, casts and predicates never throw a non-Sluice error', async () => {
    const failures: string[] = [];
    const ops = ['+', '-', '*', '/', '%', 'div', '=', '<', '>=', '<=>', '!=', 'AND', 'OR', '||', '&', '|'];
    for (const a of ARGS) {
      for (const b of ARGS) {
        for (const op of ops) {
          const f = tryEval(`${a} ${op} ${b}`);
          if (f) failures.push(f);
        }
        for (const t of [
          `${a} IN (${b}, 1)`,
          `${a} BETWEEN ${b} AND ${b}`,
          `${a} LIKE ${b}`,
          `${a} RLIKE ${b}`,
          `coalesce(${a}, ${b})`,
          `CASE WHEN ${a} THEN ${b} END`,
          `${a}[${b}]`,
        ]) {
          const f = tryEval(t);
          if (f) failures.push(f);
        }
      }
      for (const t of [
        'BOOLEAN',
        'TINYINT',
        'INT',
        'BIGINT',
        'DOUBLE',
        'FLOAT',
        'DECIMAL(5,2)',
        'STRING',
        'BINARY',
        'DATE',
        'TIMESTAMP',
        'ARRAY<STRING>',
        'MAP<STRING,INT>',
        'STRUCT<x: STRING>',
        'INTERVAL',
      ]) {
        for (const form of ['CAST', 'TRY_CAST']) {
          const f = tryEval(`${form}(${a} AS ${t})`);
          if (f) failures.push(f);
        }
      }
      for (const t of [`-${a}`, `NOT ${a}`, `~${a}`, `${a} IS NULL`, `${a} IS TRUE`]) {
        const f = tryEval(t);
        if (f) failures.push(f);
      }
      for (const t of [
        `transform(${a}, x -> x + 1)`,
        `filter(${a}, x -> x > 1)`,
        `exists(${a}, x -> x IS NULL)`,
        `aggregate(${a}, 0, (s, x) -> s + x)`,
        `transform_values(${a}, (k, v) -> v)`,
      ]) {
        const f = tryEval(t);
        if (f) failures.push(f);
      }
    }
    expect(failures.slice(0, 30)).toEqual([]);
  });

  it('every aggregate binds or fails cleanly, and its state survives a JSON round trip', async () => {
    const failures: string[] = [];
    for (const name of functionNames()) {
      const def = lookupFunction(name)!;
      if (def.kind !== 'aggregate') continue;
      for (const a of ARGS) {
        const extra =
          name.startsWith('percentile') || name === 'approx_percentile'
            ? ', 0.5'
            : def.minArgs >= 2
              ? `, ${a}`
              : '';
        const sql = `${name}(${a}${extra})`;
        let bound: ReturnType<typeof resolveExpr>;
        try {
          bound = resolveExpr(parseExpression(sql), { fields: [] }, { allowAggregates: true });
        } catch (e) {
          if (!(e instanceof SluiceError)) failures.push(`resolve ${sql}: ${(e as Error).message}`);
          continue;
        }
        if (bound.kind !== 'aggregate') continue;
        try {
          const buf = bound.agg.create();
          buf.update([]);
          buf.update([]);
          const restored = bound.agg.fromState(JSON.parse(JSON.stringify(buf.toState())));
          restored.merge(bound.agg.create());
          restored.result();
        } catch (e) {
          if (!(e instanceof SluiceError))
            failures.push(`eval ${sql}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
        }
      }
    }
    expect(failures.slice(0, 30)).toEqual([]);
  });
});
