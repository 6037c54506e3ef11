/**
 * The broker restarts while a query runs (same port, same data directory): the Kafka source and the
 * exactly-once Kafka sink ride through it — every record of the input topic reaches the output topic
 * once for a `read_committed` reader, none lost, none doubled.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RunningBroker, startBroker } from '@sluice/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../session/session.js';
import '../../streaming/index.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';
import { produceValues } from './test-support/kafka-test-env.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-broker-restart-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The committed values of `topic` (read_committed), read from the beginning. */
async function committedValues(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `check-${Date.now()}`, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: string[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push(message.value?.toString() ?? '');
    },
  });
  const deadline = Date.now() + 30_000;
  while (out.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // Anything beyond the expected count would show up within a moment.
  await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  return out;
}

describe('a broker restart in the middle of a query', () => {
  it('loses and doubles nothing through the Kafka source and the exactly-once Kafka sink', async () => {
    const dataDir = path.join(dir, 'broker');
    let broker: RunningBroker = await startBroker({ port: 0, dataDir, groupInitialRebalanceDelayMs: 0 });
    const port = broker.port;
    const kafka = new Kafka({
      brokers: [broker.bootstrap],
      clientId: 'restart-test',
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'in', numPartitions: 2 },
        { topic: 'out', numPartitions: 1 },
      ],
    });
    await admin.disconnect();
    await produceValues(
      kafka,
      'in',
      Array.from({ length: 10 }, (_, i) => `r${i}`),
    );

    const s = Session.builder().create();
    const q = s.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', broker.bootstrap)
      .option('subscribe', 'in')
      .option('startingOffsets', 'earliest')
      .load()
      .selectExpr('value')
      .writeStream.format('kafka')
      .option('kafka.bootstrap.servers', broker.bootstrap)
      .option('topic', 'out')
      .option('exactlyOnce', 'true')
      .option('checkpointLocation', path.join(dir, 'checkpoint'))
      .trigger({ processingTime: '100 milliseconds' })
      .start() as StreamingQuery;
    try {
      await q.processAllAvailable();
      // Down for a while, then back on the same port with the same data.
      await broker.stop();
      await new Promise((r) => setTimeout(r, 1500));
      broker = await startBroker({ port, dataDir, groupInitialRebalanceDelayMs: 0 });
      await produceValues(
        kafka,
        'in',
        Array.from({ length: 10 }, (_, i) => `r${i + 10}`),
      );
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (!q.isActive) break;
        const end = q.lastProgress?.sources[0]?.endOffset as { in?: Record<string, number> } | undefined;
        const consumed = Object.values(end?.in ?? {}).reduce((a, b) => a + b, 0);
        if (consumed >= 20) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(q.exception?.message).toBeUndefined();
      expect(q.isActive).toBe(true);
      const values = await committedValues(kafka, 'out', 20);
      expect([...values].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`).sort());
    } finally {
      await q.stop();
      await broker.stop();
    }
  }, 120_000);
});
