/**
 * The engine's streaming goldens on Apache Spark: each query (its `.sql` text, or the PySpark twin of
 * a `.ts` query) runs on Spark over the same inputs laid out one file per micro-batch, and Spark's
 * batches are compared with the stored golden. `golden/provenance.json` records where each golden's
 * expectation came from: `spark <version>` (re-derived and checked here; `--update-streaming`
 * rewrites the file from Spark) or `sluice` with the reason Spark cannot produce it. A query that
 * Sluice refuses (`--fail=`) must be refused by Spark too, with the same message text.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PYSPARK_VERSION } from './spark-env.js';
import { runSparkScript } from './spark-run.js';

const root = fileURLToPath(new URL('../../engine/test/streaming/', import.meta.url));
const provenanceFile = `${root}golden/provenance.json`;

interface Outcome {
  readonly name: string;
  readonly status: 'ran' | 'error' | 'no-twin';
  readonly golden?: string;
  readonly error?: { errorClass: string | null; message: string };
}

export interface Provenance {
  readonly source: string;
  readonly script?: string;
  readonly reason?: string;
}

export interface StreamingGoldenReport {
  readonly compared: number;
  readonly agree: number;
  readonly refusedAlike: number;
  readonly sluiceOnly: string[];
  readonly disagreements: string[];
  readonly updated: string[];
}

function failExpectation(name: string): string | undefined {
  const sql = `${root}queries/${name}.sql`;
  if (!existsSync(sql)) return undefined;
  const m = /^--fail=(.*)$/m.exec(readFileSync(sql, 'utf8'));
  return m?.[1]?.trim();
}

export async function streamingGoldensOnSpark(
  update: boolean,
  only: readonly string[] = [],
): Promise<StreamingGoldenReport> {
  const provenance = JSON.parse(readFileSync(provenanceFile, 'utf8')) as Record<string, Provenance>;
  const names = readdirSync(`${root}queries`)
    .filter((f) => /\.(sql|ts)$/.test(f))
    .map((f) => f.replace(/\.(sql|ts)$/, ''))
    .filter((n) => only.length === 0 || only.some((o) => n.includes(o)))
    .sort();
  const outcomes = await runSparkScript<Outcome>('spark_streaming_goldens.py', [root, ...names]);
  const sparkSource = `spark ${PYSPARK_VERSION}`;
  const report = {
    compared: 0,
    agree: 0,
    refusedAlike: 0,
    sluiceOnly: [] as string[],
    disagreements: [] as string[],
    updated: [] as string[],
  };
  for (const o of outcomes) {
    report.compared++;
    const fail = failExpectation(o.name);
    if (fail !== undefined) {
      if (o.status !== 'error')
        report.disagreements.push(`${o.name}: Sluice refuses it (${fail}); Spark runs it`);
      else if (!o.error!.message.includes(fail))
        report.disagreements.push(
          `${o.name}: refused by both, Sluice says "${fail}", Spark says "${o.error!.message}"`,
        );
      else report.refusedAlike++;
      continue;
    }
    const goldenFile = `${root}golden/${o.name}.jsonl`;
    const p = provenance[o.name];
    if (!p) {
      report.disagreements.push(`${o.name}: no entry in golden/provenance.json`);
      continue;
    }
    if (p.source === 'sluice') {
      report.sluiceOnly.push(`${o.name}: ${p.reason ?? 'no reason given'}`);
      continue;
    }
    if (o.status !== 'ran') {
      report.disagreements.push(
        `${o.name}: ${o.status === 'no-twin' ? 'no PySpark twin in spark_streaming_goldens.py' : `Spark failed: ${o.error!.message}`}`,
      );
      continue;
    }
    const stored = existsSync(goldenFile) ? readFileSync(goldenFile, 'utf8') : '';
    if (stored === o.golden) {
      report.agree++;
    } else if (update) {
      writeFileSync(goldenFile, o.golden!);
      report.updated.push(o.name);
    } else {
      report.disagreements.push(
        `${o.name}: golden differs from Spark\n  golden: ${stored.trim().split('\n').join('\n          ')}\n  spark:  ${o.golden!.trim().split('\n').join('\n          ')}`,
      );
    }
    if (p.source !== sparkSource && update) {
      provenance[o.name] = { source: sparkSource, script: 'packages/oracle/src/spark_streaming_goldens.py' };
    }
  }
  if (update) writeFileSync(provenanceFile, `${JSON.stringify(provenance, null, 2)}\n`);
  return report;
}
