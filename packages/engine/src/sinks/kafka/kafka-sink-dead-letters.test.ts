/**
 * Stage `sink` dead letters: records the Kafka sink cannot write (a null topic, a record larger than
 * `kafka.max.request.size`) go to the dead-letter topic with their context instead of failing the
 * query, when the query dead-letters; with `onError=fail` the query fails as Spark's does.
 */
import * as path from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { useKafkaTestEnv } from '../../sources/kafka/test-support/kafka-test-env.js';
import { MemoryStream } from '../../sources/memory-stream.js';
import { field, struct, T } from '../../sources/schema-util.js';
import { memoryStreamDF } from '../../streaming/data-stream-reader.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';

const env = useKafkaTestEnv('kafka-sink-dlq');
const { session, uniq, createTopic, track } = env;

async function readAll(topic: string, expected: number): Promise<KafkaMessage[]> {
  const consumer = env.kafka.consumer({ groupId: uniq('check') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: KafkaMessage[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push(message);
    },
  });
  const deadline = Date.now() + 20_000;
  while (out.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  return out;
}

const header = (m: KafkaMessage, k: string) => m.headers?.[k]?.toString();

describe('the Kafka sink rejects records into the dead-letter topic (stage sink)', () => {
  it('dead-letters a null topic and a too-large record; the rest is written; progress counts them', async () => {
    const s = session();
    const good = uniq('good');
    const dlq = uniq('sinkrej.dlq');
    await createTopic(good);
    const input = new MemoryStream(struct(field('topic', T.string), field('value', T.string)));
    const q = track(
      memoryStreamDF(s, input)
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('kafka.max.request.size', '1000')
        .option('onError', 'deadletter')
        .option('deadLetterTopic', dlq)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start() as StreamingQuery,
    );
    input.addData([
      [good, 'a'],
      [null, 'no topic'],
      [good, 'x'.repeat(2000)],
      [good, 'b'],
    ]);
    await q.processAllAvailable();
    expect((await readAll(good, 2)).map((m) => m.value?.toString())).toEqual(['a', 'b']);
    const letters = await readAll(dlq, 2);
    expect(letters).toHaveLength(2);
    const byClass = Object.fromEntries(
      letters.map((m) => [header(m, '__sluice.errors.exception.class.name'), m]),
    );
    const nullTopic = byClass.KAFKA_NULL_TOPIC_IN_DATA!;
    expect(nullTopic.value?.toString()).toBe('no topic');
    expect(header(nullTopic, '__sluice.errors.stage')).toBe('sink');
    expect(header(nullTopic, '__sluice.errors.topic')).toBe('');
    expect(header(nullTopic, '__sluice.errors.batch.id')).toBe('0');
    const tooLarge = byClass.KAFKA_RECORD_TOO_LARGE!;
    expect(tooLarge.value?.length).toBe(2000);
    expect(header(tooLarge, '__sluice.errors.topic')).toBe(good);
    expect(header(tooLarge, '__sluice.errors.offset')).toBe('-1');
    expect(header(tooLarge, '__sluice.errors.exception.message')).toMatch(
      /^\[KAFKA_RECORD_TOO_LARGE\] The message is \d+ bytes when serialized which is larger than 1000, which is the value of the max.request.size configuration.$/,
    );
    // in = out + dead letters, at the sink.
    const p = q.recentProgress.find((x) => x.numInputRows > 0)!;
    expect(p.numInputRows).toBe(4);
    expect(p.sink.numOutputRows).toBe(2);
    expect(p.sink.metrics?.numDeadLetters).toBe('2');
    // All stages' dead letters of the batch, as a named observation.
    expect(p.observedMetrics).toEqual({ deadLetters: { numDeadLetters: 2 } });
  });

  it('fails the query with the record error when onError=fail (Spark)', async () => {
    const s = session();
    const input = new MemoryStream(struct(field('topic', T.string), field('value', T.string)));
    const q = track(
      memoryStreamDF(s, input)
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start() as StreamingQuery,
    );
    input.addData([[null, 'no topic']]);
    await expect(q.processAllAvailable()).rejects.toThrow(
      'null topic present in the data. Use the topic option for setting a topic.',
    );
  });
});
