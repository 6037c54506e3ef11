/**
 * Kafka in batch queries: `session.read.format('kafka')` between starting and ending offsets or
 * timestamps, and `df.write.format('kafka').save()` — the seeds' batch write example.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../session/session.js';
import { produceMessages, useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('kafka-batch');
const { session, uniq, createTopic } = env;

const produce = (topic: string, messages: { value: string; partition?: number; timestamp?: string }[]) =>
  produceMessages(env.kafka, topic, messages);

function reader(s: Session, options: Record<string, string>) {
  return s.read.format('kafka').option('kafka.bootstrap.servers', env.broker.bootstrap).options(options);
}

const valuesOf = async (df: ReturnType<ReturnType<typeof reader>['load']>) =>
  (
    await df
      .selectExpr('CAST(value AS STRING) AS v', 'partition', 'offset')
      .orderBy('partition', 'offset')
      .collect()
  ).map((r) => r.get('v'));

describe('batch Kafka reads', () => {
  it('reads earliest to latest by default, with Spark’s schema, again at each action', async () => {
    const s = session();
    const topic = uniq('batch');
    await createTopic(topic, 2);
    await produce(topic, [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
    ]);
    const df = reader(s, { subscribe: topic }).load();
    expect(df.isStreaming).toBe(false);
    expect(df.columns).toEqual([
      'key',
      'value',
      'topic',
      'partition',
      'offset',
      'timestamp',
      'timestampType',
    ]);
    expect(await valuesOf(df)).toEqual(['a', 'b', 'c']);
    expect(await df.count()).toBe(3);
    await produce(topic, [{ value: 'd', partition: 1 }]);
    // endingOffsets=latest is resolved per action, as Spark re-reads a relation per action.
    expect(await df.count()).toBe(4);
  });

  it('honours startingOffsets/endingOffsets JSON (-2 earliest, -1 latest) and timestamps', async () => {
    const s = session();
    const topic = uniq('range');
    await createTopic(topic, 2);
    await produce(topic, [
      { value: 'p0-0', partition: 0, timestamp: '1000' },
      { value: 'p0-1', partition: 0, timestamp: '2000' },
      { value: 'p0-2', partition: 0, timestamp: '3000' },
      { value: 'p1-0', partition: 1, timestamp: '1500' },
    ]);
    const ranged = reader(s, {
      subscribe: topic,
      startingOffsets: JSON.stringify({ [topic]: { '0': 1, '1': -2 } }),
      endingOffsets: JSON.stringify({ [topic]: { '0': 2, '1': -1 } }),
    }).load();
    expect(await valuesOf(ranged)).toEqual(['p0-1', 'p1-0']);
    const byTime = reader(s, { subscribe: topic, startingTimestamp: '2000', endingTimestamp: '3000' }).load();
    // partition 0: [offset of 2000, offset of 3000) = p0-1; partition 1 has nothing at or after 2000
    expect(await valuesOf(byTime)).toEqual(['p0-1']);
    // the same through SQL over a temp view
    ranged.createOrReplaceTempView('ranged_kafka');
    expect((await s.sql('SELECT count(*) FROM ranged_kafka').collectValues())[0]).toEqual([2]);
  });

  it('refuses what Spark refuses for batch reads, with its messages', () => {
    const s = session();
    expect(() => reader(s, { subscribe: 't', startingOffsets: 'latest' }).load()).toThrow(
      "starting offset can't be latest for batch queries on Kafka",
    );
    expect(() => reader(s, { subscribe: 't', endingOffsets: 'earliest' }).load()).toThrow(
      "ending offset can't be earliest for batch queries on Kafka",
    );
    expect(() =>
      reader(s, { subscribe: 't', startingOffsets: JSON.stringify({ t: { '0': -1 } }) }).load(),
    ).toThrow("startingOffsets for t-0 can't be latest for batch queries on Kafka");
  });
});

describe('batch Kafka writes', () => {
  it("runs the seeds' batch example: selectExpr(topic, key, value).write.format('kafka').save()", async () => {
    const s = session();
    const out = uniq('batch_out');
    await createTopic(out);
    const dir = path.join(env.dir, uniq('in'));
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'part.json'),
      [
        { topic: out, key: 'k1', value: 'v1' },
        { topic: out, key: 'k2', value: 'v2' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    // Batch Source 로 부터 데이터를 읽어 Kafka Sink 로 1회 적재 합니다.
    const df = s.read.json(dir);
    await df
      .selectExpr('topic', 'CAST(key AS STRING)', 'CAST(value AS STRING)')
      .write.format('kafka')
      .option('kafka.bootstrap.servers', env.broker.bootstrap)
      .save();
    const back = await reader(s, { subscribe: out })
      .load()
      .selectExpr('CAST(key AS STRING) AS k', 'CAST(value AS STRING) AS v')
      .orderBy('k')
      .collectValues();
    expect(back).toEqual([
      ['k1', 'v1'],
      ['k2', 'v2'],
    ]);
  });

  it('writes to the topic option with headers and partition; refuses overwrite like Spark', async () => {
    const s = session();
    const out = uniq('batch_opt');
    await createTopic(out, 2);
    const df = s.sql(
      "SELECT 'x' AS value, 1 AS partition, array(named_struct('key', 'h', 'value', CAST('hv' AS BINARY))) AS headers",
    );
    await df.write
      .format('kafka')
      .option('kafka.bootstrap.servers', env.broker.bootstrap)
      .option('topic', out)
      .save();
    const back = await reader(s, { subscribe: out, includeHeaders: 'true' })
      .load()
      .selectExpr('CAST(value AS STRING)', 'partition', 'CAST(headers[0].value AS STRING)')
      .collectValues();
    expect(back).toEqual([['x', 1, 'hv']]);
    await expect(
      df.write
        .format('kafka')
        .mode('overwrite')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('topic', out)
        .save(),
    ).rejects.toThrow(
      'Save mode Overwrite not allowed for Kafka. Allowed save modes are Append and ErrorIfExists (default).',
    );
  });
});
