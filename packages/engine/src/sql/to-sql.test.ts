import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Query, Statement } from './ast.js';
import { parseSelect, parseStatements } from './index.js';
import { stripSpans } from './test-support.js';
import { queryToSql, quoteIdentifier, quoteString } from './to-sql.js';

/** The queries inside a statement (CREATE VIEW bodies, EXPLAIN targets, the query itself). */
function queriesOf(s: Statement): Query[] {
  switch (s.kind) {
    case 'query':
      return [s];
    case 'createView':
      return [s.query];
    case 'explain':
      return queriesOf(s.statement);
    case 'describe':
      return s.target.kind === 'query' ? [s.target.query] : [];
    default:
      return [];
  }
}

function expectRoundTrip(q: Query): void {
  const printed = queryToSql(q);
  let reparsed: Query;
  try {
    reparsed = parseSelect(printed);
  } catch (e) {
    throw new Error(`printed query does not parse: ${printed}\n${String(e)}`);
  }
  expect(stripSpans(reparsed), printed).toEqual(stripSpans(q));
}

const QUERIES = [
  'SELECT a, b AS c FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 ORDER BY a DESC NULLS FIRST LIMIT 10 OFFSET 2',
  'SELECT DISTINCT /*+ BROADCAST(u) */ * FROM t JOIN u ON t.id = u.id LEFT JOIN v USING (id) CROSS JOIN w',
  'SELECT * FROM a NATURAL FULL OUTER JOIN b, c LEFT SEMI JOIN d ON c.k = d.k LEFT ANTI JOIN e ON true',
  'SELECT * FROM a JOIN (b JOIN c ON b.x = c.x) ON a.x = b.x',
  'SELECT * FROM (a JOIN b) AS j',
  'WITH x (k) AS (SELECT 1), y AS (SELECT k FROM x) SELECT * FROM y UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4',
  '(SELECT a FROM t ORDER BY a LIMIT 1) UNION (SELECT b FROM u)',
  'SELECT * FROM (SELECT a FROM t) s (x), LATERAL (SELECT s.x) l',
  'SELECT * FROM t LEFT OUTER JOIN LATERAL (SELECT t.a) l ON true',
  "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS v(id, name)",
  'VALUES (1), (2)',
  'TABLE db.t',
  'SELECT id, tag FROM t LATERAL VIEW OUTER explode(tags) tt AS tag LATERAL VIEW posexplode(xs) AS p, x LATERAL VIEW explode(ys) yy',
  'SELECT a FROM t GROUP BY ALL',
  'SELECT a FROM t GROUP BY ROLLUP(a, (b, c)), CUBE(d), GROUPING SETS ((a, b), (a), ())',
  'SELECT a FROM t GROUP BY a, b WITH CUBE',
  'SELECT a FROM t CLUSTER BY a',
  'SELECT a FROM t DISTRIBUTE BY a SORT BY b DESC',
  "SELECT window.start, count(*) FROM ev GROUP BY window(ts, '10 minutes', '5 minutes')",
  'SELECT (SELECT max(x) FROM u), a IN (SELECT b FROM v), EXISTS (SELECT 1), NOT EXISTS (SELECT 2) FROM t',
  'SELECT `select`, `a b`, `window`, `all` + 1, `current_date` FROM `from` AS `left`',
  'SELECT id FROM range(10) AS r(id)',
  'FROM t SELECT a WHERE a > 1',
];

describe('queryToSql round trip: parse(print(parse(q))) = parse(q)', () => {
  for (const sql of QUERIES) {
    it(sql, () => expectRoundTrip(parseSelect(sql)));
  }

  it('every query in the engine SQL golden files', async () => {
    const dir = fileURLToPath(new URL('../../test/sql/', import.meta.url));
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.slt'));
    } catch {
      // The golden files belong to the planner; without them there is nothing to check here.
    }
    let checked = 0;
    for (const file of files) {
      const lines = readFileSync(dir + file, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!/^(statement|query)\b/.test(lines[i]!)) continue;
        const body: string[] = [];
        for (i++; i < lines.length && lines[i] !== '----' && lines[i]!.trim() !== ''; i++)
          body.push(lines[i]!);
        let stmts: Statement[];
        try {
          stmts = parseStatements(body.join('\n'));
        } catch {
          continue; // expected-error cases
        }
        for (const s of stmts) {
          for (const q of queriesOf(s)) {
            expectRoundTrip(q);
            checked++;
          }
        }
      }
    }
    if (files.length > 0) expect(checked).toBeGreaterThan(100);
  });
});

describe('quoting', () => {
  it('quotes identifiers only when needed', async () => {
    expect(quoteIdentifier('abc_1')).toBe('abc_1');
    expect(quoteIdentifier('1abc')).toBe('`1abc`');
    expect(quoteIdentifier('a b')).toBe('`a b`');
    expect(quoteIdentifier('a`b')).toBe('`a``b`');
    expect(quoteIdentifier('from')).toBe('`from`');
    expect(quoteString("it's\n\\")).toBe("'it\\'s\\n\\\\'");
  });
});
