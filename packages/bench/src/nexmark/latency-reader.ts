/**
 * The latency runs' output reader, in its own process (`fork`ed by run.ts with `<bootstrap> <topic>
 * <partitions> [receipt]`) so that reading and measuring the output does not run on the event loop of the system
 * under test. For each output record it takes the record's timestamp − the `dateTime` field of its
 * value (the time the producer process stamped the event); with `receipt` (the harness's floor: the
 * input topic read directly), the time the reader got the record − its `dateTime`. Messages from the parent: `{ measureFrom }` (events
 * stamped before it are the warm-up's) and `{ stop: true }`, answered with `{ latencies }` (sorted).
 * It reports `{ warmedUp, measured }` counts every 20 ms.
 */
import { followKafkaTopic } from '@sluice/engine';
import { Kafka, logLevel } from 'kafkajs';

export type ReaderMessage = { measureFrom: number } | { stop: true };
export type ReaderReport = { warmedUp: number; measured: number } | { latencies: number[] };

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
        if (dateTime >= measureFrom) latencies.push(at - dateTime);
        else warmedUp++;
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
        latencies.sort((a, b) => a - b);
        process.send!({ latencies }, () => process.exit(0));
      });
    }
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
