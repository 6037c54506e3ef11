/**
 * Writes Nexmark events to a Kafka topic, at full speed or at a target rate, as JSON values with the
 * event number's partition. Used by the harness in-process (loading a run's input) and as its own
 * process for the latency runs (`node producer.js <bootstrap> <topic> <partitions> <events> <rate>
 * [<warm-up events>]`, telling its parent `{ measureFrom }` when the warm-up's events are sent),
 * where each event's `dateTime` is the wall-clock time it is produced, so that an output's append
 * time minus its `dateTime` is the end-to-end latency.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { NexmarkGenerator } from './generator.js';

export interface ProduceOptions {
  readonly producer: Producer;
  readonly topic: string;
  readonly partitions: number;
  readonly events: number;
  /** Events per second; 0 = as fast as the broker takes them. */
  readonly rate: number;
  /** Stamp events with the time they are sent (latency runs) instead of the generator's event time. */
  readonly wallClockTime: boolean;
  readonly generator?: NexmarkGenerator;
  /** Called with the wall-clock time just before event number `at` is stamped (the latency runs' warm-up end). */
  readonly mark?: { readonly at: number; readonly call: (nowMs: number) => void };
}

const CHUNK = 5_000;

/** Produces `events` events; resolves with the elapsed milliseconds once all are acknowledged. */
export async function produceEvents(o: ProduceOptions): Promise<number> {
  const gen = o.generator ?? new NexmarkGenerator();
  const start = performance.now();
  // In rate mode, send small chunks on a 10 ms schedule so events are spread evenly in time.
  const chunk = o.rate > 0 ? Math.max(1, Math.round(o.rate / 100)) : CHUNK;
  for (let i = 0; i < o.events; i += chunk) {
    if (o.rate > 0) {
      const due = start + (i / o.rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const messages = [];
    const now = Date.now();
    if (o.mark && i <= o.mark.at && o.mark.at < i + chunk) o.mark.call(now);
    for (let j = i; j < Math.min(o.events, i + chunk); j++) {
      const e = o.wallClockTime ? gen.event(j, now) : gen.event(j);
      messages.push({ value: JSON.stringify(e), partition: j % o.partitions });
    }
    await o.producer.send({ topic: o.topic, messages, acks: -1 });
  }
  return performance.now() - start;
}

async function main(): Promise<void> {
  const [bootstrap, topic, partitions, events, rate, warmUpEvents] = process.argv.slice(2);
  const kafka = new Kafka({
    brokers: [bootstrap!],
    clientId: 'nexmark-producer',
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  await produceEvents({
    producer,
    topic: topic!,
    partitions: Number(partitions),
    events: Number(events),
    rate: Number(rate),
    wallClockTime: true,
    // The parent measures from the first event after the warm-up (its chunk's stamp).
    ...(warmUpEvents
      ? { mark: { at: Number(warmUpEvents), call: (now) => process.send?.({ measureFrom: now }) } }
      : {}),
  });
  await producer.disconnect();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
