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
  /**
   * The events serialized beforehand (`PreparedEvents`), stamped as they are sent: the latency runs'
   * producer then spends its CPU on sending, not generating, on a machine it shares with the system.
   */
  readonly prepared?: PreparedEvents;
  /** Called with the wall-clock time just before event number `at` is stamped (the latency runs' warm-up end). */
  readonly mark?: { readonly at: number; readonly call: (nowMs: number) => void };
}

const CHUNK = 5_000;

/** A wall-clock time in milliseconds with the 13 digits every time from 2001 to 2286 has. */
const PLACEHOLDER_MS = 1_000_000_000_000;
const DATE_TIME_FIELD = Buffer.from(`"dateTime":${PLACEHOLDER_MS}`);
const EXPIRES_FIELD = Buffer.from('"expires":');

/**
 * Events serialized as JSON ahead of sending, each with the places of its time fields, so that
 * `stamp(i, nowMs)` gives exactly `JSON.stringify(generator.event(first + i, nowMs))` by writing 13
 * digits (an auction's `expires`, `dateTime` + its lifetime, too).
 */
export class PreparedEvents {
  private readonly values: Buffer[] = [];
  /** Per event: the offset of `dateTime`'s digits, of `expires`'s (-1: none) and its lifetime. */
  private readonly places: Int32Array;

  constructor(
    gen: NexmarkGenerator,
    first: number,
    readonly count: number,
  ) {
    this.places = new Int32Array(count * 3);
    for (let i = 0; i < count; i++) {
      const e = gen.event(first + i, PLACEHOLDER_MS);
      const value = Buffer.from(JSON.stringify(e));
      const dateTimeAt = value.indexOf(DATE_TIME_FIELD);
      if (dateTimeAt < 0) throw new Error(`event ${first + i} has no dateTime field`);
      this.places[i * 3] = dateTimeAt + DATE_TIME_FIELD.length - 13;
      this.places[i * 3 + 1] = -1;
      if (e.auction) {
        this.places[i * 3 + 1] = value.indexOf(EXPIRES_FIELD) + EXPIRES_FIELD.length;
        this.places[i * 3 + 2] = e.auction.expires - PLACEHOLDER_MS;
      }
      this.values.push(value);
    }
  }

  /** Event `i`'s value with its time set to `nowMs` (the buffer is reused: send it before the next stamp of `i`). */
  stamp(i: number, nowMs: number): Buffer {
    const value = this.values[i]!;
    writeDigits13(value, this.places[i * 3]!, nowMs);
    const expiresAt = this.places[i * 3 + 1]!;
    if (expiresAt >= 0) writeDigits13(value, expiresAt, nowMs + this.places[i * 3 + 2]!);
    return value;
  }
}

function writeDigits13(buf: Buffer, at: number, ms: number): void {
  if (ms < 1e12 || ms >= 1e13) throw new RangeError(`${ms} is not a 13-digit time`);
  let n = ms;
  for (let k = at + 12; k >= at; k--) {
    buf[k] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

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
      const value = o.prepared
        ? o.prepared.stamp(j, now)
        : JSON.stringify(o.wallClockTime ? gen.event(j, now) : gen.event(j));
      messages.push({ value, partition: j % o.partitions });
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
  const prepared = new PreparedEvents(new NexmarkGenerator(), 0, Number(events));
  await produceEvents({
    producer,
    topic: topic!,
    partitions: Number(partitions),
    events: Number(events),
    prepared,
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
