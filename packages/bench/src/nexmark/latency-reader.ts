/**
 * The latency runs' output reader, in its own process (`fork`ed by run.ts with `<bootstrap> <topic>
 * [receipt]`) so that reading and measuring the output does not run on the event loop of the system
 * under test. For each output record it takes the record's timestamp − the `dateTime` field of its
 * value (the time the producer process stamped the event); with `receipt` (the harness's floor: the
 * input topic read directly), the time the reader got the record − its `dateTime`. Messages from the parent: `{ measureFrom }` (events
 * stamped before it are the warm-up's) and `{ stop: true }`, answered with `{ latencies }` (sorted).
 * It reports `{ warmedUp, measured }` counts every 20 ms.
 */
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
  const [bootstrap, topic, clock] = process.argv.slice(2);
  const atReceipt = clock === 'receipt';
  const kafka = new Kafka({
    brokers: [bootstrap!],
    clientId: 'nexmark-latency-reader',
    logLevel: logLevel.NOTHING,
  });
  const latencies: number[] = [];
  let warmedUp = 0;
  let measureFrom = Number.POSITIVE_INFINITY;
  const reader = kafka.consumer({
    groupId: `nexmark-latency-reader-${process.pid}`,
    maxWaitTimeInMs: 10,
    minBytes: 1,
    maxBytesPerPartition: 8 * 1024 * 1024,
  });
  await reader.connect();
  await reader.subscribe({ topics: [topic!], fromBeginning: true });
  await reader.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const receivedAt = Date.now();
      for (const m of batch.messages) {
        const dateTime = m.value ? dateTimeOf(m.value) : undefined;
        if (dateTime === undefined) continue;
        const at = atReceipt ? receivedAt : Number(m.timestamp);
        if (dateTime >= measureFrom) latencies.push(at - dateTime);
        else warmedUp++;
      }
    },
  });
  const report = setInterval(() => process.send!({ warmedUp, measured: latencies.length }), 20);
  process.on('message', (m: ReaderMessage) => {
    if ('measureFrom' in m) measureFrom = m.measureFrom;
    else {
      clearInterval(report);
      void reader.disconnect().finally(() => {
        latencies.sort((a, b) => a - b);
        process.send!({ latencies }, () => process.exit(0));
      });
    }
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
