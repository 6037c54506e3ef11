/**
 * Dead letters of stage `parse` (streaming/dead-letters.ts), against the embedded broker over TCP:
 * a Kafka source with `valueFormat`/`schema`, records that do not parse go to the dead-letter topic
 * with their original key, value, headers and timestamp and the `__sluice.errors.*` headers, while the
 * good records give the right output; `onError` fail and drop; a restart neither loses nor repeats.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { getMemoryTable } from '../../sinks/memory-sink.js';
import '../../streaming/index.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';
import { produceMessages, useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('kafka-dlq');
const { session, uniq, createTopic, track } = env;

const produce = (
  topic: string,
  messages: { key?: string; value: string | null; headers?: Record<string, string>; timestamp?: string }[],
) => produceMessages(env.kafka, topic, messages);

/** Every record of a topic (read from the beginning). */
async function readAll(topic: string, expected: number): Promise<KafkaMessage[]> {
  const out: KafkaMessage[] = [];
  const c = env.kafka.consumer({ groupId: uniq('dlq-reader') });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  await c.run({
    eachMessage: async ({ message }) => {
      out.push(message);
      if (out.length >= expected) done();
    },
  });
  await Promise.race([
    finished,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`only ${out.length} of ${expected} dead letters`)), 20_000),
    ),
  ]);
  await c.disconnect();
  return out;
}

const header = (m: KafkaMessage, name: string): string | undefined => {
  const v = m.headers?.[name];
  return v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString() : String(v);
};

/** 100 orders, every tenth malformed (bad JSON, or a price that is not a number). */
function orders(): { key: string; value: string; headers: Record<string, string>; timestamp: string }[] {
  return Array.from({ length: 100 }, (_, i) => ({
    key: `k${i}`,
    value:
      i % 10 === 3
        ? i % 20 === 3
          ? `{"id": ${i}, "item": "broken`
          : `{"id": ${i}, "item": "x", "price": "not a number"}`
        : JSON.stringify({ id: i, item: `item-${i % 7}`, price: i * 1.5 }),
    headers: { trace: `t${i}` },
    timestamp: String(1_700_000_000_000 + i),
  }));
}

describe('dead letters (parse stage)', () => {
  it('10% malformed JSON: all ten in the dead-letter topic with their context, the good 90% give the right output', async () => {
    const s = session();
    const topic = uniq('orders');
    await createTopic(topic, 2);
    await produce(topic, orders());
    const df = env
      .readTopic(s, topic)
      .option('startingOffsets', 'earliest')
      .option('valueFormat', 'json')
      .option('schema', 'id BIGINT, item STRING, price DOUBLE')
      .load();
    expect(df.columns).toEqual([
      'id',
      'item',
      'price',
      'key',
      'value',
      'topic',
      'partition',
      'offset',
      'timestamp',
      'timestampType',
    ]);
    const name = uniq('orders_q').replace(/-/g, '_');
    const q: StreamingQuery = track(
      await df
        .groupBy('item')
        .count()
        .writeStream.format('memory')
        .outputMode('complete')
        .queryName(name)
        .option('onError', 'deadletter')
        .start(),
    );
    await q.processAllAvailable();
    const counts = new Map((getMemoryTable(name)?.rows ?? []).map((r) => [r[0] as string, r[1] as number]));
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(90);
    expect(counts.get('item-0')).toBe(orders().filter((_, i) => i % 10 !== 3 && i % 7 === 0).length);
    // Counting rule: rows in = rows aggregated + dead letters.
    const p = q.recentProgress.find((x) => x.numInputRows > 0)!;
    expect(p.numInputRows).toBe(100);
    expect(p.sources[0]!.numDeadLetters).toBe(10);

    const letters = await readAll(`${name}.dlq`, 10);
    expect(letters).toHaveLength(10);
    const byKey = new Map(letters.map((m) => [m.key!.toString(), m]));
    const original = orders()[13]!;
    const m = byKey.get('k13')!;
    expect(m.value!.toString()).toBe(original.value);
    expect(m.timestamp).toBe(original.timestamp);
    expect(header(m, 'trace')).toBe('t13');
    expect(header(m, '__sluice.errors.topic')).toBe(topic);
    expect(Number(header(m, '__sluice.errors.offset'))).toBeGreaterThanOrEqual(0);
    expect(['0', '1']).toContain(header(m, '__sluice.errors.partition'));
    expect(header(m, '__sluice.errors.query.id')).toBe(q.id);
    expect(header(m, '__sluice.errors.query.name')).toBe(name);
    expect(header(m, '__sluice.errors.run.id')).toBe(q.runId);
    expect(header(m, '__sluice.errors.batch.id')).toBe('0');
    expect(header(m, '__sluice.errors.stage')).toBe('parse');
    expect(header(m, '__sluice.errors.exception.class.name')).toBe(
      'MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION',
    );
    expect(header(m, '__sluice.errors.exception.message')).toContain(
      'Malformed records are detected in record parsing',
    );
    expect(header(m, '__sluice.errors.exception.stacktrace')).toBeTruthy();
    expect(Number(header(m, '__sluice.errors.timestamp'))).toBeGreaterThan(1_700_000_000_000);
    expect([...byKey.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, j) => `k${j * 10 + 3}`).sort());
  });

  it('onError=fail fails the query with the record’s error; onError=drop counts and goes on', async () => {
    const s = session();
    const topic = uniq('fail');
    await createTopic(topic);
    await produce(topic, [{ value: '{"id": 1}' }, { value: 'not json' }, { value: '{"id": 3}' }]);
    const source = () =>
      env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('valueFormat', 'json')
        .option('schema', 'id BIGINT')
        .load();
    const failing = track(
      source().writeStream.format('memory').queryName(uniq('f').replace(/-/g, '_')).start(),
    );
    await expect(failing.processAllAvailable()).rejects.toThrow(/MALFORMED_RECORD_IN_PARSING/);
    expect(failing.exception?.message).toMatch(/Malformed records are detected in record parsing: not json/);

    const name = uniq('d').replace(/-/g, '_');
    const dropping = track(
      source().writeStream.format('memory').queryName(name).option('onError', 'drop').start(),
    );
    await dropping.processAllAvailable();
    expect((getMemoryTable(name)?.rows ?? []).map((r) => r[0]).sort()).toEqual([1, 3]);
    const p = dropping.recentProgress.find((x) => x.numInputRows > 0)!;
    expect(p.numInputRows).toBe(3);
    expect(p.sources[0]!.numDroppedRecords).toBe(1);
    expect(() => source().writeStream.format('memory').option('onError', 'ignore').start()).toThrow(
      /onError/,
    );
  });

  it('a restart from the checkpoint neither loses nor repeats dead letters', async () => {
    const s = session();
    const topic = uniq('restart');
    await createTopic(topic);
    const checkpoint = fs.mkdtempSync(path.join(env.dir, 'dlq-cp-'));
    const name = uniq('r').replace(/-/g, '_');
    const run = async () => {
      const q = track(
        env
          .readTopic(s, topic)
          .option('startingOffsets', 'earliest')
          .option('valueFormat', 'json')
          .option('schema', 'id BIGINT')
          .load()
          .writeStream.format('memory')
          .queryName(name)
          .option('checkpointLocation', checkpoint)
          .option('deadLetterTopic', `${name}-letters`)
          .start(),
      );
      await q.processAllAvailable();
      await q.stop();
    };
    await produce(topic, [{ value: '{"id": 1}' }, { value: 'bad 1' }]);
    await run();
    await produce(topic, [{ value: 'bad 2' }, { value: '{"id": 2}' }]);
    await run();
    const letters = await readAll(`${name}-letters`, 2);
    expect(letters.map((m) => m.value!.toString()).sort()).toEqual(['bad 1', 'bad 2']);
    // Exactly two: the topic's end offset says nothing more was written.
    const admin = env.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(`${name}-letters`);
    await admin.disconnect();
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(2);
  });

  it('stage eval: a row an expression fails on (division by zero, an ANSI cast, a UDF) is set aside, the rest goes on', async () => {
    const s = session();
    const topic = uniq('eval');
    await createTopic(topic);
    await produce(topic, [
      { key: 'ok1', value: '{"a": 10, "b": 2, "s": "5"}' },
      { key: 'div0', value: '{"a": 1, "b": 0, "s": "1"}' },
      { key: 'cast', value: '{"a": 4, "b": 4, "s": "abc"}' },
      { key: 'udf', value: '{"a": 13, "b": 1, "s": "2"}' },
      { key: 'ok2', value: '{"a": 9, "b": 3, "s": "7"}' },
    ]);
    s.udf.register(
      'unlucky',
      (a: number) => {
        if (a === 13) throw new Error('thirteen');
        return a;
      },
      'bigint',
    );
    const name = uniq('ev').replace(/-/g, '_');
    env
      .readTopic(s, topic)
      .option('startingOffsets', 'earliest')
      .option('valueFormat', 'json')
      .option('schema', 'a INT, b INT, s STRING')
      .load()
      .createOrReplaceTempView(`${name}_in`);
    const q = track(
      s
        .sql(`SELECT key, a div b AS q, CAST(s AS INT) + unlucky(a) AS t FROM ${name}_in`)
        .writeStream.format('memory')
        .queryName(name)
        .option('deadLetterTopic', `${name}.dlq`)
        .start(),
    );
    await q.processAllAvailable();
    const rows = (getMemoryTable(name)?.rows ?? []).map((r) => [
      Buffer.from(r[0] as Uint8Array).toString(),
      r[1],
      r[2],
    ]);
    expect(rows.sort()).toEqual([
      ['ok1', 5, 15],
      ['ok2', 3, 16],
    ]);
    const p = q.recentProgress.find((x) => x.numInputRows > 0)!;
    expect(p.numInputRows).toBe(5);
    expect(p.sources[0]!.numDeadLetters).toBe(3);
    const letters = await readAll(`${name}.dlq`, 3);
    const byKey = new Map(letters.map((m) => [m.key!.toString(), m]));
    expect([...byKey.keys()].sort()).toEqual(['cast', 'div0', 'udf']);
    for (const m of letters) expect(header(m, '__sluice.errors.stage')).toBe('eval');
    expect(header(byKey.get('div0')!, '__sluice.errors.exception.class.name')).toBe('DIVIDE_BY_ZERO');
    expect(header(byKey.get('cast')!, '__sluice.errors.exception.class.name')).toBe('CAST_INVALID_INPUT');
    expect(header(byKey.get('udf')!, '__sluice.errors.exception.class.name')).toBe('FAILED_EXECUTE_UDF');
    expect(header(byKey.get('udf')!, '__sluice.errors.exception.message')).toContain('thirteen');
    expect(byKey.get('div0')!.value!.toString()).toBe('{"a": 1, "b": 0, "s": "1"}');
  });

  it('an error no single row explains (over aggregated values) still fails the query', async () => {
    const s = session();
    const topic = uniq('agg-err');
    await createTopic(topic);
    await produce(topic, [{ value: '{"a": 1}' }, { value: '{"a": -1}' }]);
    const q = track(
      env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('valueFormat', 'json')
        .option('schema', 'a INT')
        .load()
        .groupBy()
        .agg({ a: 'sum' })
        .selectExpr('1 div `sum(a)` AS x')
        .writeStream.format('memory')
        .outputMode('complete')
        .queryName(uniq('ae').replace(/-/g, '_'))
        .option('onError', 'deadletter')
        .start(),
    );
    await expect(q.processAllAvailable()).rejects.toThrow(/DIVIDE_BY_ZERO/);
  });
});
