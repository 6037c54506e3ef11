/**
 * Trigger.Continuous from Kafka to Kafka on the embedded broker over TCP: records are written as
 * they arrive (the source wakes the query when its fetcher buffers records, long before the epoch
 * interval ends, read from its buffers without a ListOffsets request), epochs are checkpointed, a restart resumes after the last committed epoch (at
 * least once, as Spark's continuous processing), and the exactly-once sink is refused at start().
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import '../../streaming/index.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';
import { KafkaMicroBatchStream } from './kafka-source.js';
import { produceValues, until, useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('kafka-continuous');
const { session, uniq, createTopic, track } = env;

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

/** An input and an output topic and a checkpoint directory of their own. */
async function topics(prefix: string): Promise<{ input: string; output: string; ck: string }> {
  const input = uniq(`${prefix}-in`);
  const output = uniq(`${prefix}-out`);
  await createTopic(input);
  await createTopic(output);
  return { input, output, ck: path.join(env.dir, uniq('ck')) };
}

/** Kafka → upper-case → Kafka, with epochs of 60 s (so only the source's wake-up delivers early). */
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
      .trigger({ continuous: '60 seconds' })
      .start() as StreamingQuery,
  );
}

describe('Trigger.Continuous with the Kafka source and sink', () => {
  it('writes records as they arrive and resumes after the last committed epoch', async () => {
    const { input, output, ck } = await topics('cont');
    const out = await reader(output);
    // Counts the source's ListOffsets rounds (the real method runs).
    const latestOffset = vi.spyOn(KafkaMicroBatchStream.prototype, 'latestOffset');
    try {
      const q1 = start(input, output, ck);
      await produceValues(env.kafka, input, ['a']);
      await until(() => out.values.includes('A'), 'the first record');
      const asked = latestOffset.mock.calls.length;
      // The query found no more data and sleeps until its 60-second epoch ends: only the fetcher's
      // wake-up can deliver these within the wait.
      await produceValues(env.kafka, input, ['b', 'c']);
      await until(() => out.values.length >= 3, 'the records produced while the query slept');
      // Within the epoch they were read from the fetcher's buffers, without asking Kafka again.
      expect(latestOffset.mock.calls.length).toBe(asked);
      // Stopping commits the epoch in flight.
      await q1.stop();
      const committedEpochs = fs.readdirSync(path.join(ck, 'commits')).length;
      expect(committedEpochs).toBeGreaterThan(0);
      expect(q1.exception).toBeNull();

      await produceValues(env.kafka, input, ['d', 'e']);
      const q2 = start(input, output, ck);
      await until(
        () => out.values.includes('D') && out.values.includes('E'),
        'the records after the restart',
      );
      await q2.stop();
      // At least once: everything arrived, upper-cased; a record of an uncommitted epoch may repeat.
      expect(new Set(out.values)).toEqual(new Set(['A', 'B', 'C', 'D', 'E']));
    } finally {
      latestOffset.mockRestore();
      await out.stop();
    }
  }, 60_000);

  it('refuses the exactly-once sink', async () => {
    const { input, output, ck } = await topics('cont-eo');
    expect(() => start(input, output, ck, true)).toThrow(
      /STREAMING_CONTINUOUS_UNSUPPORTED.*exactly-once Kafka sink/,
    );
  });
});
