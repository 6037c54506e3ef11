/**
 * `npm run oracle`: every sqllogictest golden file of the engine (packages/engine/test/sql/*.slt) run
 * on Apache Spark itself (pyspark, local mode), each record's stored expectation compared with
 * Spark's answer; then the engine's random differential corpus run on Spark and on Sluice. A disagreement must be listed with its reason in known-differences.json (the list
 * is part of the engine's contract, summarised in docs/spark-differences.md); any other, or a listed
 * one that no longer disagrees, fails the run. `npm test` keeps checking the stored expectations
 * without starting Spark.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSlt } from '@sluice/engine/sql-golden';
import { compareRecord, type Disagreement, type SparkOutcome } from './compare.js';
import { differentialOnSpark } from './differential.js';
import { PYSPARK_VERSION } from './spark-env.js';
import { runSparkScript } from './spark-run.js';
import { streamingGoldensOnSpark } from './streaming-goldens.js';

const sqlDir = fileURLToPath(new URL('../../engine/test/sql/', import.meta.url));
const knownFile = fileURLToPath(new URL('../known-differences.json', import.meta.url));

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = readdirSync(sqlDir)
  .filter((f) => f.endsWith('.slt') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
interface KnownDifference {
  readonly file: string;
  readonly sql: string;
  readonly reason: string;
}
// Keyed by file and SQL text, not line, so that editing a golden file does not unlist its differences.
const knownKey = (file: string, sql: string) => `${file}\u0000${sql.trim()}`;
const known = new Map(
  (JSON.parse(readFileSync(knownFile, 'utf8')) as KnownDifference[]).map((k) => [knownKey(k.file, k.sql), k]),
);
console.log(`Apache Spark ${PYSPARK_VERSION} (pyspark, local) on ${files.length} golden file(s)`);
const outcomes = await runSparkScript<SparkOutcome>(
  'spark_slt.py',
  files.map((f) => `${sqlDir}${f}`),
);
const byKey = new Map(outcomes.map((o) => [`${o.file}:${o.line}`, o]));

const unknown: Disagreement[] = [];
const listed: Disagreement[] = [];
let compared = 0;
const agreeing = new Set<string>();
let agree = 0;
const seen = new Set<string>();
for (const file of files) {
  for (const record of parseSlt(readFileSync(`${sqlDir}${file}`, 'utf8'))) {
    if (record.kind === 'comment') continue;
    const spark = byKey.get(`${file}:${record.line}`);
    if (!spark) throw new Error(`no Spark outcome for ${file}:${record.line}`);
    compared++;
    const key = knownKey(file, record.sql);
    seen.add(key);
    const d = compareRecord(file, record, spark);
    if (!d) {
      agreeing.add(key);
      agree++;
    } else if (known.has(key)) listed.push(d);
    else unknown.push(d);
  }
}
const stale = [...known.values()].filter(
  (k) =>
    files.includes(k.file) && (agreeing.has(knownKey(k.file, k.sql)) || !seen.has(knownKey(k.file, k.sql))),
);

for (const d of unknown) {
  console.log(
    `\n✖ ${d.key} (${d.what})\n  ${d.sql.replace(/\n/g, '\n  ')}\n  golden: ${d.golden}\n  spark:  ${d.spark}`,
  );
}
for (const k of stale)
  console.log(`\n✖ ${k} is listed in known-differences.json but now agrees with Spark: remove it`);
console.log(
  `\n${compared} records compared: ${agree} agree with Spark, ${listed.length} differ as documented, ${unknown.length} differ undocumented, ${stale.length} stale entries`,
);

// The engine's random differential corpus (also checked against DuckDB by npm test), on Spark.
const differential = only.length === 0 ? await differentialOnSpark() : { compared: 0, mismatches: [] };
for (const m of differential.mismatches) {
  console.log(`\n✖ differential ${m.id}\n  ${m.sql}\n  sluice: ${m.sluice}\n  spark:  ${m.spark}`);
}
if (only.length === 0)
  console.log(
    `${differential.compared} random differential queries: ${differential.compared - differential.mismatches.length} agree with Spark, ${differential.mismatches.length} differ`,
  );
// The streaming goldens (packages/engine/test/streaming), each run on Spark as a stream.
const streaming = await streamingGoldensOnSpark(process.argv.includes('--update-streaming'), only);
for (const d of streaming.disagreements) console.log(`\n✖ streaming golden ${d}`);
for (const n of streaming.updated) console.log(`↻ streaming golden ${n} rewritten from Spark`);
console.log(
  `${streaming.compared} streaming goldens: ${streaming.agree} agree with Spark batch for batch, ${streaming.refusedAlike} refused by both with the same message, ${streaming.sluiceOnly.length} Sluice-only (reason in golden/provenance.json), ${streaming.disagreements.length} differ`,
);
process.exit(
  unknown.length === 0 &&
    stale.length === 0 &&
    differential.mismatches.length === 0 &&
    streaming.disagreements.length === 0
    ? 0
    : 1,
);
