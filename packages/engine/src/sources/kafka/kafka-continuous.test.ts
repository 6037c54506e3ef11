/**
 * Trigger.Continuous from Kafka to Kafka on the embedded broker over TCP: records are written as
 * they arrive (the source wakes the query when its fetcher buffers records), epochs are
 * checkpointed, a restart resumes after the last committed epoch (at least once, as Spark's
 * continuous processing), and the exactly-once sink is refused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../../streaming/index.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';
import { useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('kafka-continuous');
const { session, uniq, createTopic, track } = env;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function produce(topic: string, values: string[]): Promise<void> {
  const p = env.kafka.producer();
  await p.connect();
  await p.send({ topic, messages: values.map((value) => ({ value })), acks: -1 });
  await p.disconnect();
}

/** Values read so far from `topic` by a consumer kept running until `stop()`. */
async function reader(topic: string): Promise<{ values: string[]; stop: () => Promise<void> }> {
  const consumer = env.kafka.consumer({ groupId: uniq('reader'), maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      values.push(message.value?.toString() ?? '');
    },
  });
  return { values, stop: () => consumer.disconnect() };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function start(input: string, output: string, checkpoint: string, exactlyOnce = false): StreamingQuery {
  return track(
    session()
      .readStream.format('kafka')
      .option('kafka.bootstrap.servers', env.broker.bootstrap)
      .option('subscribe', input)
      .option('startingOffsets', 'earliest')
      .load()
      .selectExpr('upper(CAST(value AS STRING)) AS value')
      .writeStream.format('kafka')
      .option('kafka.bootstrap.servers', env.broker.bootstrap)
      .option('topic', output)
      .option('exactlyOnce', String(exactlyOnce))
      .option('checkpointLocation', checkpoint)
      .trigger({ continuous: '1 second' })
      .start() as StreamingQuery,
  );
}

describe('Trigger.Continuous with the Kafka source and sink', () => {
  it('writes records as they arrive and resumes after the last committed epoch', async () => {
    const input = uniq('cont-in');
    const output = uniq('cont-out');
    await createTopic(input);
    await createTopic(output);
    const ck = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-continuous-'));
    dirs.push(ck);
    const out = await reader(output);
    try {
      const q1 = start(input, output, ck);
      await produce(input, ['a', 'b', 'c']);
      await until(() => out.values.length >= 3, 'the first records');
      // Wait for an epoch commit that covers them, then stop.
      await until(() => fs.existsSync(path.join(ck, 'commits', '0')), 'an epoch commit');
      await until(
        () => (q1.recentProgress.at(-1)?.sources[0]?.endOffset as object | undefined) !== undefined,
        'progress',
      );
      const committedEpochs = fs.readdirSync(path.join(ck, 'commits')).length;
      expect(committedEpochs).toBeGreaterThan(0);
      await q1.stop();
      expect(q1.exception).toBeNull();

      await produce(input, ['d', 'e']);
      const q2 = start(input, output, ck);
      await until(
        () => out.values.includes('D') && out.values.includes('E'),
        'the records after the restart',
      );
      await q2.stop();
      // At least once: everything arrived, upper-cased; a record of an uncommitted epoch may repeat.
      expect(new Set(out.values)).toEqual(new Set(['A', 'B', 'C', 'D', 'E']));
    } finally {
      await out.stop();
    }
  }, 60_000);

  it('refuses the exactly-once sink', async () => {
    const input = uniq('cont-eo-in');
    const output = uniq('cont-eo-out');
    await createTopic(input);
    await createTopic(output);
    const ck = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-continuous-eo-'));
    dirs.push(ck);
    const q = start(input, output, ck, true);
    await produce(input, ['x']);
    await expect(q.awaitTermination()).rejects.toThrow(
      /STREAMING_CONTINUOUS_UNSUPPORTED.*exactly-once Kafka sink/,
    );
  }, 30_000);
});
