/**
 * A seeded generator of random tables and random SQL queries inside the subset where Spark and
 * DuckDB agree by definition (see docs/engine-differential.md for what is excluded and why).
 */

/** mulberry32: a small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Column {
  readonly name: string;
  /** Spark SQL type name (DuckDB accepts the same names for these). */
  readonly type: 'INT' | 'BIGINT' | 'DOUBLE' | 'STRING';
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly (number | string | null)[])[];
}

const STRINGS = ['a', 'b', 'ab', 'ba', 'abc', 'B', 'x y', ''];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function value(r: () => number, t: Column['type']): number | string | null {
  if (r() < 0.15) return null;
  switch (t) {
    case 'INT':
      return Math.floor(r() * 11) - 5;
    case 'BIGINT':
      return Math.floor(r() * 2001) - 1000;
    case 'DOUBLE':
      // Quarters: sums of these are exact in binary floating point, whatever the order.
      return (Math.floor(r() * 41) - 20) / 4;
    case 'STRING':
      return pick(r, STRINGS);
  }
}

/** Two tables: t1(id, a, b, d, s) and t2(id, x, s) with nulls; `id` is unique (total orderings). */
export function generateTables(r: () => number): Table[] {
  const t1: Column[] = [
    { name: 'id', type: 'INT' },
    { name: 'a', type: 'INT' },
    { name: 'b', type: 'BIGINT' },
    { name: 'd', type: 'DOUBLE' },
    { name: 's', type: 'STRING' },
  ];
  const t2: Column[] = [
    { name: 'id', type: 'INT' },
    { name: 'x', type: 'INT' },
    { name: 's', type: 'STRING' },
  ];
  const n1 = 30 + Math.floor(r() * 30);
  const n2 = 10 + Math.floor(r() * 15);
  return [
    {
      name: 't1',
      columns: t1,
      rows: Array.from({ length: n1 }, (_, i) => [i, ...t1.slice(1).map((c) => value(r, c.type))]),
    },
    {
      name: 't2',
      columns: t2,
      rows: Array.from({ length: n2 }, (_, i) => [i, ...t2.slice(1).map((c) => value(r, c.type))]),
    },
  ];
}

export interface GeneratedQuery {
  readonly sql: string;
  /** Results are compared in order (the query has a total ORDER BY) or as a multiset. */
  readonly ordered: boolean;
}

const NUM = ['a', 'b', 'd'];
const INTS = ['a', 'b'];

function numExpr(r: () => number, depth = 0): string {
  const c = pick(r, NUM);
  if (depth > 1 || r() < 0.4) return r() < 0.2 ? String(Math.floor(r() * 7) - 3) : c;
  const op = pick(r, ['+', '-', '*']);
  return `(${numExpr(r, depth + 1)} ${op} ${numExpr(r, depth + 1)})`;
}

function predicate(r: () => number, depth = 0): string {
  const k = Math.floor(r() * (depth > 1 ? 8 : 11));
  switch (k) {
    case 0:
      return `${numExpr(r)} > ${Math.floor(r() * 9) - 4}`;
    case 1:
      return `${pick(r, NUM)} <= ${pick(r, NUM)}`;
    case 2:
      return `${pick(r, NUM)} IS NULL`;
    case 3:
      return `${pick(r, NUM)} IS NOT NULL`;
    case 4:
      return `a IN (${Math.floor(r() * 5) - 2}, ${Math.floor(r() * 5) - 2}${r() < 0.5 ? ', NULL' : ''})`;
    case 5:
      return `a BETWEEN ${Math.floor(r() * 5) - 4} AND ${Math.floor(r() * 5)}`;
    case 6:
      return `s ${r() < 0.5 ? 'LIKE' : 'NOT LIKE'} '${pick(r, ['a%', '%b', '_', '%a%', 'ab'])}'`;
    case 7:
      return `coalesce(${pick(r, INTS)}, ${Math.floor(r() * 5) - 2}) = ${Math.floor(r() * 5) - 2}`;
    case 8:
      return `(${predicate(r, depth + 1)} AND ${predicate(r, depth + 1)})`;
    case 9:
      return `(${predicate(r, depth + 1)} OR ${predicate(r, depth + 1)})`;
    default:
      return `NOT (${predicate(r, depth + 1)})`;
  }
}

function aggregate(r: () => number): string {
  const c = pick(r, [...NUM, 's']);
  const f = c === 's' ? pick(r, ['min', 'max', 'count']) : pick(r, ['count', 'sum', 'min', 'max', 'avg']);
  if (f === 'count' && r() < 0.3) return 'count(*)';
  if (f === 'count' && r() < 0.3) return `count(DISTINCT ${c})`;
  return `${f}(${c})`;
}

/** One random query over t1 / t2. */
export function generateQuery(r: () => number): GeneratedQuery {
  const kind = Math.floor(r() * 10);
  switch (kind) {
    case 0: {
      const cols = ['id', numExpr(r), numExpr(r), pick(r, ['s', 'upper(s)', "s || 'z'", 'length(s)'])];
      return { sql: `SELECT ${cols.join(', ')} FROM t1`, ordered: false };
    }
    case 1:
      return { sql: `SELECT id, a, d, s FROM t1 WHERE ${predicate(r)}`, ordered: false };
    case 2: {
      const keys = pick(r, [['a'], ['s'], ['a', 's'], []]);
      const aggs = [aggregate(r), aggregate(r), aggregate(r)];
      const where = r() < 0.5 ? ` WHERE ${predicate(r)}` : '';
      const group = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
      return { sql: `SELECT ${[...keys, ...aggs].join(', ')} FROM t1${where}${group}`, ordered: false };
    }
    case 3: {
      const type = pick(r, ['JOIN', 'LEFT JOIN']);
      const on = pick(r, [
        't1.a = t2.x',
        't1.s = t2.s',
        't1.a = t2.x AND t1.s = t2.s',
        't1.id = t2.id AND t1.a < t2.x',
      ]);
      return { sql: `SELECT t1.id, t1.a, t2.id, t2.x FROM t1 ${type} t2 ON ${on}`, ordered: false };
    }
    case 4: {
      const col = pick(r, ['a', 'b', 'd', 's']);
      const dir = pick(r, ['ASC NULLS FIRST', 'ASC NULLS LAST', 'DESC NULLS FIRST', 'DESC NULLS LAST']);
      const limit = 1 + Math.floor(r() * 10);
      return { sql: `SELECT id, ${col} FROM t1 ORDER BY ${col} ${dir}, id LIMIT ${limit}`, ordered: true };
    }
    case 6:
      return { sql: `SELECT DISTINCT ${pick(r, ['a', 's', 'a, s', 'a % 3'])} FROM t1`, ordered: false };
    case 7: {
      const op = pick(r, ['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT']);
      return { sql: `SELECT a, s FROM t1 WHERE ${predicate(r)} ${op} SELECT x, s FROM t2`, ordered: false };
    }
    case 8: {
      const n = Math.floor(r() * 4);
      return {
        sql: `SELECT ${pick(r, ['a', 's'])} AS g, count(*) AS c, sum(b) FROM t1 GROUP BY 1 HAVING count(*) > ${n}`,
        ordered: false,
      };
    }
    case 9:
      return {
        sql: `SELECT id, a FROM t1 WHERE ${r() < 0.5 ? 'a IN' : 'EXISTS'} ${r() < 0.5 ? '(SELECT x FROM t2 WHERE x IS NOT NULL)' : '(SELECT x FROM t2 WHERE x > 2)'}`.replace(
          'WHERE EXISTS (SELECT x',
          'WHERE EXISTS (SELECT 1',
        ),
        ordered: false,
      };
    default: {
      const where = r() < 0.5 ? ` WHERE ${predicate(r)}` : '';
      return {
        sql: `SELECT t2.s, count(*), sum(t1.b), max(t1.d) FROM t1 JOIN t2 ON t1.a = t2.x${where.replaceAll(/\b(a|b|d|s)\b/g, 't1.$1')} GROUP BY t2.s`,
        ordered: false,
      };
    }
  }
}
