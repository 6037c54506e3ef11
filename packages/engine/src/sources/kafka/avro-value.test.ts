/**
 * valueFormat=avro: Avro binary values decoded with the record schema given as JSON, Spark's Avro
 * type mapping, and a value that does not decode dead-lettered (stage parse).
 */
import * as path from 'node:path';
import avro from 'avsc';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { getMemoryTable } from '../../sinks/memory-sink.js';
import type { StreamingQuery } from '../../streaming/streaming-query.js';
import { simpleString } from '../../types/types.js';
import { avroValueFormat } from './avro-value.js';
import { useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('avro-value');
const { session, uniq, createTopic, track } = env;

const ORDER = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
    { name: 'qty', type: 'int' },
    { name: 'price', type: ['null', 'double'], default: null },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'int' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    {
      name: 'ship',
      type: ['null', { type: 'record', name: 'Ship', fields: [{ name: 'city', type: 'string' }] }],
      default: null,
    },
  ],
};

describe('valueFormat avro', () => {
  it("maps Avro types to Spark's (SchemaConverters)", () => {
    const f = avroValueFormat(JSON.stringify(ORDER));
    expect(simpleString(f.schema)).toBe(
      'struct<id:bigint,item:string,qty:int,price:double,at:timestamp,tags:array<string>,attrs:map<string,int>,status:string,ship:struct<city:string>>',
    );
    expect(f.schema.fields.map((x) => x.nullable)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(() => avroValueFormat('{"type": "nope"}')).toThrow(/AVRO_INVALID_SCHEMA/);
    expect(() => avroValueFormat('"string"')).toThrow(/a record is needed/);
  });

  it('decodes Avro values into columns and dead-letters a value that does not decode', async () => {
    const s = session();
    const topic = uniq('orders');
    const dlq = uniq('orders.dlq');
    await createTopic(topic);
    const type = avro.Type.forSchema(ORDER as avro.Schema);
    const good = type.toBuffer({
      id: 7,
      item: 'tea',
      qty: 2,
      price: 3.5,
      at: 1_700_000_000_123,
      tags: ['hot'],
      attrs: { size: 1 },
      status: 'PAID',
      ship: { city: 'Seoul' },
    });
    const p = env.kafka.producer();
    await p.connect();
    await p.send({
      topic,
      acks: -1,
      messages: [{ value: good }, { value: Buffer.from([0xff, 0xff, 0xff]) }],
    });
    await p.disconnect();
    const name = uniq('avro_out');
    const q = track(
      env
        .readTopic(s, topic)
        .option('startingOffsets', 'earliest')
        .option('valueFormat', 'avro')
        .option('schema', JSON.stringify(ORDER))
        .load()
        .selectExpr(
          'id',
          'item',
          'qty',
          'price',
          'at',
          'tags',
          "attrs['size'] AS size",
          'status',
          'ship.city AS city',
        )
        .writeStream.format('memory')
        .queryName(name)
        .option('onError', 'deadletter')
        .option('deadLetterTopic', dlq)
        .option('checkpointLocation', path.join(env.dir, uniq('ck')))
        .start() as StreamingQuery,
    );
    await q.processAllAvailable();
    expect(getMemoryTable(name)?.rows).toEqual([
      [7, 'tea', 2, 3.5, 1_700_000_000_123_000, ['hot'], 1, 'PAID', 'Seoul'],
    ]);
    const consumer = env.kafka.consumer({ groupId: uniq('dlq') });
    await consumer.connect();
    await consumer.subscribe({ topic: dlq, fromBeginning: true });
    const letters: KafkaMessage[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        letters.push(message);
      },
    });
    const deadline = Date.now() + 20_000;
    while (letters.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.disconnect();
    expect(letters).toHaveLength(1);
    expect(letters[0]!.value).toEqual(Buffer.from([0xff, 0xff, 0xff]));
    expect(letters[0]!.headers?.['__sluice.errors.stage']?.toString()).toBe('parse');
    expect(
      q.lastProgress?.sources[0]?.numDeadLetters ??
        q.recentProgress.find((x) => x.numInputRows > 0)?.sources[0]?.numDeadLetters,
    ).toBe(1);
  });
});
