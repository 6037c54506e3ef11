/** kafkajs 2.2.4 against the broker over TCP: producers, consumers, admin. */
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TestBroker, testBroker, waitUntil } from './test-support/harness.js';

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  broker = await testBroker({ defaultPartitions: 1 });
  kafka = new Kafka({ clientId: 'kafkajs-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await broker?.cleanup();
});

describe('kafkajs', () => {
  test('plain producer and eachBatch consumer keep order, keys, headers and offsets', async () => {
    await admin.createTopics({ topics: [{ topic: 'plain', numPartitions: 3 }] });
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: `k${i % 7}`,
      value: `v${i}`,
      headers: { n: String(i) },
    }));
    for (let i = 0; i < messages.length; i += 50) {
      await producer.send({ topic: 'plain', messages: messages.slice(i, i + 50) });
    }
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'plain-g', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'plain', fromBeginning: true });
    const seen: { key: string; value: string; header: string; partition: number; offset: string }[] = [];
    let batches = 0;
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        batches++;
        for (const m of batch.messages) {
          seen.push({
            key: m.key!.toString(),
            value: m.value!.toString(),
            header: m.headers!.n!.toString(),
            partition: batch.partition,
            offset: m.offset,
          });
          resolveOffset(m.offset);
        }
        await heartbeat();
      },
    });
    await waitUntil(() => seen.length >= 300, 20_000, '300 messages');
    await consumer.disconnect();
    expect(seen).toHaveLength(300);
    expect(batches).toBeGreaterThan(0);
    // Same key → same partition, in production order, with consecutive offsets from 0.
    const byPartition = new Map<number, typeof seen>();
    for (const s of seen) byPartition.set(s.partition, [...(byPartition.get(s.partition) ?? []), s]);
    for (const list of byPartition.values()) {
      list.forEach((s, i) => {
        expect(s.offset).toBe(String(i));
      });
      const nums = list.map((s) => Number(s.value.slice(1)));
      expect(nums).toEqual([...nums].sort((a, b) => a - b));
    }
    for (const s of seen) expect(s.header).toBe(s.value.slice(1));
    const keyPartitions = new Map<string, Set<number>>();
    for (const s of seen) keyPartitions.set(s.key, (keyPartitions.get(s.key) ?? new Set()).add(s.partition));
    for (const parts of keyPartitions.values()) expect(parts.size).toBe(1);
    // Committed offsets are visible to the admin client.
    const committed = await admin.fetchOffsets({ groupId: 'plain-g', topics: ['plain'] });
    const total = committed[0]!.partitions.reduce((n, p) => n + Number(p.offset), 0);
    expect(total).toBe(300);
  });

  test('idempotent producer gets consecutive offsets and no duplicates', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const results = [];
    for (let i = 0; i < 20; i++)
      results.push(
        await producer.send({ topic: 'idem', messages: [{ value: `m${i}` }, { value: `n${i}` }] }),
      );
    await producer.disconnect();
    expect(results.map((r) => Number(r[0]!.baseOffset))).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    const offsets = await admin.fetchTopicOffsets('idem');
    expect(offsets[0]!.high).toBe('40');
  });

  test('transactions: committed data is visible to read_committed consumers, aborted data is not', async () => {
    await admin.createTopics({ topics: [{ topic: 'txn-in', numPartitions: 2 }] });
    const producer = kafka.producer({ transactionalId: 'tx-1', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    const t1 = await producer.transaction();
    await t1.send({
      topic: 'txn-in',
      messages: [
        { key: 'a', value: 'committed-1' },
        { key: 'b', value: 'committed-2' },
      ],
    });
    await t1.sendOffsets({
      consumerGroupId: 'txn-offsets-g',
      topics: [{ topic: 'txn-in', partitions: [{ partition: 0, offset: '5' }] }],
    });
    await t1.commit();

    const t2 = await producer.transaction();
    await t2.send({
      topic: 'txn-in',
      messages: [
        { key: 'a', value: 'aborted-1' },
        { key: 'b', value: 'aborted-2' },
      ],
    });
    await t2.sendOffsets({
      consumerGroupId: 'txn-offsets-g',
      topics: [{ topic: 'txn-in', partitions: [{ partition: 0, offset: '99' }] }],
    });
    await t2.abort();

    const t3 = await producer.transaction();
    await t3.send({ topic: 'txn-in', messages: [{ key: 'a', value: 'committed-3' }] });
    await t3.commit();
    await producer.disconnect();

    const readValues = async (groupId: string, readUncommitted: boolean, expected: number) => {
      const consumer = kafka.consumer({ groupId, readUncommitted, maxWaitTimeInMs: 200 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'txn-in', fromBeginning: true });
      const values: string[] = [];
      await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
      await waitUntil(() => values.length >= expected, 15_000, `${expected} values`);
      await new Promise((r) => setTimeout(r, 300));
      await consumer.disconnect();
      return values.sort();
    };
    expect(await readValues('rc-g', false, 3)).toEqual(['committed-1', 'committed-2', 'committed-3']);
    expect(await readValues('ru-g', true, 5)).toEqual([
      'aborted-1',
      'aborted-2',
      'committed-1',
      'committed-2',
      'committed-3',
    ]);
    // Only the committed transaction's offsets were applied.
    const offsets = await admin.fetchOffsets({ groupId: 'txn-offsets-g', topics: ['txn-in'] });
    expect(offsets[0]!.partitions.find((p) => p.partition === 0)!.offset).toBe('5');
  });

  test('a fenced transactional producer is rejected', async () => {
    const p1 = kafka.producer({ transactionalId: 'tx-fence', idempotent: true, maxInFlightRequests: 1 });
    await p1.connect();
    const t1 = await p1.transaction();
    await t1.send({ topic: 'fence', messages: [{ value: 'x' }] });
    const p2 = kafka.producer({ transactionalId: 'tx-fence', idempotent: true, maxInFlightRequests: 1 });
    await p2.connect();
    const t2 = await p2.transaction(); // InitProducerId: bumps the epoch and aborts p1's open transaction
    await expect(t1.commit()).rejects.toThrow();
    await t2.send({ topic: 'fence', messages: [{ value: 'y' }] });
    await t2.commit();
    await p1.disconnect();
    await p2.disconnect();
  });

  test('admin: create, list, describe configs, add partitions, delete records, delete topics', async () => {
    expect(
      await admin.createTopics({ topics: [{ topic: 'adm-a', numPartitions: 4 }, { topic: 'adm-b' }] }),
    ).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'adm-a' }] })).toBe(false);
    // Configs the broker does not implement are refused, not silently ignored.
    await expect(
      admin.createTopics({
        topics: [{ topic: 'adm-c', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      }),
    ).rejects.toThrow('Topic creation errors');
    expect(await admin.listTopics()).not.toContain('adm-c');
    const topics = await admin.listTopics();
    expect(topics).toEqual(expect.arrayContaining(['adm-a', 'adm-b']));
    const meta = await admin.fetchTopicMetadata({ topics: ['adm-a', 'adm-b'] });
    expect(meta.topics.find((t) => t.name === 'adm-a')!.partitions).toHaveLength(4);
    expect(meta.topics.find((t) => t.name === 'adm-b')!.partitions).toHaveLength(1);

    await admin.createPartitions({ topicPartitions: [{ topic: 'adm-b', count: 3 }] });
    const meta2 = await admin.fetchTopicMetadata({ topics: ['adm-b'] });
    expect(meta2.topics[0]!.partitions).toHaveLength(3);

    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: 'adm-a', configNames: ['cleanup.policy', 'retention.ms'] }],
    });
    const entries = configs.resources[0]!.configEntries;
    expect(entries.find((e) => e.configName === 'cleanup.policy')!.configValue).toBe('delete');

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'adm-b',
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `x${i}`, partition: 0 })),
    });
    await producer.disconnect();
    await admin.fetchTopicMetadata({ topics: ['adm-b'] }); // kafkajs looks leaders up in its cached metadata
    await admin.deleteTopicRecords({ topic: 'adm-b', partitions: [{ partition: 0, offset: '4' }] });
    const offs = await admin.fetchTopicOffsets('adm-b');
    const p0 = offs.find((o) => o.partition === 0)!;
    expect([p0.low, p0.high]).toEqual(['4', '10']);

    const byTime = await admin.fetchTopicOffsetsByTimestamp('adm-b', Date.now() + 60_000);
    expect(byTime.find((o) => o.partition === 0)!.offset).toBe('10');

    await admin.deleteTopics({ topics: ['adm-a'] });
    expect(await admin.listTopics()).not.toContain('adm-a');
  });

  test('admin: list, describe and delete groups; set and fetch offsets', async () => {
    await admin.createTopics({ topics: [{ topic: 'grp-t', numPartitions: 2 }] });
    await admin.setOffsets({
      groupId: 'offsets-only',
      topic: 'grp-t',
      partitions: [
        { partition: 0, offset: '0' },
        { partition: 1, offset: '0' },
      ],
    });
    const fetched = await admin.fetchOffsets({ groupId: 'offsets-only', topics: ['grp-t'] });
    expect(fetched[0]!.partitions.map((p) => p.offset).sort()).toEqual(['0', '0']);
    const { groups } = await admin.listGroups();
    expect(groups.map((g) => g.groupId)).toContain('offsets-only');
    const described = await admin.describeGroups(['offsets-only']);
    expect(described.groups[0]!.state).toBe('Empty');
    await admin.deleteGroups(['offsets-only']);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('offsets-only');
  });
});
