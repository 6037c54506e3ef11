/**
 * Parser benchmark (not a test): how long the Spark SQL front end takes per statement, next to two
 * baselines — the lexer alone, and `JSON.parse` building the very same AST from its JSON text
 * (the cheapest way JavaScript can materialize that object tree). Prints µs per query and ratios.
 *
 *   cd packages/engine && node --import tsx src/sql/parse-bench.ts
 */
import { parseQuery } from './index.js';
import { tokenize } from './lexer.js';

const QUERIES = [
  // Nexmark-style streaming queries.
  'SELECT auction, bidder, price, dateTime, extra FROM bid',
  'SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid',
  'SELECT auction, price FROM bid WHERE auction = 1007 OR auction = 1020 OR auction = 2001 OR auction = 2019 OR auction = 2087',
  `SELECT P.name, P.city, P.state, A.id
     FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
    WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')`,
  `SELECT window.start AS starttime, window.end AS endtime, auction, count(*) AS num
     FROM bid GROUP BY window(dateTime, '10 seconds', '2 seconds'), auction`,
  `SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
     FROM bid B JOIN (
       SELECT max(price) AS maxprice, window(dateTime, '10 seconds') AS w FROM bid
       GROUP BY window(dateTime, '10 seconds')
     ) B1 ON B.price = B1.maxprice AND B.dateTime BETWEEN B1.w.start AND B1.w.end`,
  // Batch analytics.
  `WITH revenue AS (
     SELECT l_suppkey AS supplier_no, sum(l_extendedprice * (1 - l_discount)) AS total_revenue
       FROM lineitem
      WHERE l_shipdate >= DATE '1996-01-01' AND l_shipdate < DATE '1996-01-01' + INTERVAL '3' MONTH
      GROUP BY l_suppkey)
   SELECT s_suppkey, s_name, s_address, s_phone, total_revenue
     FROM supplier, revenue
    WHERE s_suppkey = supplier_no AND total_revenue = (SELECT max(total_revenue) FROM revenue)
    ORDER BY s_suppkey`,
  `SELECT CASE WHEN a > 10 THEN 'big' WHEN a IS NULL THEN 'none' ELSE 'small' END AS size,
          CAST(b AS DECIMAL(10, 2)) AS amount, transform(tags, t -> upper(t)) AS tags,
          coalesce(x, y, 0) + 1 AS z
     FROM events LATERAL VIEW OUTER explode(items) it AS item
    WHERE ts > TIMESTAMP '2024-01-01 00:00:00' AND name LIKE 'a%' AND id NOT IN (1, 2, 3)
    UNION ALL
   SELECT 'x', 1.5BD, array(), 2 FROM VALUES (1) AS v(a)`,
];

function timeIt(fn: () => void, minMs = 400): number {
  // Warm up, then run batches until minMs elapsed; returns ns per call.
  for (let i = 0; i < 2000; i++) fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1_000_000n) {
    for (let i = 0; i < 500; i++) fn();
    calls += 500;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / calls;
}

let sink = 0;
const rows: string[] = [];
let totalParse = 0;
let totalJson = 0;
for (const sql of QUERIES) {
  const json = JSON.stringify(parseQuery(sql));
  const parseNs = timeIt(() => {
    sink += parseQuery(sql).kind.length;
  });
  const lexNs = timeIt(() => {
    sink += tokenize(sql).length;
  });
  const jsonNs = timeIt(() => {
    sink += (JSON.parse(json) as { kind: string }).kind.length;
  });
  totalParse += parseNs;
  totalJson += jsonNs;
  const name = sql.replace(/\s+/g, ' ').slice(0, 48);
  rows.push(
    `${name.padEnd(50)} ${String(sql.length).padStart(5)} ${(parseNs / 1000).toFixed(1).padStart(8)} ${(
      lexNs / 1000
    )
      .toFixed(1)
      .padStart(8)} ${(jsonNs / 1000).toFixed(1).padStart(9)} ${(parseNs / jsonNs).toFixed(2).padStart(7)}`,
  );
}
console.log(
  `${'query'.padEnd(50)} ${'chars'.padStart(5)} ${'parse µs'.padStart(8)} ${'lex µs'.padStart(8)} ${'JSON µs'.padStart(9)} ${'ratio'.padStart(7)}`,
);
for (const r of rows) console.log(r);
console.log(
  `\nall queries: parse ${(totalParse / 1000).toFixed(1)} µs, JSON.parse of the same ASTs ${(totalJson / 1000).toFixed(1)} µs; parse/JSON ratio ${(totalParse / totalJson).toFixed(2)}`,
);
if (sink === 42) console.log('');
