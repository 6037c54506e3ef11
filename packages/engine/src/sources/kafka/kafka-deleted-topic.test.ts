/**
 * A topic deleted under a running query: with `failOnDataLoss` true the query fails with Spark's
 * data-loss message; with false it warns and goes on, and a topic re-created under the same name is
 * read from its beginning (its partitions are new partitions), as Spark does.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getMemoryTable } from '../../sinks/memory-sink.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';
import { produceValues, useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('kafka-deleted-topic');
const { session, uniq, createTopic, track } = env;

const produce = (topic: string, values: string[]) => produceValues(env.kafka, topic, values);

async function deleteTopic(topic: string): Promise<void> {
  const admin = env.kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
  // Deletion is asynchronous on Apache Kafka: wait until the topic is gone from the metadata.
  const deadline = Date.now() + 30_000;
  while ((await admin.listTopics()).includes(topic)) {
    if (Date.now() > deadline) throw new Error(`topic ${topic} still listed`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await admin.disconnect();
}

const values = (name: string): string[] =>
  (getMemoryTable(name)?.rows ?? []).map((r) => Buffer.from(r[0] as Uint8Array).toString());

function start(topic: string, name: string, failOnDataLoss: string): StreamingQuery {
  return track(
    session()
      .readStream.format('kafka')
      .option('kafka.bootstrap.servers', env.broker.bootstrap)
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('failOnDataLoss', failOnDataLoss)
      .load()
      .selectExpr('value')
      .writeStream.format('memory')
      .queryName(name)
      .option('checkpointLocation', path.join(env.dir, uniq('ck')))
      .start() as StreamingQuery,
  );
}

describe('a topic deleted while a query reads it', () => {
  it('failOnDataLoss=true fails the query with the data-loss message', async () => {
    const topic = uniq('gone');
    await createTopic(topic);
    await produce(topic, ['a', 'b']);
    const name = uniq('gone_fail');
    const q = start(topic, name, 'true');
    await q.processAllAvailable();
    expect(values(name)).toEqual(['a', 'b']);
    await deleteTopic(topic);
    await expect(q.awaitTermination()).rejects.toThrow(
      /are gone[\s\S]*Some data may have been lost because they are not available in Kafka any more/,
    );
  });

  it('failOnDataLoss=false warns, keeps running, and reads a re-created topic from its start', async () => {
    const topic = uniq('gone');
    await createTopic(topic);
    await produce(topic, ['a', 'b']);
    const name = uniq('gone_warn');
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: unknown) => warnings.push(String(m));
    try {
      const q = start(topic, name, 'false');
      await q.processAllAvailable();
      await deleteTopic(topic);
      const deadline = Date.now() + 30_000;
      while (!warnings.some((w) => w.includes('are gone'))) {
        if (Date.now() > deadline) throw new Error(`no data-loss warning; got ${JSON.stringify(warnings)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(q.isActive).toBe(true);
      await createTopic(topic);
      await produce(topic, ['c']);
      const until = Date.now() + 30_000;
      while (values(name).length < 3) {
        if (Date.now() > until) throw new Error(`re-created topic not read: ${JSON.stringify(values(name))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(values(name)).toEqual(['a', 'b', 'c']);
    } finally {
      console.warn = warn;
    }
  });
});
