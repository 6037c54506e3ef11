/**
 * The embedded broker against Apache Kafka 4.1 on the same requests: each request is encoded once
 * with the broker's own codecs, sent to both brokers at the highest version both support, and the
 * decoded answers are compared after normalising what may legitimately differ (node ids, hosts and
 * ports, cluster id, throttle times, broker-assigned timestamps, error message texts). A new
 * difference fails the test; the deliberate ones are listed in docs/broker.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiSpec } from './protocol/api.js';
import { ErrorCode } from './protocol/error-codes.js';
import { createTopics } from './protocol/requests/create-topics/index.js';
import { deleteTopics } from './protocol/requests/delete-topics/index.js';
import { fetch } from './protocol/requests/fetch/index.js';
import { findCoordinator } from './protocol/requests/find-coordinator/index.js';
import { listOffsets } from './protocol/requests/list-offsets/index.js';
import { metadata } from './protocol/requests/metadata/index.js';
import { offsetCommit } from './protocol/requests/offset-commit/index.js';
import { offsetFetch } from './protocol/requests/offset-fetch/index.js';
import { produce } from './protocol/requests/produce/index.js';
import { buildBatch } from './records/batch-builder.js';
import { BATCH_HEADER_SIZE, Off, readInt64 } from './records/record-batch.js';
import { type TestBroker, testBroker } from './test-support/harness.js';
import { ProtocolClient } from './test-support/protocol-client.js';
import { type ApacheKafka, startApacheKafka } from './testing/apache-kafka.js';

let apache: ApacheKafka;
let embedded: TestBroker;
const clients: { embedded: ProtocolClient; apache: ProtocolClient } = {} as never;
let common: Map<number, number>;

beforeAll(async () => {
  [apache, embedded] = await Promise.all([
    startApacheKafka({ properties: { 'auto.create.topics.enable': false } }),
    testBroker({ autoCreateTopics: false }),
  ]);
  clients.apache = await ProtocolClient.connect(apache.bootstrap);
  clients.embedded = await ProtocolClient.connect(embedded.bootstrap);
  const [a, e] = await Promise.all([clients.apache.versions(), clients.embedded.versions()]);
  // The highest version both brokers support, per API key.
  common = new Map();
  for (const [key, ev] of e) {
    const av = a.get(key);
    if (av && Math.min(av.max, ev.max) >= Math.max(av.min, ev.min)) common.set(key, Math.min(av.max, ev.max));
  }
}, 240_000);

afterAll(async () => {
  clients.apache?.close();
  clients.embedded?.close();
  await Promise.all([apache?.stop(), embedded?.cleanup()]);
});

/** Sends the same request to both brokers at the common version. */
async function both<Req, Res>(spec: ApiSpec<Req, Res>, body: Req): Promise<{ embedded: Res; apache: Res }> {
  const v = common.get(spec.key);
  if (v === undefined) throw new Error(`${spec.name}: no version both brokers support`);
  const [embeddedRes, apacheRes] = await Promise.all([
    clients.embedded.call(spec, v, body),
    clients.apache.call(spec, v, body),
  ]);
  return { embedded: embeddedRes, apache: apacheRes };
}

/** Drops what may differ between two correct brokers. */
function normalise(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) {
    // Lists of topics and partitions are unordered in the protocol (Apache Kafka answers in hash order).
    const items = v.map((x) => normalise(x));
    const sortKey = (x: unknown) => {
      const o = x as Record<string, unknown>;
      return JSON.stringify([o?.name ?? o?.topic ?? '', o?.partitionIndex ?? o?.index ?? o?.partition ?? 0]);
    };
    return items.every((x) => x && typeof x === 'object' && !Array.isArray(x))
      ? items.sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
      : items;
  }
  if (v instanceof Buffer) return decodeBatches(v);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (IGNORED.has(k)) continue;
      out[k] = normalise(x, k);
    }
    return out;
  }
  void key;
  return v;
}
const IGNORED = new Set([
  'throttleTimeMs',
  'clusterId',
  'controllerId',
  'brokers',
  'nodeId',
  'host',
  'port',
  'leaderId',
  'replicaNodes',
  'isrNodes',
  'offlineReplicas',
  'errorMessage',
  'logAppendTimeMs',
  'sessionId',
  'preferredReadReplica',
]);

/** The records of fetched batches as (offset, key, value) — the bytes of batch headers may differ. */
function decodeBatches(buf: Buffer): { offset: number; key: string | null; value: string | null }[] {
  const out: { offset: number; key: string | null; value: string | null }[] = [];
  let at = 0;
  while (at + BATCH_HEADER_SIZE <= buf.length) {
    const size = buf.readInt32BE(at + Off.batchLength) + 12;
    if (at + size > buf.length) break; // a partial batch at the end of a fetch
    const base = readInt64(buf, at + Off.baseOffset);
    const rec = buf.subarray(at + BATCH_HEADER_SIZE, at + size);
    let pos = 0;
    const varint = (): number => {
      let u = 0;
      let mul = 1;
      for (;;) {
        const b = rec[pos++]!;
        u += (b & 0x7f) * mul;
        if (b < 0x80) break;
        mul *= 128;
      }
      return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
    };
    const text = (n: number): string | null => {
      if (n < 0) return null;
      const s = rec.subarray(pos, pos + n).toString();
      pos += n;
      return s;
    };
    const count = buf.readInt32BE(at + Off.recordsCount);
    for (let i = 0; i < count; i++) {
      varint(); // length
      pos++; // attributes
      varint(); // timestamp delta
      const delta = varint();
      const key = text(varint());
      const value = text(varint());
      const headers = varint();
      for (let h = 0; h < headers; h++) {
        text(varint());
        text(varint());
      }
      out.push({ offset: base + delta, key, value });
    }
    at += size;
  }
  return out;
}

async function expectSame<Req, Res>(spec: ApiSpec<Req, Res>, body: Req): Promise<Res> {
  const r = await both(spec, body);
  expect(normalise(r.embedded), `${spec.name} v${common.get(spec.key)}`).toEqual(normalise(r.apache));
  return r.embedded;
}

/**
 * Waits until Apache Kafka's broker leads every partition of a new topic: CreateTopics answers once
 * the controller has the topic, and the broker takes a moment more to apply it, answering
 * NOT_LEADER_OR_FOLLOWER meanwhile (clients retry; the embedded broker leads at once). Asked with
 * ListOffsets, which changes nothing.
 */
async function untilApacheLeads(topic: string, partitions: number): Promise<void> {
  const v = common.get(listOffsets.key)!;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await clients.apache.call(listOffsets, v, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: topic,
          partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, timestamp: -1 })),
        },
      ],
    });
    if (res.topics.every((t) => t.partitions.every((p) => p.errorCode === ErrorCode.NONE))) return;
    if (Date.now() > deadline) throw new Error(`Apache Kafka does not lead ${topic} after 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const topicSpec = (name: string, numPartitions: number, replicationFactor = 1) => ({
  name,
  numPartitions,
  replicationFactor,
  assignments: [],
  configs: [],
});

describe('embedded broker vs Apache Kafka, request by request', () => {
  it('agrees on CreateTopics: created, already exists, invalid name, invalid partitions and replication', async () => {
    const res = await expectSame(createTopics, {
      topics: [topicSpec('diff-a', 3), topicSpec('bad name!', 1), topicSpec('diff-zero', 0)],
      timeoutMs: 30_000,
    });
    expect(res.topics.map((t) => t.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      ErrorCode.INVALID_PARTITIONS,
    ]);
    await expectSame(createTopics, {
      topics: [topicSpec('diff-a', 3), topicSpec('diff-rf', 1, 3)],
      timeoutMs: 30_000,
    });
  });

  it('agrees on Metadata: an existing topic, an unknown one, all topics', async () => {
    await expectSame(metadata, { topics: [{ name: 'diff-a' }], allowAutoTopicCreation: false });
    await expectSame(metadata, { topics: [{ name: 'diff-nope' }], allowAutoTopicCreation: false });
    const all = await both(metadata, { topics: null, allowAutoTopicCreation: false });
    const ours = (m: typeof all.embedded) =>
      m.topics.filter((t) => t.name.startsWith('diff-')).map((t) => t.name);
    expect(ours(all.embedded).sort()).toEqual(ours(all.apache).sort());
  });

  it('agrees on Produce (acks all and 1, several records, an unknown partition and topic) and Fetch', async () => {
    await untilApacheLeads('diff-a', 3);
    const batch = (values: string[]) => buildBatch(values, { timestamp: 1_700_000_000_000 });
    for (const acks of [-1, 1]) {
      await expectSame(produce, {
        transactionalId: null,
        acks,
        timeoutMs: 10_000,
        topicData: [{ name: 'diff-a', partitionData: [{ index: 0, records: batch(['a', 'b', 'c']) }] }],
      });
    }
    await expectSame(produce, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 10_000,
      topicData: [
        { name: 'diff-a', partitionData: [{ index: 9, records: batch(['x']) }] },
        { name: 'diff-nope', partitionData: [{ index: 0, records: batch(['y']) }] },
      ],
    });
    const fetched = await expectSame(fetch, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [
        {
          topic: 'diff-a',
          partitions: [
            { partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 },
            { partition: 1, fetchOffset: 0, partitionMaxBytes: 1 << 20 },
            { partition: 2, fetchOffset: 99, partitionMaxBytes: 1 << 20 },
          ],
        },
      ],
    });
    const p = fetched.responses[0]!.partitions;
    expect(p[0]!.highWatermark).toBe(6);
    expect(decodeBatches(p[0]!.records as Buffer).map((r) => r.value)).toEqual([
      'a',
      'b',
      'c',
      'a',
      'b',
      'c',
    ]);
    expect(p[2]!.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('agrees on ListOffsets: earliest, latest, by timestamp, an unknown partition', async () => {
    await expectSame(listOffsets, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 'diff-a',
          partitions: [
            { partitionIndex: 0, timestamp: -2 },
            { partitionIndex: 1, timestamp: -1 },
            { partitionIndex: 2, timestamp: 1_600_000_000_000 },
          ],
        },
        { name: 'diff-nope', partitions: [{ partitionIndex: 0, timestamp: -1 }] },
      ],
    });
    // Partition 0 by the producer's timestamp: the first record at or after it.
    await expectSame(listOffsets, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'diff-a', partitions: [{ partitionIndex: 0, timestamp: 1_700_000_000_000 }] }],
    });
  });

  it('agrees on FindCoordinator, OffsetCommit and OffsetFetch for a simple (no member) group', async () => {
    // Apache Kafka creates __consumer_offsets on the first FindCoordinator and answers
    // COORDINATOR_NOT_AVAILABLE until it is ready (clients retry); the embedded broker is ready at once.
    const v = common.get(findCoordinator.key)!;
    const deadline = Date.now() + 60_000;
    while (
      (await clients.apache.call(findCoordinator, v, { key: 'diff-group', keyType: 0 })).errorCode !== 0
    ) {
      if (Date.now() > deadline) throw new Error('Apache Kafka has no group coordinator');
      await new Promise((r) => setTimeout(r, 200));
    }
    await expectSame(findCoordinator, { key: 'diff-group', keyType: 0 });
    await expectSame(offsetCommit, {
      groupId: 'diff-group',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 'diff-a',
          partitions: [
            { partitionIndex: 0, committedOffset: 2, committedLeaderEpoch: -1, committedMetadata: 'm' },
          ],
        },
      ],
    });
    await expectSame(offsetFetch, {
      groupId: 'diff-group',
      topics: [{ name: 'diff-a', partitionIndexes: [0, 1] }],
    });
    await expectSame(offsetFetch, {
      groupId: 'diff-unknown-group',
      topics: [{ name: 'diff-a', partitionIndexes: [0] }],
    });
  });

  it('agrees on DeleteTopics: a topic, an unknown topic; the topic is gone from Metadata', async () => {
    await expectSame(deleteTopics, { topicNames: ['diff-a', 'diff-nope'], timeoutMs: 30_000 });
    const deadline = Date.now() + 30_000;
    // Apache Kafka deletes asynchronously: wait until its metadata no longer has the topic.
    for (;;) {
      const r = await both(metadata, { topics: [{ name: 'diff-a' }], allowAutoTopicCreation: false });
      if (r.apache.topics[0]?.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
        expect(normalise(r.embedded)).toEqual(normalise(r.apache));
        break;
      }
      if (Date.now() > deadline) throw new Error('Apache Kafka still has diff-a');
      await new Promise((res) => setTimeout(res, 200));
    }
  });
});
