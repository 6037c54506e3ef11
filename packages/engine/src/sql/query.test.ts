import { describe, expect, it } from 'vitest';
import { NotImplementedError, ParseError } from '../errors.js';
import type { JoinRelation, Query, SelectBody, SetOperation, Statement } from './ast.js';
import { parseQuery, parseSelect, parseStatements } from './index.js';
import { stripSpans } from './test-support.js';
import { exprToSql } from './to-sql.js';

function q(sql: string): Query {
  return stripSpans(parseSelect(sql));
}

function select(sql: string): SelectBody {
  const query = q(sql);
  if (query.body.kind !== 'select') throw new Error(`not a SELECT: ${query.body.kind}`);
  return query.body;
}

const col = (...nameParts: string[]) => ({ type: 'column', nameParts });

describe('SELECT', () => {
  it('projection, FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET', async () => {
    const query = q(
      'SELECT a, sum(b) AS total FROM t WHERE c > 0 GROUP BY a HAVING sum(b) > 10 ORDER BY total DESC, a LIMIT 5 OFFSET 2',
    );
    const body = query.body as SelectBody;
    expect(body.distinct).toBe(false);
    expect(body.projection.map(exprToSql)).toEqual(['a', 'sum(b) AS total']);
    expect(body.from).toEqual([{ kind: 'table', name: ['t'] }]);
    expect(exprToSql(body.where!)).toBe('(c > 0)');
    expect(body.groupBy).toEqual({ kind: 'items', items: [{ kind: 'expr', expr: col('a') }] });
    expect(exprToSql(body.having!)).toBe('(sum(b) > 10)');
    expect(query.orderBy).toEqual([
      { kind: 'sortItem', expr: col('total'), ascending: false, nullsFirst: false },
      { kind: 'sortItem', expr: col('a'), ascending: true, nullsFirst: true },
    ]);
    expect(query.limit).toMatchObject({ type: 'literal', value: 5 });
    expect(query.offset).toMatchObject({ type: 'literal', value: 2 });
  });

  it('SELECT without FROM, DISTINCT, ALL, and the implicit alias', async () => {
    expect(select('SELECT 1').from).toEqual([]);
    expect(select('SELECT DISTINCT a FROM t').distinct).toBe(true);
    expect(select('SELECT ALL a FROM t')).toMatchObject({ distinct: false, projection: [col('a')] });
    expect(select('SELECT all FROM t').projection).toEqual([col('all')]);
    expect(select('SELECT all.x, b FROM t').projection).toEqual([col('all', 'x'), col('b')]);
    expect(exprToSql(select('SELECT all + 1 FROM t').projection[0]!)).toBe('(`all` + 1)');
    expect(select('SELECT ALL (a) FROM t').projection).toEqual([col('a')]);
    expect(select('SELECT a x, b AS y FROM t').projection.map(exprToSql)).toEqual(['a AS x', 'b AS y']);
  });

  it('NULLS FIRST/LAST and ordinals', async () => {
    const query = q('SELECT a, b FROM t GROUP BY 1, 2 ORDER BY 1 DESC NULLS FIRST, 2 ASC NULLS LAST');
    expect((query.body as SelectBody).groupBy).toEqual({
      kind: 'items',
      items: [
        { kind: 'expr', expr: { type: 'literal', value: 1, dataType: { kind: 'int' } } },
        { kind: 'expr', expr: { type: 'literal', value: 2, dataType: { kind: 'int' } } },
      ],
    });
    expect(query.orderBy!.map((s) => [s.ascending, s.nullsFirst])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it('GROUP BY ALL, ROLLUP, CUBE, GROUPING SETS, WITH ROLLUP', async () => {
    expect(select('SELECT a, count(*) FROM t GROUP BY ALL').groupBy).toEqual({ kind: 'all' });
    expect(select('SELECT a FROM t GROUP BY ROLLUP(a, (b, c))').groupBy).toEqual({
      kind: 'items',
      items: [{ kind: 'rollup', groups: [[col('a')], [col('b'), col('c')]] }],
    });
    expect(select('SELECT a FROM t GROUP BY x, CUBE(a, b)').groupBy).toEqual({
      kind: 'items',
      items: [
        { kind: 'expr', expr: col('x') },
        { kind: 'cube', groups: [[col('a')], [col('b')]] },
      ],
    });
    expect(select('SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ())').groupBy).toEqual({
      kind: 'items',
      items: [{ kind: 'groupingSets', sets: [[col('a'), col('b')], [col('a')], []] }],
    });
    expect(select('SELECT a FROM t GROUP BY a, b WITH ROLLUP').groupBy).toEqual({
      kind: 'items',
      items: [{ kind: 'rollup', groups: [[col('a')], [col('b')]] }],
    });
    expect(select('SELECT a FROM t GROUP BY a, b GROUPING SETS ((a), (b))').groupBy).toEqual({
      kind: 'items',
      items: [{ kind: 'groupingSets', sets: [[col('a')], [col('b')]] }],
    });
  });

  it('GROUP BY window(...) for streaming aggregations', async () => {
    const body = select(
      "SELECT window.start, word, count(*) FROM words GROUP BY window(ts, '10 minutes', '5 minutes'), word",
    );
    expect(body.projection.map(exprToSql)).toEqual(['window.start', 'word', 'count(1)']);
    expect(body.groupBy).toMatchObject({
      kind: 'items',
      items: [
        { kind: 'expr', expr: { type: 'function', name: 'window' } },
        { kind: 'expr', expr: col('word') },
      ],
    });
  });

  it('hints after SELECT', async () => {
    expect(select('SELECT /*+ BROADCAST(u), REPARTITION(4) */ * FROM t JOIN u').hints).toEqual([
      { kind: 'hint', name: 'BROADCAST', args: [col('u')] },
      { kind: 'hint', name: 'REPARTITION', args: [{ type: 'literal', value: 4, dataType: { kind: 'int' } }] },
    ]);
  });

  it('comments anywhere', async () => {
    const body = select('-- leading\nSELECT /* inline /* nested */ */ a -- trailing\nFROM t -- end');
    expect(body.projection).toEqual([col('a')]);
    expect(body.from).toEqual([{ kind: 'table', name: ['t'] }]);
  });

  it('FROM-first form', async () => {
    expect(select('FROM t SELECT a WHERE a > 1')).toMatchObject({
      from: [{ kind: 'table', name: ['t'] }],
      projection: [col('a')],
      where: { type: 'binary' },
    });
  });
});

describe('FROM relations', () => {
  it('table names with aliases and column aliases', async () => {
    expect(select('SELECT * FROM db.t AS x').from).toEqual([
      { kind: 'table', name: ['db', 't'], alias: 'x' },
    ]);
    expect(select('SELECT * FROM t x').from).toEqual([{ kind: 'table', name: ['t'], alias: 'x' }]);
    expect(select('SELECT * FROM t AS x(a, b)').from).toEqual([
      { kind: 'table', name: ['t'], alias: 'x', columnAliases: ['a', 'b'] },
    ]);
    expect(select('SELECT * FROM `my table` `a b`').from).toEqual([
      { kind: 'table', name: ['my table'], alias: 'a b' },
    ]);
    expect(select('SELECT * FROM a, b AS c').from).toEqual([
      { kind: 'table', name: ['a'] },
      { kind: 'table', name: ['b'], alias: 'c' },
    ]);
  });

  it('sub-queries in FROM, with or without alias', async () => {
    const from = select('SELECT * FROM (SELECT a FROM t) AS s(x)').from;
    expect(from[0]).toMatchObject({
      kind: 'subquery',
      alias: 's',
      columnAliases: ['x'],
      query: { kind: 'query' },
    });
    expect(select('SELECT * FROM (SELECT 1)').from[0]).toMatchObject({ kind: 'subquery' });
    expect(select('SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u').from[0]).toMatchObject({
      kind: 'subquery',
      alias: 'u',
      query: { body: { kind: 'setOperation', op: 'union' } },
    });
    expect(select('SELECT * FROM t, LATERAL (SELECT t.a)').from[1]).toMatchObject({
      kind: 'subquery',
      lateral: true,
    });
    expect(select('SELECT * FROM t JOIN LATERAL (SELECT t.a) l ON true').from[0]).toMatchObject({
      kind: 'join',
      right: { kind: 'subquery', lateral: true, alias: 'l' },
    });
  });

  it('inline VALUES tables and table-valued functions', async () => {
    expect(select("SELECT * FROM VALUES (1, 'a'), (2, 'b') AS v(id, name)").from).toEqual([
      {
        kind: 'values',
        rows: [
          [
            { type: 'literal', value: 1, dataType: { kind: 'int' } },
            { type: 'literal', value: 'a', dataType: { kind: 'string' } },
          ],
          [
            { type: 'literal', value: 2, dataType: { kind: 'int' } },
            { type: 'literal', value: 'b', dataType: { kind: 'string' } },
          ],
        ],
        alias: 'v',
        columnAliases: ['id', 'name'],
      },
    ]);
    expect(select('SELECT * FROM VALUES 1, 2').from[0]).toMatchObject({
      kind: 'values',
      rows: [[{ value: 1 }], [{ value: 2 }]],
    });
    expect(select('SELECT id FROM range(10) r').from).toEqual([
      {
        kind: 'tableFunction',
        name: 'range',
        args: [{ type: 'literal', value: 10, dataType: { kind: 'int' } }],
        alias: 'r',
      },
    ]);
  });

  it('joins of every type, left-associative, with ON / USING / NATURAL', async () => {
    const types: [string, string][] = [
      ['JOIN', 'inner'],
      ['INNER JOIN', 'inner'],
      ['LEFT JOIN', 'left'],
      ['LEFT OUTER JOIN', 'left'],
      ['RIGHT JOIN', 'right'],
      ['RIGHT OUTER JOIN', 'right'],
      ['FULL JOIN', 'full'],
      ['FULL OUTER JOIN', 'full'],
      ['LEFT SEMI JOIN', 'semi'],
      ['SEMI JOIN', 'semi'],
      ['LEFT ANTI JOIN', 'anti'],
      ['ANTI JOIN', 'anti'],
    ];
    for (const [kw, type] of types) {
      const j = select(`SELECT * FROM a ${kw} b ON a.id = b.id`).from[0] as JoinRelation;
      expect(j).toMatchObject({
        kind: 'join',
        joinType: type,
        left: { name: ['a'] },
        right: { name: ['b'] },
      });
      expect(exprToSql(j.condition!)).toBe('(a.id = b.id)');
    }
    expect(select('SELECT * FROM a CROSS JOIN b').from[0]).toMatchObject({ joinType: 'cross' });
    expect(select('SELECT * FROM a JOIN b USING (id, k)').from[0]).toMatchObject({ using: ['id', 'k'] });
    expect(select('SELECT * FROM a NATURAL LEFT JOIN b').from[0]).toMatchObject({
      joinType: 'left',
      natural: true,
    });
    const chain = select('SELECT * FROM a JOIN b ON x LEFT JOIN c ON y').from[0] as JoinRelation;
    expect(chain).toMatchObject({
      joinType: 'left',
      left: { kind: 'join', joinType: 'inner' },
      right: { name: ['c'] },
    });
    const aliased = select('SELECT * FROM a AS l JOIN b r ON l.k = r.k').from[0] as JoinRelation;
    expect(aliased).toMatchObject({ left: { alias: 'l' }, right: { alias: 'r' } });
    expect(select('SELECT * FROM a JOIN b').from[0]).toMatchObject({ joinType: 'inner' });
    expect(select('SELECT * FROM a JOIN b').from[0]).not.toHaveProperty('condition');
  });

  it('stream-stream join with a time-range condition', async () => {
    const j = select(
      `SELECT * FROM impressions i JOIN clicks c
         ON c.adId = i.adId AND c.ts >= i.ts AND c.ts <= i.ts + INTERVAL 1 HOUR`,
    ).from[0] as JoinRelation;
    expect(exprToSql(j.condition!)).toBe(
      "(((c.adId = i.adId) AND (c.ts >= i.ts)) AND (c.ts <= (i.ts + INTERVAL '1 hours')))",
    );
  });

  it('parenthesized joins', async () => {
    expect(select('SELECT * FROM (a JOIN b ON x) JOIN c ON y').from[0]).toMatchObject({
      kind: 'join',
      left: { kind: 'join', left: { name: ['a'] } },
      right: { name: ['c'] },
    });
    expect(select('SELECT * FROM (a JOIN b) AS j').from[0]).toMatchObject({ kind: 'subquery', alias: 'j' });
  });

  it('LATERAL VIEW [OUTER] generators', async () => {
    const body = select(
      'SELECT id, tag, k, v FROM t LATERAL VIEW explode(tags) tg AS tag LATERAL VIEW OUTER explode(m) mm AS k, v WHERE id > 0',
    );
    expect(body.lateralViews).toEqual([
      {
        kind: 'lateralView',
        generator: { type: 'function', name: 'explode', args: [col('tags')] },
        outer: false,
        tableAlias: 'tg',
        columnAliases: ['tag'],
      },
      {
        kind: 'lateralView',
        generator: { type: 'function', name: 'explode', args: [col('m')] },
        outer: true,
        tableAlias: 'mm',
        columnAliases: ['k', 'v'],
      },
    ]);
    expect(body.where).toBeDefined();
    expect(select('SELECT * FROM t LATERAL VIEW posexplode(a) p').lateralViews[0]).toMatchObject({
      tableAlias: 'p',
      columnAliases: [],
    });
    expect(select('SELECT * FROM t LATERAL VIEW explode(a) AS x').lateralViews[0]).toMatchObject({
      columnAliases: ['x'],
    });
    expect(
      select('SELECT * FROM t LATERAL VIEW json_tuple(j, "a", "b") jt AS a, b, c').lateralViews[0],
    ).toMatchObject({
      generator: { name: 'json_tuple' },
      tableAlias: 'jt',
      columnAliases: ['a', 'b', 'c'],
    });
  });
});

describe('set operations, CTEs, VALUES and TABLE', () => {
  it('INTERSECT binds tighter than UNION and EXCEPT, which are left-associative', async () => {
    const body = q('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4').body as SetOperation;
    expect(body).toMatchObject({
      op: 'except',
      left: { op: 'union', all: false, right: { op: 'intersect' } },
    });
    const all = q('SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3 MINUS SELECT 4').body as SetOperation;
    expect(all).toMatchObject({
      op: 'except',
      left: { op: 'union', all: false, left: { op: 'union', all: true } },
    });
    expect(q('SELECT 1 INTERSECT ALL SELECT 1').body).toMatchObject({ op: 'intersect', all: true });
    expect(q('SELECT 1 EXCEPT ALL SELECT 1').body).toMatchObject({ op: 'except', all: true });
  });

  it('a query-level ORDER BY / LIMIT applies to the whole set operation', async () => {
    const query = q('SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY a LIMIT 3');
    expect(query.body.kind).toBe('setOperation');
    expect(query.orderBy).toHaveLength(1);
    expect(query.limit).toMatchObject({ value: 3 });
  });

  it('parenthesized operands keep their own ORDER BY / LIMIT', async () => {
    const query = q('(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM u)');
    expect(query.body).toMatchObject({
      kind: 'setOperation',
      left: { kind: 'query', limit: { value: 1 } },
      right: { kind: 'select' },
    });
  });

  it('WITH CTEs, column aliases, nested references', async () => {
    const query = q('WITH a AS (SELECT 1 AS x), b (y) AS (SELECT x FROM a) SELECT * FROM b');
    expect(query.with).toMatchObject([
      { kind: 'cte', name: 'a', query: { kind: 'query' } },
      { kind: 'cte', name: 'b', columnAliases: ['y'] },
    ]);
    expect(q('WITH c (SELECT 1) SELECT * FROM c').with![0]!.name).toBe('c');
  });

  it('VALUES and TABLE as queries', async () => {
    expect(q('VALUES (1, 2), (3, 4)').body).toMatchObject({
      kind: 'values',
      rows: [
        [{ value: 1 }, { value: 2 }],
        [{}, {}],
      ],
    });
    expect(q('VALUES (1) AS t(a)').body).toMatchObject({ kind: 'values', alias: 't', columnAliases: ['a'] });
    expect(q('TABLE db.t').body).toEqual({ kind: 'table', name: ['db', 't'] });
    expect(q('SELECT * FROM t UNION ALL TABLE u').body).toMatchObject({ right: { kind: 'table' } });
  });

  it('LIMIT ALL, SORT BY, DISTRIBUTE BY, CLUSTER BY', async () => {
    expect(q('SELECT a FROM t LIMIT ALL')).not.toHaveProperty('limit');
    expect(q('SELECT a FROM t DISTRIBUTE BY a SORT BY b DESC')).toMatchObject({
      distributeBy: [col('a')],
      sortBy: [{ expr: col('b'), ascending: false }],
    });
    expect(q('SELECT a FROM t CLUSTER BY a')).toMatchObject({ clusterBy: [col('a')] });
  });

  it('a query with every clause keeps spans pointing into the text', async () => {
    const text = 'SELECT a\nFROM t\nWHERE b = 1';
    const query = parseSelect(text);
    const body = query.body as SelectBody;
    expect(query.span).toEqual({ line: 1, column: 1, start: 0, end: text.length });
    expect(body.where!.span).toMatchObject({ line: 3, column: 7 });
    expect(body.from[0]!.span).toMatchObject({ line: 2, column: 6 });
  });
});

describe('statements', () => {
  const stmt = (sql: string): Statement => stripSpans(parseQuery(sql));

  it('CREATE [OR REPLACE] [GLOBAL] TEMP VIEW keeps the query and its text', async () => {
    expect(stmt('CREATE OR REPLACE TEMPORARY VIEW v AS SELECT a FROM t')).toMatchObject({
      kind: 'createView',
      name: ['v'],
      replace: true,
      temporary: true,
      global: false,
      ifNotExists: false,
      query: { kind: 'query' },
      queryText: 'SELECT a FROM t',
    });
    expect(
      stmt('CREATE GLOBAL TEMP VIEW IF NOT EXISTS db.v (x COMMENT "the x", y) COMMENT "c" AS SELECT 1, 2'),
    ).toMatchObject({
      kind: 'createView',
      name: ['db', 'v'],
      global: true,
      temporary: true,
      ifNotExists: true,
      columns: [{ name: 'x', comment: 'the x' }, { name: 'y' }],
      comment: 'c',
    });
    expect(stmt('CREATE VIEW v AS SELECT 1')).toMatchObject({ kind: 'createView', temporary: false });
    expect(stmt('DROP VIEW IF EXISTS v')).toEqual({ kind: 'dropView', name: ['v'], ifExists: true });
  });

  it('EXPLAIN modes wrap any statement', async () => {
    expect(stmt('EXPLAIN SELECT 1')).toMatchObject({
      kind: 'explain',
      mode: 'simple',
      statement: { kind: 'query' },
    });
    expect(stmt('EXPLAIN EXTENDED SELECT 1')).toMatchObject({ mode: 'extended' });
    expect(stmt('EXPLAIN FORMATTED SELECT 1')).toMatchObject({ mode: 'formatted' });
    expect(stmt('EXPLAIN CODEGEN SELECT 1')).toMatchObject({ mode: 'codegen' });
    expect(stmt('EXPLAIN COST SELECT 1')).toMatchObject({ mode: 'cost' });
    expect(stmt('explain logical with x as (select 1) select * from x')).toMatchObject({ mode: 'logical' });
  });

  it('DESCRIBE tables, columns and queries', async () => {
    expect(stmt('DESCRIBE t')).toEqual({
      kind: 'describe',
      extended: false,
      target: { kind: 'table', name: ['t'] },
    });
    expect(stmt('DESC TABLE EXTENDED db.t')).toEqual({
      kind: 'describe',
      extended: true,
      target: { kind: 'table', name: ['db', 't'] },
    });
    expect(stmt('DESCRIBE t a')).toMatchObject({ target: { column: ['a'] } });
    expect(stmt('DESCRIBE QUERY SELECT 1')).toMatchObject({ target: { kind: 'query' } });
    expect(stmt('DESC SELECT a FROM t')).toMatchObject({ target: { kind: 'query' } });
  });

  it('SHOW TABLES / VIEWS / FUNCTIONS / COLUMNS', async () => {
    expect(stmt('SHOW TABLES')).toEqual({ kind: 'showTables' });
    expect(stmt("SHOW TABLES IN db LIKE 'ev*'")).toEqual({
      kind: 'showTables',
      database: ['db'],
      pattern: 'ev*',
    });
    expect(stmt("SHOW TABLES 'x*'")).toEqual({ kind: 'showTables', pattern: 'x*' });
    expect(stmt('SHOW VIEWS FROM db')).toEqual({ kind: 'showViews', database: ['db'] });
    expect(stmt("SHOW FUNCTIONS LIKE 'date*'")).toEqual({
      kind: 'showFunctions',
      scope: 'all',
      pattern: 'date*',
    });
    expect(stmt('SHOW SYSTEM FUNCTIONS')).toEqual({ kind: 'showFunctions', scope: 'system' });
    expect(stmt('SHOW COLUMNS IN t FROM db')).toEqual({ kind: 'showColumns', table: ['db', 't'] });
  });

  it('SET and RESET read raw text', async () => {
    expect(stmt('SET')).toEqual({ kind: 'set' });
    expect(stmt('SET -v')).toEqual({ kind: 'set', verbose: true });
    expect(stmt('SET spark.sql.shuffle.partitions')).toEqual({
      kind: 'set',
      key: 'spark.sql.shuffle.partitions',
    });
    expect(stmt('SET spark.sql.ansi.enabled=false')).toEqual({
      kind: 'set',
      key: 'spark.sql.ansi.enabled',
      value: 'false',
    });
    expect(stmt("SET spark.sql.session.timeZone = 'America/New_York';")).toEqual({
      kind: 'set',
      key: 'spark.sql.session.timeZone',
      value: 'America/New_York',
    });
    expect(stmt("SET TIME ZONE 'UTC'")).toEqual({
      kind: 'set',
      key: 'spark.sql.session.timeZone',
      value: 'UTC',
    });
    expect(stmt('SET `my key`=`a;b`')).toEqual({ kind: 'set', key: 'my key', value: 'a;b' });
    expect(stmt('RESET')).toEqual({ kind: 'reset' });
    expect(stmt('RESET spark.sql.ansi.enabled')).toEqual({ kind: 'reset', key: 'spark.sql.ansi.enabled' });
  });

  it('parseStatements splits a script on semicolons outside strings and comments', async () => {
    const stmts = parseStatements(`
      SET a=1;
      CREATE TEMP VIEW v AS SELECT ';' AS s; -- a comment; with semicolons
      /* block ; */ SELECT * FROM v;;
      SELECT 2
    `);
    expect(stmts.map((s) => s.kind)).toEqual(['set', 'createView', 'query', 'query']);
    expect(parseStatements('')).toEqual([]);
    expect(parseStatements(' ; ; ')).toEqual([]);
  });

  it('parseSelect accepts only queries; parseQuery accepts one statement', async () => {
    expect(() => parseSelect('SHOW TABLES')).toThrow(ParseError);
    expect(() => parseQuery('SELECT 1; SELECT 2')).toThrow(ParseError);
    expect(parseQuery('SELECT 1;').kind).toBe('query');
  });

  it('valid Spark statements Sluice does not run are NotImplementedError', async () => {
    for (const sql of [
      'INSERT INTO t VALUES (1)',
      'CREATE TABLE t (a INT)',
      'DROP TABLE t',
      'USE db',
      'SELECT rank() OVER (PARTITION BY a ORDER BY b) FROM t',
      'SELECT * FROM t TABLESAMPLE (10 PERCENT)',
      'SELECT a FROM t WINDOW w AS (PARTITION BY a)',
    ]) {
      expect(() => parseQuery(sql), sql).toThrow(NotImplementedError);
    }
  });
});
