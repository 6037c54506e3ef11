/**
 * The seeds' Kafka → Kafka patterns over real topics: the relay (read a topic, transform, write to
 * another with the topic column) and the converting pattern (web and app client events of two
 * formats, mapped to one common event with typed Datasets and unioned) — in TypeScript and in SQL.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataFrame } from '../dataframe/dataframe.js';
import { col, from_json } from '../dataframe/functions.js';
import type { Session } from '../session/session.js';
import { useKafkaTestEnv } from '../sources/kafka/test-support/kafka-test-env.js';
import type { StreamingQuery } from './streaming-query.js';

const env = useKafkaTestEnv('seeds-kafka-patterns');
const { session, uniq, createTopic, track } = env;

async function produce(topic: string, values: object[]): Promise<void> {
  const p = env.kafka.producer();
  await p.connect();
  await p.send({ topic, messages: values.map((v) => ({ value: JSON.stringify(v) })), acks: -1 });
  await p.disconnect();
}

/** A topic's values, read back with a batch Kafka read. */
async function readTopic(topic: string): Promise<string[]> {
  const rows = await session()
    .read.format('kafka')
    .option('kafka.bootstrap.servers', env.broker.bootstrap)
    .option('subscribe', topic)
    .load()
    .selectExpr('CAST(value AS STRING)')
    .collectValues();
  return rows.map((r) => r[0] as string).sort();
}

function kafka(s: Session, topic: string): DataFrame {
  return env.readTopic(s, topic).option('startingOffsets', 'earliest').load();
}

function toKafka(df: DataFrame, name: string): StreamingQuery {
  return track(
    df.writeStream
      .format('kafka')
      .option('kafka.bootstrap.servers', env.broker.bootstrap)
      .option('checkpointLocation', path.join(env.dir, uniq(name)))
      .start() as StreamingQuery,
  );
}

interface UserEventWeb {
  userId: string;
  eventType: string;
  browser: string;
}
interface UserEventApp {
  userId: string;
  eventType: string;
  platform: string;
}
interface EventCommon {
  userId: string;
  eventType: string;
  client: string;
}
const COMMON = 'userId STRING, eventType STRING, client STRING';

async function clientTopics() {
  const web = uniq('client-event-web');
  const app = uniq('client-event-app');
  const out = uniq('client-event-all');
  for (const t of [web, app, out]) await createTopic(t);
  await produce(web, [{ userId: 'u1', eventType: 'click', browser: 'firefox' }]);
  await produce(app, [
    { userId: 'u2', eventType: 'open', platform: 'ios' },
    { userId: 'u3', eventType: 'order', platform: 'android' },
  ]);
  return { web, app, out };
}

const EXPECTED = [
  '{"userId":"u1","eventType":"click","client":"web/firefox"}',
  '{"userId":"u2","eventType":"open","client":"app/ios"}',
  '{"userId":"u3","eventType":"order","client":"app/android"}',
];

describe("the seeds' Kafka → Kafka patterns", () => {
  it('relays a topic to the topics a column names (selectExpr("topic", key, value))', async () => {
    const s = session();
    const input = uniq('relay-in');
    const outA = uniq('relay-a');
    const outB = uniq('relay-b');
    for (const t of [input, outA, outB]) await createTopic(t);
    await produce(input, [
      { to: outA, v: 1 },
      { to: outB, v: 2 },
    ]);
    const q = toKafka(
      kafka(s, input)
        .select(from_json(col('value').cast('string'), 'to STRING, v INT').as('e'))
        .selectExpr(
          'e.to AS topic',
          'CAST(e.v AS STRING) AS key',
          "to_json(named_struct('v', e.v * 10)) AS value",
        ),
      'relay',
    );
    await q.processAllAvailable();
    expect(await readTopic(outA)).toEqual(['{"v":10}']);
    expect(await readTopic(outB)).toEqual(['{"v":20}']);
  });

  it('converts web and app events to one format with typed Datasets and unions them into a topic', async () => {
    const s = session();
    const { web, app, out } = await clientTopics();
    const parse = (topic: string, schema: string) =>
      kafka(s, topic)
        .select(from_json(col('value').cast('string'), schema).as('e'))
        .select('e.*');
    const dsEventWeb = parse(web, 'userId STRING, eventType STRING, browser STRING').as<UserEventWeb>();
    const dsEventApp = parse(app, 'userId STRING, eventType STRING, platform STRING').as<UserEventApp>();
    const dsEventCommonWeb = dsEventWeb.map<EventCommon>(
      (e) => ({ userId: e.userId, eventType: e.eventType, client: `web/${e.browser}` }),
      COMMON,
    );
    const dsEventCommonApp = dsEventApp.map<EventCommon>(
      (e) => ({ userId: e.userId, eventType: e.eventType, client: `app/${e.platform}` }),
      COMMON,
    );
    const dsEventCommonAll = dsEventCommonWeb.union(dsEventCommonApp);
    // write into kafka
    const q = toKafka(
      dsEventCommonAll.toDF().selectExpr(`'${out}' AS topic`, 'to_json(struct(*)) AS value'),
      'convert_ts',
    );
    await q.processAllAvailable();
    expect(await readTopic(out)).toEqual(EXPECTED);
  });

  it('converts and unions in SQL', async () => {
    const s = session();
    const { web, app, out } = await clientTopics();
    kafka(s, web).createOrReplaceTempView('client_event_web');
    kafka(s, app).createOrReplaceTempView('client_event_app');
    const all = s.sql(`
      SELECT '${out}' AS topic, to_json(named_struct('userId', e.userId, 'eventType', e.eventType,
             'client', concat('web/', e.browser))) AS value
        FROM (SELECT from_json(CAST(value AS STRING), 'userId STRING, eventType STRING, browser STRING') AS e
                FROM client_event_web)
      UNION ALL
      SELECT '${out}', to_json(named_struct('userId', e.userId, 'eventType', e.eventType,
             'client', concat('app/', e.platform)))
        FROM (SELECT from_json(CAST(value AS STRING), 'userId STRING, eventType STRING, platform STRING') AS e
                FROM client_event_app)`);
    const q = toKafka(all, 'convert_sql');
    await q.processAllAvailable();
    expect(await readTopic(out)).toEqual(EXPECTED);
  });
});
