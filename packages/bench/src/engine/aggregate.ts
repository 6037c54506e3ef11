/**
 * Engine benchmark (not a test): a compiled filter + projection + hash aggregation over 10 million
 * in-memory rows, against a hand-written JavaScript loop doing the same work on the same rows.
 * Prints both rates and the ratio (Sluice / hand-written; 1.0 = as fast as the loop).
 *
 *   npm run bench engine            (builds, then runs this)
 *   node packages/bench/dist/engine/aggregate.js [rows] [runs]
 *
 * Query: SELECT k, sum(price * 1.1), count(*), max(id) FROM t WHERE price > 100 GROUP BY k
 * over rows (id bigint, k int in [0, 100), price double in [0, 500)).
 */
import { col, count, max, Session, sum } from '@sluice/engine';

const N = Number(process.argv[2] ?? 10_000_000);
const RUNS = Number(process.argv[3] ?? 5);

function makeRows(n: number): unknown[][] {
  const rows = new Array<unknown[]>(n);
  let seed = 42;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    rows[i] = [i, seed % 100, (seed % 1000) * 0.5];
  }
  return rows;
}

interface Acc {
  sum: number;
  count: number;
  max: number;
}

/** The hand-written baseline: one pass, one Map, no engine. */
function handWritten(rows: readonly unknown[][]): unknown[][] {
  const groups = new Map<number, Acc>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const price = r[2] as number;
    if (!(price > 100)) continue;
    const k = r[1] as number;
    const p = price * 1.1;
    const id = r[0] as number;
    let a = groups.get(k);
    if (a === undefined) {
      a = { sum: 0, count: 0, max: Number.NEGATIVE_INFINITY };
      groups.set(k, a);
    }
    a.sum += p;
    a.count++;
    if (id > a.max) a.max = id;
  }
  return [...groups].map(([k, a]) => [k, a.sum, a.count, a.max]);
}

async function time<T>(f: () => T | Promise<T>): Promise<{ ms: number; out: T }> {
  const t0 = process.hrtime.bigint();
  const out = await f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Median times of the hand-written loop and the engine over RUNS runs, alternating which goes first
 * (both allocate heavily, so the garbage collector would otherwise bill one for the other).
 */
async function medians(
  hand: () => unknown,
  engine: () => Promise<unknown>,
): Promise<{ h: number; e: number }> {
  const handMs: number[] = [];
  const engineMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      handMs.push((await time(hand)).ms);
      engineMs.push((await time(engine)).ms);
    } else {
      engineMs.push((await time(engine)).ms);
      handMs.push((await time(hand)).ms);
    }
  }
  return { h: median(handMs), e: median(engineMs) };
}

/** Both sides must have done the same work before a ratio means anything. */
function requireSame(same: boolean, what: string): void {
  if (same) return;
  console.error(what);
  process.exit(1);
}

const rate = (ms: number) => `${(((N / ms) * 1000) / 1e6).toFixed(2)}M rows/s`;

function report(handMs: number, engineMs: number): void {
  console.log(`hand-written loop : ${handMs.toFixed(0)} ms  ${rate(handMs)}`);
  console.log(`sluice engine     : ${engineMs.toFixed(0)} ms  ${rate(engineMs)}`);
  console.log(`ratio (sluice / hand-written throughput): ${(handMs / engineMs).toFixed(2)}`);
}

const rows = makeRows(N);
const session = Session.builder().appName('bench-engine').create();
const df = session
  .dataFrame({
    kind: 'localRelation',
    schema: {
      kind: 'struct',
      fields: [
        { name: 'id', dataType: { kind: 'long' }, nullable: false },
        { name: 'k', dataType: { kind: 'int' }, nullable: false },
        { name: 'price', dataType: { kind: 'double' }, nullable: false },
      ],
    },
    rows,
  })
  .filter(col('price').gt(100))
  .select(col('k'), col('price').multiply(1.1).alias('p'), col('id'))
  .groupBy('k')
  .agg(sum('p'), count('*'), max('id'));

// Check that both compute the same result before timing.
const check = (xs: unknown[][]) =>
  JSON.stringify(
    [...xs]
      .sort((a, b) => (a[0] as number) - (b[0] as number))
      .map((r) => r.map((v) => (typeof v === 'number' ? Math.round(v) : v))),
  );
const engineOut = await df.collectValues();
requireSame(check(engineOut) === check(handWritten(rows)), 'engine and hand-written results differ');

const { h, e } = await medians(
  () => handWritten(rows),
  () => df.collectValues(),
);
console.log(`rows: ${N}, runs: ${RUNS} (median)`);
report(h, e);
console.log(`\nplan:\n${df.explainString()}`);

// Second case: filter + projection only (the stateless shape of Nexmark q1/q2).
const base = session.dataFrame({
  kind: 'localRelation',
  schema: {
    kind: 'struct',
    fields: [
      { name: 'id', dataType: { kind: 'long' }, nullable: false },
      { name: 'k', dataType: { kind: 'int' }, nullable: false },
      { name: 'price', dataType: { kind: 'double' }, nullable: false },
    ],
  },
  rows,
});
const fp = base.filter(col('price').gt(100)).select(col('id'), col('price').multiply(1.1).alias('p'));
function handFilterProject(rs: readonly unknown[][]): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i]!;
    const price = r[2] as number;
    if (price > 100) out.push([r[0], price * 1.1]);
  }
  return out;
}
requireSame(
  (await fp.collectValues()).length === handFilterProject(rows).length,
  'filter+projection results differ',
);
const { h: fh, e: fe } = await medians(
  () => handFilterProject(rows),
  () => fp.collectValues(),
);
console.log('\nfilter + projection (no aggregation):');
report(fh, fe);

// Third case: long arithmetic and a long sum (exact 64-bit longs, docs/decisions/0006-exact-longs.md),
// against a loop on plain numbers with no overflow handling: what exactness costs on the safe path.
const longs = base.groupBy('k').agg(sum(col('id').multiply(3).plus(col('k'))).alias('s'));
function handLongSum(rs: readonly unknown[][]): unknown[][] {
  const groups = new Map<number, number>();
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i]!;
    const k = r[1] as number;
    groups.set(k, (groups.get(k) ?? 0) + ((r[0] as number) * 3 + k));
  }
  return [...groups];
}
requireSame(
  check(await longs.collectValues()) === check(handLongSum(rows)),
  'long arithmetic results differ',
);
const { h: lh, e: le } = await medians(
  () => handLongSum(rows),
  () => longs.collectValues(),
);
console.log('\nlong arithmetic and sum (SELECT k, sum(id * 3 + k) GROUP BY k):');
report(lh, le);
