/** Throughput and produce latency with kafkajs 2.2.4. */
import { Kafka, logLevel } from 'kafkajs';
import { percentile, type Throughput } from './stats.js';

const client = (bootstrap: string) =>
  new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });

export async function kafkajsProduce(
  bootstrap: string,
  topic: string,
  messageBytes: number,
  count: number,
  batch = 1000,
): Promise<Throughput> {
  const producer = client(bootstrap).producer();
  await producer.connect();
  const value = Buffer.alloc(messageBytes, 'x');
  const messages = Array.from({ length: batch }, () => ({ value }));
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < count; sent += batch) {
    await producer.send({
      topic,
      acks: -1,
      messages: sent + batch <= count ? messages : messages.slice(0, count - sent),
    });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await producer.disconnect();
  return { client: 'kafkajs', phase: 'produce', messageBytes, messages: count, seconds };
}

export async function kafkajsConsume(
  bootstrap: string,
  topic: string,
  messageBytes: number,
  count: number,
): Promise<Throughput> {
  const consumer = client(bootstrap).consumer({
    groupId: `bench-${topic}-${Date.now()}`,
    maxBytes: 50 * 1024 * 1024,
    maxBytesPerPartition: 10 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= count) resolve();
      },
    });
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await consumer.disconnect();
  return { client: 'kafkajs', phase: 'consume', messageBytes, messages: count, seconds };
}

/** Sequential single-message sends with acks=all: the round trip a synchronous producer waits. */
export async function kafkajsLatency(
  bootstrap: string,
  topic: string,
  messageBytes: number,
  samples: number,
) {
  const producer = client(bootstrap).producer();
  await producer.connect();
  const value = Buffer.alloc(messageBytes, 'y');
  for (let i = 0; i < 200; i++) await producer.send({ topic, acks: -1, messages: [{ value }] });
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint();
    await producer.send({ topic, acks: -1, messages: [{ value }] });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await producer.disconnect();
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms[ms.length - 1]! };
}

export async function highWatermark(bootstrap: string, topic: string): Promise<number> {
  const admin = client(bootstrap).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.reduce((n, o) => n + Number(o.high), 0);
}
