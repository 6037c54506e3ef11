import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { DataFrame } from '../../dataframe/dataframe.js';
import { col, count } from '../../dataframe/functions.js';
import '../../streaming/index.js';
import { useKafkaTestEnv } from '../../sources/kafka/test-support/kafka-test-env.js';
import { MemoryStream } from '../../sources/memory-stream.js';
import { field, struct, T } from '../../sources/schema-util.js';
import { toTopicMessages } from './kafka-sink.js';

const env = useKafkaTestEnv('kafka-sink');
const { session, uniq, createTopic, track } = env;

async function produce(topic: string, values: string[]): Promise<void> {
  const p = env.kafka.producer();
  await p.connect();
  await p.send({ topic, messages: values.map((value) => ({ value })), acks: -1 });
  await p.disconnect();
}

interface Read {
  partition: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning with a kafkajs consumer until `cond` holds for what it read. */
async function readTopic(topic: string, cond: (r: Read[]) => boolean, ms = 20_000): Promise<Read[]> {
  const out: Read[] = [];
  const c = env.kafka.consumer({ groupId: uniq('reader'), maxWaitTimeInMs: 100 });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  await c.run({
    eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      out.push({
        partition,
        key: message.key === null ? null : message.key.toString(),
        value: message.value === null ? null : message.value.toString(),
        headers,
      });
    },
  });
  const deadline = Date.now() + ms;
  try {
    while (!cond(out)) {
      if (Date.now() > deadline) throw new Error(`timed out reading ${topic}: ${JSON.stringify(out)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await c.disconnect();
  }
  return out;
}

describe('kafka sink', () => {
  it('writes value, key, headers and partition columns to the topic option', async () => {
    const s = session();
    const topic = uniq('out');
    await createTopic(topic, 3);
    const stream = new MemoryStream(struct(field('id', T.int)));
    stream.addData([[1], [2], [3]]);
    const df: DataFrame = s.readStream.memory(stream);
    const q = track(
      df
        .selectExpr(
          'CAST(id AS STRING) AS key',
          "CONCAT('v', CAST(id AS STRING)) AS value",
          'CAST(id - 1 AS INT) AS partition',
          "ARRAY(NAMED_STRUCT('key', 'h', 'value', CAST(CONCAT('x', CAST(id AS STRING)) AS BINARY))) AS headers",
        )
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('topic', topic)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start(),
    );
    await q.processAllAvailable();
    const got = await readTopic(topic, (r) => r.length === 3);
    expect(got.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, key: '1', value: 'v1', headers: { h: 'x1' } },
      { partition: 1, key: '2', value: 'v2', headers: { h: 'x2' } },
      { partition: 2, key: '3', value: 'v3', headers: { h: 'x3' } },
    ]);
    expect(q.lastProgress?.sink.description).toBe(`KafkaSink[topic=${topic}]`);
  });

  it("bounds a record's size without scanning it when 3 bytes per character fit, and exactly otherwise", () => {
    const layout = { topic: -1, key: -1, value: 0, partition: -1, headers: -1 };
    const rejected: string[] = [];
    const reject = (_row: unknown, _m: unknown, _t: unknown, e: Error) => {
      rejected.push(e.message);
    };
    const rows = [['a'.repeat(300)], ['a'.repeat(800)], ['é'.repeat(400)], ['€'.repeat(400)]];
    const [out] = toTopicMessages(rows, layout, 't', 1000, reject);
    // 61 + 21 + bytes + 5: 300 a's fit by the bound (987); 800 a's and 400 é's only by their exact
    // size (887 each); 400 € (3 bytes each) are 1287.
    expect(out?.messages.map((m) => (m.value as string).length)).toEqual([300, 800, 400]);
    expect(rejected).toEqual([
      '[KAFKA_RECORD_TOO_LARGE] The message is 1287 bytes when serialized which is larger than 1000, which is the value of the max.request.size configuration.',
    ]);
  });

  it('a chunk the broker refuses fails the batch, though earlier chunks were still in flight; the batch is not committed', async () => {
    const s = session();
    const topic = uniq('small');
    const admin = env.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const stream = new MemoryStream(struct(field('value', T.string)));
    stream.addData([['a'], ['b']]);
    stream.addData([['x'.repeat(5000)]]);
    const checkpoint = path.join(env.dir, uniq('ck'));
    const q = track(
      s.readStream
        .memory(stream)
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('topic', topic)
        .option('checkpointLocation', checkpoint)
        .start(),
    );
    await expect(q.awaitTermination()).rejects.toThrow(/larger than the max message size|too large/i);
    expect(fs.existsSync(path.join(checkpoint, 'commits', '0'))).toBe(false);
  });

  it('exactly-once: a batch re-run after Kafka committed it is skipped, so read_committed consumers see each row once', async () => {
    const topic = uniq('eos');
    await createTopic(topic);
    const input = path.join(env.dir, uniq('eos-in'));
    const checkpoint = path.join(env.dir, uniq('eos-ck'));
    fs.mkdirSync(input);
    const addFile = (n: number) => fs.writeFileSync(path.join(input, `f${n}.json`), `{"n":${n}}\n`);
    addFile(0);
    addFile(1);
    const start = () =>
      track(
        session()
          .readStream.schema('n INT')
          .option('maxFilesPerTrigger', 1)
          .json(input)
          .selectExpr("CONCAT('n', CAST(n AS STRING)) AS value")
          .writeStream.format('kafka')
          .option('kafka.bootstrap.servers', env.broker.bootstrap)
          .option('topic', topic)
          .option('exactlyOnce', 'true')
          .option('checkpointLocation', checkpoint)
          .start(),
      );
    const first = start();
    await first.processAllAvailable();
    expect(first.lastProgress?.sink.metrics).toMatchObject({ transactionalId: `sluice-${first.id}` });
    await first.stop();
    // A crash after Kafka committed batch 1 but before the checkpoint did: commits/1 never written.
    fs.rmSync(path.join(checkpoint, 'commits', '1'));
    const second = start();
    await second.processAllAvailable();
    addFile(2);
    await second.processAllAvailable();
    // The re-run of batch 1 would land before batch 2's row in the partition: once n2 is read,
    // everything before it has been.
    const got = await readTopic(topic, (r) => r.some((x) => x.value === 'n2'));
    expect(got.map((r) => r.value)).toEqual(['n0', 'n1', 'n2']);
  });

  /** Kafka → Kafka over the broker: `value` of topic `from` copied to `to`, checkpointed in `checkpoint`. */
  const relay = (from: string, to: string, checkpoint: string, options: Record<string, string> = {}) =>
    track(
      env
        .readTopic(session(), from)
        .option('startingOffsets', 'earliest')
        .load()
        .selectExpr('value')
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('topic', to)
        .option('checkpointLocation', checkpoint)
        .options(options)
        .start(),
    );
  const counted = (rs: Read[]) => {
    const m = new Map<string, number>();
    for (const r of rs) m.set(r.value!, (m.get(r.value!) ?? 0) + 1);
    return m;
  };

  it('a busy relay (batches planned from what the source holds, logs written beside them) writes every record once', async () => {
    const from = uniq('busy-in');
    const to = uniq('busy-out');
    await createTopic(from, 2);
    await createTopic(to);
    const checkpoint = path.join(env.dir, uniq('busy-ck'));
    const q = relay(from, to, checkpoint);
    const sent: string[] = [];
    // Records keep arriving while batches run: 20 sends of 25 records, 5 ms apart.
    for (let round = 0; round < 20; round++) {
      const values = Array.from({ length: 25 }, (_, i) => `r${round}-${i}`);
      await produce(from, values);
      sent.push(...values);
      await new Promise((r) => setTimeout(r, 5));
    }
    await q.processAllAvailable();
    const got = await readTopic(to, (r) => r.length >= sent.length);
    expect([...counted(got).entries()].sort()).toEqual(sent.map((v) => [v, 1]).sort());
    // processAllAvailable() returned with the last batch committed on disk.
    expect(fs.existsSync(path.join(checkpoint, 'commits', String(q.lastProgress!.batchId)))).toBe(true);
  });

  it('asyncProgressTrackingEnabled: a restart re-runs what the log does not hold, nothing is lost', async () => {
    const from = uniq('apt-in');
    const to = uniq('apt-out');
    await createTopic(from);
    await createTopic(to);
    const checkpoint = path.join(env.dir, uniq('apt-ck'));
    // One offsets entry a minute: only the first batch of each run reaches the log.
    const opts = { asyncProgressTrackingEnabled: 'true', asyncProgressTrackingCheckpointIntervalMs: '60000' };
    await produce(from, ['a1', 'a2']);
    const first = relay(from, to, checkpoint, opts);
    await first.processAllAvailable();
    await produce(from, ['b1', 'b2']);
    await first.processAllAvailable();
    await first.stop();
    expect(fs.readdirSync(path.join(checkpoint, 'offsets')).filter((f) => /^\d+$/.test(f))).toEqual(['0']);
    const second = relay(from, to, checkpoint, opts);
    await second.processAllAvailable();
    await produce(from, ['c1']);
    await second.processAllAvailable();
    const got = counted(await readTopic(to, (r) => r.some((x) => x.value === 'c1')));
    // Batch 1 (b1, b2) was never logged: the second run writes it again (at least once).
    expect([...got.entries()].sort()).toEqual([
      ['a1', 1],
      ['a2', 1],
      ['b1', 2],
      ['b2', 2],
      ['c1', 1],
    ]);
  });

  it('an idempotent producer (kafka.enable.idempotence) with acks=all, binary values, complete mode', async () => {
    const s = session();
    const topic = uniq('idem');
    await createTopic(topic);
    const stream = new MemoryStream(struct(field('w', T.string)));
    stream.addData([['a'], ['b'], ['a']]);
    const df: DataFrame = s.readStream.memory(stream);
    const q = track(
      await df
        .groupBy('w')
        .count()
        .selectExpr(
          'CAST(w AS BINARY) AS key',
          "CAST(CONCAT(w, '=', CAST(count AS STRING)) AS BINARY) AS value",
        )
        .writeStream.format('kafka')
        .outputMode('complete')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('kafka.enable.idempotence', 'true')
        .option('kafka.acks', 'all')
        .option('topic', topic)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start(),
    );
    await q.processAllAvailable();
    stream.addData([['b']]);
    await q.processAllAvailable();
    const got = await readTopic(topic, (r) => r.length === 4);
    expect(got.map((r) => r.value)).toEqual(expect.arrayContaining(['a=2', 'b=1', 'b=2']));
    expect(got.filter((r) => r.value === 'a=2').length).toBe(2); // complete mode re-emits every group
  });

  it('routes rows by the topic column; the topic option overrides it', async () => {
    const s = session();
    const a = uniq('ta');
    const b = uniq('tb');
    const c = uniq('tc');
    for (const t of [a, b, c]) await createTopic(t);
    const stream = new MemoryStream(struct(field('t', T.string), field('v', T.string)));
    stream.addData([
      [a, 'to-a'],
      [b, 'to-b'],
    ]);
    const df: DataFrame = s.readStream.memory(stream);
    const q1 = track(
      df
        .selectExpr('t AS topic', 'v AS value')
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start(),
    );
    const q2 = track(
      df
        .selectExpr('t AS topic', 'v AS value')
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('topic', c)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start(),
    );
    await q1.processAllAvailable();
    await q2.processAllAvailable();
    expect((await readTopic(a, (r) => r.length === 1)).map((r) => r.value)).toEqual(['to-a']);
    expect((await readTopic(b, (r) => r.length === 1)).map((r) => r.value)).toEqual(['to-b']);
    expect((await readTopic(c, (r) => r.length === 2)).map((r) => r.value).sort()).toEqual(['to-a', 'to-b']);
  });

  it("fails with Spark's messages for a missing or mistyped value and a missing topic", async () => {
    const s = session();
    const stream = new MemoryStream(struct(field('id', T.int), field('s', T.string)));
    const df: DataFrame = s.readStream.memory(stream);
    const start = (d: DataFrame, topic?: string) => {
      let w = d.writeStream
        .format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')));
      if (topic) w = w.option('topic', topic);
      return track(w.start());
    };
    expect(() => start(df.selectExpr('s AS key'), 't')).toThrow("Required attribute 'value' not found");
    expect(() => start(df.selectExpr('id AS value'), 't')).toThrow(
      'value attribute type must be a string or binary',
    );
    expect(() => start(df.selectExpr('s AS value'))).toThrow(
      "topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.",
    );
    expect(() => start(df.selectExpr('s AS value', 'id AS key'), 't')).toThrow(
      'key attribute type must be a string or binary',
    );
    expect(() => start(df.selectExpr('s AS value', 's AS partition'), 't')).toThrow(
      'partition attribute type must be an int',
    );
    expect(() =>
      s.readStream
        .memory(stream)
        .selectExpr('s AS value')
        .writeStream.format('kafka')
        .option('topic', 't')
        .start(),
    ).toThrow("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer");
  });
});

describe('seeds: Kafka examples in TypeScript', () => {
  it('spark-streaming-patterns-ko.md: word count kafka → kafka, update mode with a checkpoint', async () => {
    const s = session();
    const input = uniq('input-text');
    const output = uniq('output-wordcount');
    await createTopic(input);
    await createTopic(output);
    await produce(input, ['apple', 'banana', 'apple']);
    const ckpt = path.join(env.dir, uniq('wc'));
    const start = () =>
      track(
        s.readStream
          .format('kafka')
          .option('kafka.bootstrap.servers', env.broker.bootstrap)
          .option('subscribe', input)
          .option('startingOffsets', 'earliest')
          .load()
          .groupBy(col('value').cast('string').as('key'))
          .agg(count('*').as('value'))
          .selectExpr('key', 'CAST(value AS STRING) AS value')
          .writeStream.format('kafka')
          .option('kafka.bootstrap.servers', env.broker.bootstrap)
          .option('topic', output)
          .outputMode('update')
          .option('checkpointLocation', ckpt)
          .start(),
      );
    let q = start();
    await q.processAllAvailable();
    await q.stop();
    await produce(input, ['apple', 'cherry']);
    q = start();
    await q.processAllAvailable();
    const got = await readTopic(output, (r) => r.length === 4);
    // Batch 0: apple=2, banana=1; after the restart the state continues: apple=3, cherry=1.
    expect(got.map((r) => `${r.key}=${r.value}`).sort()).toEqual([
      'apple=2',
      'apple=3',
      'banana=1',
      'cherry=1',
    ]);
  });

  it('spark-streaming-patterns-ko.md: selectExpr("topic", "CAST(key AS STRING)", "CAST(value AS STRING)") to the topic column', async () => {
    const s = session();
    const src = uniq('user-activity');
    await createTopic(src);
    const p = env.kafka.producer();
    await p.connect();
    await p.send({
      topic: src,
      messages: [
        { key: 'u1', value: 'login' },
        { key: 'u2', value: 'logout' },
      ],
    });
    await p.disconnect();
    // The seed writes `CAST(key AS STRING)` unaliased: Spark names that column `key` (ResolveAliases
    // names a cast of a column after the column), and so does the analyzer.
    // The rows keep their source topic, so they go to a topic of the same name... in a copy:
    // read `src`, rewrite `topic` to `<src>-copy` and write with the topic column.
    const dst = `${src}-copy`;
    await createTopic(dst);
    const q = track(
      s.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('subscribe', src)
        .option('startingOffsets', 'earliest')
        .load()
        .selectExpr(`CONCAT(topic, '-copy') AS topic`, 'key', 'value')
        .selectExpr('topic', 'CAST(key AS STRING)', 'CAST(value AS STRING)')
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start(),
    );
    await q.processAllAvailable();
    const got = await readTopic(dst, (r) => r.length === 2);
    expect(got.map((r) => `${r.key}:${r.value}`)).toEqual(['u1:login', 'u2:logout']);
  });

  it('spark-kafka-structured-streaming-ko.md: subscribe "topic1", "topic1, topic2" and a pattern; CAST(key/value AS STRING) to a topic option', async () => {
    const s = session();
    const base = uniq('seedtopic');
    const topic1 = `${base}1`;
    const topic2 = `${base}2`;
    await createTopic(topic1);
    await createTopic(topic2);
    await produce(topic1, ['one']);
    await produce(topic2, ['two']);
    // `CAST(... AS STRING) AS ...`: see the note on unaliased casts above.
    const servers = `${env.broker.bootstrap}, ${env.broker.bootstrap}`; // "host1:port1, host2:port2"
    const df1 = (subscribeOpt: string, value: string) =>
      s.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', servers)
        .option(subscribeOpt, value)
        .option('startingOffsets', 'earliest')
        .load();
    const outs = [uniq('seed-out'), uniq('seed-out'), uniq('seed-out')];
    const sources: [string, string][] = [
      ['subscribe', topic1],
      ['subscribe', `${topic1}, ${topic2}`],
      ['subscribePattern', `${base}.*`],
    ];
    for (const [i, [opt, v]] of sources.entries()) {
      const q = track(
        df1(opt, v)
          .selectExpr('CAST(key AS STRING)', 'CAST(value AS STRING)')
          .writeStream.format('kafka')
          .option('kafka.bootstrap.servers', servers)
          .option('checkpointLocation', path.join(env.dir, uniq('ck')))
          .option('topic', outs[i] as string)
          .start(),
      );
      await q.processAllAvailable();
    }
    const values = async (t: string, k: number) =>
      (await readTopic(t, (r) => r.length === k)).map((r) => r.value).sort();
    expect(await values(outs[0] as string, 1)).toEqual(['one']);
    expect(await values(outs[1] as string, 2)).toEqual(['one', 'two']);
    expect(await values(outs[2] as string, 2)).toEqual(['one', 'two']);
  });
});
