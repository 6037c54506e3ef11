/**
 * The latency runs' output reader, in its own process (`fork`ed by run.ts with `<bootstrap> <topic>
 * <partitions> [receipt]`) so that reading and measuring the output does not run on the event loop
 * of the system under test. For each output record it takes the record's timestamp − the `dateTime`
 * field of its value (the time the producer process stamped the event); with `receipt` (the
 * harness's floor: the input topic read directly), the time the reader got the record − its
 * `dateTime`. Messages from the parent: `{ measureFrom }` (events stamped before it are the
 * warm-up's) and `{ stop: true }`, answered with `{ latencies }` (sorted). It reports
 * `{ warmedUp, measured }` counts every 20 ms.
 */
import { followKafkaTopic } from '@sluice/engine';
import { Kafka, logLevel } from 'kafkajs';

export type ReaderMessage = { measureFrom: number } | { stop: true };
export type ReaderReport = { warmedUp: number; measured: number } | { latencies: number[]; slowest?: string };

/**
 * Where the slowest 1% of the measured events fell (verbose runs): their send times, as ms after the
 * measurement's start, grouped into runs of events sent within 20 ms of each other, with each run's
 * count and largest latency — a few long stalls or a spread of small ones.
 */
export function slowestRuns(sentAt: readonly number[], latencies: readonly number[], from: number): string {
  const order = latencies.map((_, i) => i).sort((a, b) => latencies[b]! - latencies[a]!);
  const slow = order
    .slice(0, Math.max(1, Math.ceil(order.length / 100)))
    .sort((a, b) => sentAt[a]! - sentAt[b]!);
  const runs: { start: number; end: number; count: number; max: number }[] = [];
  for (const i of slow) {
    const at = sentAt[i]! - from;
    const last = runs.at(-1);
    if (last && at - last.end <= 20) {
      last.end = at;
      last.count++;
      last.max = Math.max(last.max, latencies[i]!);
    } else runs.push({ start: at, end: at, count: 1, max: latencies[i]! });
  }
  return runs.map((r) => `+${r.start}–${r.end} ms: ${r.count} events, max ${r.max} ms`).join('; ');
}

const DATE_TIME = Buffer.from('"dateTime":');

/**
 * The top-level `dateTime` of a q0/q1 output value (flat JSON objects with one `dateTime` field),
 * read without parsing the whole record.
 */
export function dateTimeOf(value: Buffer): number | undefined {
  const at = value.indexOf(DATE_TIME);
  if (at < 0) return undefined;
  let n = 0;
  let i = at + DATE_TIME.length;
  const start = i;
  for (; i < value.length; i++) {
    const c = value[i]! - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  return i > start ? n : undefined;
}

async function main(): Promise<void> {
  const [bootstrap, topic, partitions, clock] = process.argv.slice(2);
  const atReceipt = clock === 'receipt';
  const kafka = new Kafka({
    brokers: [bootstrap!],
    clientId: 'nexmark-latency-reader',
    logLevel: logLevel.NOTHING,
  });
  const latencies: number[] = [];
  // The send times, for `slowestRuns` (verbose runs only).
  const verbose = Boolean(process.env.NEXMARK_VERBOSE);
  const sentAt: number[] = [];
  let warmedUp = 0;
  let measureFrom = Number.POSITIVE_INFINITY;
  // The Kafka source's own fetcher and record decoder, without a consumer group: about half the CPU
  // of a kafkajs consumer, which the measured system would otherwise lose on a 2-core machine.
  const follower = followKafkaTopic(
    kafka,
    topic!,
    Array.from({ length: Number(partitions) }, (_, partition) => ({ partition, offset: 0 })),
    (records) => {
      const receivedAt = Date.now();
      for (const r of records) {
        const dateTime = r.value ? dateTimeOf(r.value) : undefined;
        if (dateTime === undefined) continue;
        const at = atReceipt ? receivedAt : r.timestampMs;
        if (dateTime >= measureFrom) {
          latencies.push(at - dateTime);
          if (verbose) sentAt.push(dateTime);
        } else warmedUp++;
      }
    },
    (error) => {
      console.error(`latency reader: ${error.message}`);
      process.exit(1);
    },
  );
  const report = setInterval(() => process.send!({ warmedUp, measured: latencies.length }), 20);
  process.on('message', (m: ReaderMessage) => {
    if ('measureFrom' in m) measureFrom = m.measureFrom;
    else {
      clearInterval(report);
      void follower.stop().finally(() => {
        const slowest = verbose ? slowestRuns(sentAt, latencies, measureFrom) : undefined;
        latencies.sort((a, b) => a - b);
        process.send!({ latencies, ...(slowest ? { slowest } : {}) }, () => process.exit(0));
      });
    }
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
