import { describe, expect, it } from 'vitest';
import { NotImplementedError, ParseError } from '../errors.js';
import type { Query, Statement } from './ast.js';
import { parseExpression, parseQuery, parseSelect, parseStatements, parseTableSchema } from './index.js';
import { tokenize } from './lexer.js';
import { stripSpans } from './test-support.js';
import { exprToSql, queryToSql } from './to-sql.js';

function queriesOf(s: Statement): Query[] {
  if (s.kind === 'query') return [s];
  if (s.kind === 'createView') return [s.query];
  if (s.kind === 'explain') return queriesOf(s.statement);
  return [];
}

/**
 * Property test: mutations of valid statements (tokens dropped, duplicated, swapped, replaced by
 * keywords or punctuation, text truncated, random characters inserted) either parse or fail with a
 * ParseError (or NotImplementedError for valid-but-unsupported Spark syntax) whose position lies
 * inside the text — never any other exception; whatever still parses round-trips through
 * `queryToSql`. Deterministic (seeded).
 */

const SEEDS = [
  'SELECT a, b + 1 AS c, count(DISTINCT d) FILTER (WHERE e > 0) FROM t WHERE x BETWEEN 1 AND 2 GROUP BY a, b HAVING sum(c) > 1 ORDER BY 1 DESC NULLS LAST LIMIT 10',
  'WITH w AS (SELECT * FROM s) SELECT w.a FROM w LEFT JOIN u ON w.id = u.id AND u.ts >= w.ts + INTERVAL 1 HOUR UNION ALL SELECT 1 INTERSECT SELECT 2',
  "SELECT CASE WHEN a IS NULL THEN 'x' ELSE CAST(b AS DECIMAL(10, 2)) END, transform(arr, (x, i) -> x * i), m['k'].f[0] FROM VALUES (1, 'a') AS v(a, b)",
  "SELECT window.start, count(*) FROM events LATERAL VIEW OUTER explode(tags) t AS tag GROUP BY window(ts, '10 minutes', '5 minutes'), tag",
  "CREATE OR REPLACE TEMP VIEW v (a COMMENT 'x') AS SELECT a FROM t WHERE a LIKE 'x%' ESCAPE '!' AND b NOT IN (SELECT c FROM d)",
  "SELECT DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', X'0A', 1L, 2S, 3Y, 1.5BD, 1e3, INTERVAL '1-2' YEAR TO MONTH, -1, 'a' 'b'",
  'EXPLAIN EXTENDED SELECT * FROM (SELECT a FROM t) s JOIN r USING (a) WHERE EXISTS (SELECT 1) AND s.a <=> 1 OR NOT s.b IS DISTINCT FROM 2',
  "SET spark.sql.shuffle.partitions = 4; SHOW TABLES IN db LIKE 'a*'; DESCRIBE TABLE EXTENDED t; SELECT 1",
];

const REPLACEMENTS = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'BY',
  'ORDER',
  'JOIN',
  'ON',
  'AS',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'CASE',
  'WHEN',
  'THEN',
  'END',
  'CAST',
  'INTERVAL',
  'DATE',
  'WITH',
  'UNION',
  'VALUES',
  'LATERAL',
  'VIEW',
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
  '::',
  '->',
  '*',
  '+',
  '-',
  '<',
  '>',
  '=',
  "'",
  '"',
  '`',
  '/*',
  '*/',
  '--',
  ';',
  '1',
  '1.5x',
  '9e999',
  "'unclosed",
  '#',
  '?',
  ':',
  '\u0000',
  '😀',
  '\n',
];

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(sql: string, rand: () => number): string {
  const toks = tokenize(sql).filter((t) => t.kind !== 'eof');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  if (toks.length === 0) return `${sql}${pick(REPLACEMENTS)}`;
  const i = Math.floor(rand() * toks.length);
  const t = toks[i]!;
  const before = sql.slice(0, t.start);
  const tokText = sql.slice(t.start, t.end);
  const after = sql.slice(t.end);
  switch (Math.floor(rand() * 7)) {
    case 0:
      return before + after; // drop a token
    case 1:
      return `${before}${tokText} ${tokText}${after}`; // duplicate
    case 2:
      return `${before}${pick(REPLACEMENTS)}${after}`; // replace
    case 3:
      return `${before}${pick(REPLACEMENTS)} ${tokText}${after}`; // insert
    case 4:
      return sql.slice(0, Math.floor(rand() * sql.length)); // truncate
    case 5: {
      const j = Math.floor(rand() * toks.length);
      const u = toks[j]!;
      if (u.start <= t.start) return before + after;
      return (
        sql.slice(0, t.start) +
        sql.slice(u.start, u.end) +
        sql.slice(t.end, u.start) +
        tokText +
        sql.slice(u.end)
      );
    }
    default: {
      const at = Math.floor(rand() * (sql.length + 1));
      return sql.slice(0, at) + String.fromCharCode(32 + Math.floor(rand() * 95)) + sql.slice(at);
    }
  }
}

function checkOutcome(text: string, run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof ParseError) && !(e instanceof NotImplementedError)) {
      throw new Error(`unexpected ${String(e)} for ${JSON.stringify(text)}`);
    }
    const pos = e.position;
    if (pos) {
      const lines = text.split('\n');
      expect(pos.line, text).toBeGreaterThanOrEqual(1);
      expect(pos.line, text).toBeLessThanOrEqual(lines.length);
      expect(pos.column, text).toBeGreaterThanOrEqual(1);
      expect(pos.column, text).toBeLessThanOrEqual((lines[pos.line - 1] ?? '').length + 1);
    }
  }
}

describe('fuzzed statements', () => {
  it('valid seeds parse', async () => {
    for (const s of SEEDS) expect(() => parseStatements(s)).not.toThrow();
  });

  it('3000 mutations (1 to 3 edits each) never throw anything but ParseError/NotImplementedError', async () => {
    const rand = rng(20241122);
    let failures = 0;
    for (let n = 0; n < 3000; n++) {
      let text = SEEDS[n % SEEDS.length]!;
      const edits = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < edits && text.length > 0; k++) text = mutate(text, rand);
      let parsed: Statement[] | undefined;
      try {
        parsed = parseStatements(text);
      } catch {
        failures++;
      }
      // Whatever parses must print back to SQL that parses to the same tree.
      for (const q of (parsed ?? []).flatMap(queriesOf)) {
        const printed = queryToSql(q);
        expect(stripSpans(parseSelect(printed)), `${text}\n=> ${printed}`).toEqual(stripSpans(q));
      }
      checkOutcome(text, () => parseStatements(text));
      checkOutcome(text, () => parseQuery(text));
    }
    // Most mutations must break the statement; a few land on other valid SQL.
    expect(failures).toBeGreaterThan(1500);
  });

  it('expression and schema entry points are equally robust', async () => {
    const rand = rng(7);
    const exprSeed =
      "a + b * -c.d[0] IS NOT NULL AND f(DISTINCT x, y -> y + 1) FILTER (WHERE z) OR 'q' LIKE ANY ('a', 'b')";
    const ddlSeed = "a INT NOT NULL COMMENT 'x', b ARRAY<STRUCT<c: DECIMAL(10,2), d MAP<STRING, BINARY>>>";
    for (let n = 0; n < 1000; n++) {
      const e = mutate(exprSeed, rand);
      checkOutcome(e, () => {
        const tree = parseExpression(e);
        const printed = exprToSql(tree);
        expect(stripSpans(parseExpression(printed)), `${e}\n=> ${printed}`).toEqual(stripSpans(tree));
      });
      const d = mutate(ddlSeed, rand);
      checkOutcome(d, () => parseTableSchema(d));
    }
  });
});

describe('pathological nesting', () => {
  // Each of these once took exponential time through backtracking; all choices are now made by
  // bounded look-ahead, so they finish at once (a regression would hit the test timeout).
  const depth = 300;
  const inputs = [
    `SELECT ${'substr('.repeat(depth)}x`,
    `SELECT ${'trim('.repeat(depth)}x`,
    `SELECT ${'position('.repeat(depth)}x`,
    `SELECT ${'overlay('.repeat(depth)}x`,
    `SELECT ${'(('.repeat(depth / 2)}SELECT 1`,
    `SELECT * FROM ${'(('.repeat(depth / 2)}SELECT 1`,
    `SELECT x IN ${'(('.repeat(depth / 2)}SELECT 1`,
    `SELECT ${'f(('.repeat(depth / 2)}1`,
    `SELECT ${'CASE WHEN '.repeat(depth)}1`,
    `SELECT ${'substr('.repeat(50)}x${' FROM 1)'.repeat(50)}`,
  ];
  for (const text of inputs) {
    it(text.slice(0, 40), () => {
      checkOutcome(text, () => parseQuery(text));
    });
  }

  it('deeply nested valid special forms parse', async () => {
    const text = `SELECT ${'substr('.repeat(50)}x${' FROM 1)'.repeat(50)}`;
    expect(parseQuery(text).kind).toBe('query');
  });
});
