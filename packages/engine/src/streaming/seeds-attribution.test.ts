/**
 * The seeds' real-time attribution pattern: impressions and clicks read from two Kafka topics,
 * watermarked, and joined stream-stream with a time-range condition — in TypeScript and in SQL,
 * over the embedded broker.
 */
import { describe, expect, it } from 'vitest';
import type { DataFrame } from '../dataframe/dataframe.js';
import { col, expr, from_json } from '../dataframe/functions.js';
import type { Session } from '../session/session.js';
import { useKafkaTestEnv } from '../sources/kafka/test-support/kafka-test-env.js';
import type { StreamingQuery } from './streaming-query.js';

const env = useKafkaTestEnv('seeds-attribution');
const { session, uniq, createTopic, track } = env;

async function produce(topic: string, values: object[]): Promise<void> {
  const p = env.kafka.producer();
  await p.connect();
  await p.send({ topic, messages: values.map((v) => ({ value: JSON.stringify(v) })), acks: -1 });
  await p.disconnect();
}

function readJson(s: Session, topic: string, schema: string): DataFrame {
  return env
    .readTopic(s, topic)
    .option('startingOffsets', 'earliest')
    .load()
    .select(from_json(col('value').cast('string'), schema).as('e'))
    .select('e.*');
}

async function topics(): Promise<{ impr: string; click: string }> {
  const impr = uniq('impressions');
  const click = uniq('clicks');
  await createTopic(impr);
  await createTopic(click);
  await produce(impr, [
    { product_id: 10, adid: 1, ts_impr: '2024-01-01 10:00:00' },
    { product_id: 20, adid: 2, ts_impr: '2024-01-01 10:00:05' },
    { product_id: 30, adid: 3, ts_impr: '2024-01-01 10:01:00' },
  ]);
  await produce(click, [
    // within 5 minutes of its impression: attributed
    { product_id: 10, adid: 1, ts_click: '2024-01-01 10:03:00' },
    // same ad, other product: not attributed
    { product_id: 99, adid: 2, ts_click: '2024-01-01 10:00:30' },
    // too late for impression 3 (more than 5 minutes)
    { product_id: 30, adid: 3, ts_click: '2024-01-01 10:07:00' },
    // before its impression: not attributed
    { product_id: 20, adid: 2, ts_click: '2024-01-01 10:00:01' },
  ]);
  return { impr, click };
}

const ATTRIBUTED = [[10, 1, '2024-01-01 10:00:00', 10, 1, '2024-01-01 10:03:00']];

async function run(s: Session, df: DataFrame, name: string): Promise<unknown[][]> {
  const q = track(
    df.writeStream.format('memory').queryName(name).outputMode('append').start() as StreamingQuery,
  );
  await q.processAllAvailable();
  const rows = await s
    .sql(
      `SELECT pid_impr, adid_impr, date_format(ts_impr, 'yyyy-MM-dd HH:mm:ss'), pid_click, adid_click, date_format(ts_click, 'yyyy-MM-dd HH:mm:ss') FROM \`${name}\``,
    )
    .collectValues();
  return rows.map((r) => [...r]);
}

describe("the seeds' stream-stream attribution join", () => {
  it('runs in TypeScript as the seed writes it (with the click side named adid_click)', async () => {
    const s = session();
    s.conf.set('spark.sql.session.timeZone', 'UTC');
    const { impr, click } = await topics();
    const dfImprRaw = readJson(s, impr, 'product_id BIGINT, adid BIGINT, ts_impr TIMESTAMP');
    const dfClickRaw = readJson(s, click, 'product_id BIGINT, adid BIGINT, ts_click TIMESTAMP');
    // The seed's watermark text has a trailing space ("10 seconds "): accepted, as Spark does.
    const dfImprWatermarked = dfImprRaw
      .selectExpr('product_id as pid_impr', 'adid AS adid_impr', 'ts_impr')
      .withWatermark('ts_impr', '10 seconds ');
    const dfClickWatermarked = dfClickRaw
      .selectExpr('product_id as pid_click', 'adid AS adid_click', 'ts_click')
      .withWatermark('ts_click', '20 seconds');
    // inner join with time range conditions
    const joined = dfImprWatermarked.join(
      dfClickWatermarked,
      expr(`
    adid_click = adid_impr AND
    pid_click = pid_impr AND
    ts_click >= ts_impr AND
    ts_click <= ts_impr + interval 5 minutes
    `),
    );
    expect(await run(s, joined, uniq('attribution_ts'))).toEqual(ATTRIBUTED);
  });

  it('runs in SQL over watermarked temp views', async () => {
    const s = session();
    s.conf.set('spark.sql.session.timeZone', 'UTC');
    const { impr, click } = await topics();
    readJson(s, impr, 'product_id BIGINT, adid BIGINT, ts_impr TIMESTAMP')
      .selectExpr('product_id as pid_impr', 'adid AS adid_impr', 'ts_impr')
      .withWatermark('ts_impr', '10 seconds')
      .createOrReplaceTempView('impressions');
    readJson(s, click, 'product_id BIGINT, adid BIGINT, ts_click TIMESTAMP')
      .selectExpr('product_id as pid_click', 'adid AS adid_click', 'ts_click')
      .withWatermark('ts_click', '20 seconds')
      .createOrReplaceTempView('clicks');
    const joined = s.sql(`
      SELECT * FROM impressions JOIN clicks
        ON adid_click = adid_impr AND pid_click = pid_impr
       AND ts_click >= ts_impr AND ts_click <= ts_impr + interval 5 minutes`);
    expect(joined.isStreaming).toBe(true);
    expect(await run(s, joined, uniq('attribution_sql'))).toEqual(ATTRIBUTED);
  });

  it("reports the seed's literal typo (the click side also named adid_impr) as an unresolved column", async () => {
    const s = session();
    const { impr, click } = await topics();
    const dfImprWatermarked = readJson(s, impr, 'product_id BIGINT, adid BIGINT, ts_impr TIMESTAMP')
      .selectExpr('product_id as pid_impr', 'adid AS adid_impr', 'ts_impr')
      .withWatermark('ts_impr', '10 seconds ');
    const dfClickWatermarked = readJson(s, click, 'product_id BIGINT, adid BIGINT, ts_click TIMESTAMP')
      .selectExpr('product_id as pid_click', 'adid AS adid_impr', 'ts_click')
      .withWatermark('ts_click', '20 seconds');
    const joined = dfImprWatermarked.join(
      dfClickWatermarked,
      expr('adid_click = adid_impr AND pid_click = pid_impr AND ts_click >= ts_impr'),
    );
    // Sluice analyzes lazily: the error comes when the query starts (Spark: at join()).
    expect(() => joined.writeStream.format('memory').queryName(uniq('typo')).start()).toThrow(
      /UNRESOLVED_COLUMN[\s\S]*adid_click/,
    );
  });
});
