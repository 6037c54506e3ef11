/**
 * The Kafka source's record-batch decoder (docs/decisions/0009) against kafkajs's own decoder on
 * random batches (keys, values, headers with repeated names, timestamps, gzip), and on what only
 * the source decides: transactions (aborted and committed, with their markers), a fetch offset
 * inside a batch, a batch cut off at the end of the response, log-append time, message format v1.
 */
import { createRequire } from 'node:module';
import { buildBatch, controlBatch, crc32c } from '@sluice/broker';
import { describe, expect, it } from 'vitest';
import { rng } from '../../differential/generator.js';
import type { Row } from '../../types/data-type.js';
import {
  CorruptRecordBatchError,
  decodeRecordSet,
  type RecordSetContext,
  UnsupportedMessageFormatError,
} from './record-batch-decoder.js';

const require = createRequire(import.meta.url);
type Headers = Record<string, Buffer | Buffer[]>;
interface KafkajsRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
}
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch(b: object): Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: object) => unknown;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  d: unknown,
) => Promise<{ records: KafkajsRecord[] }>;
const { Types } = require('kafkajs/src/protocol/message/compression') as { Types: { GZIP: number } };

const ctx = (over: Partial<RecordSetContext> = {}): RecordSetContext => ({
  topic: 't',
  partition: 3,
  fetchOffset: 0,
  includeHeaders: true,
  abortedTransactions: null,
  checkCrcs: true,
  ...over,
});

async function decode(records: Buffer, over: Partial<RecordSetContext> = {}) {
  const rows: Row[] = [];
  const nextOffset = await decodeRecordSet(records, ctx(over), rows);
  return { rows, nextOffset };
}

/** A batch of kafkajs's encoder: what kafkajs producers send and Kafka stores as is. */
async function kafkajsBatch(
  firstOffset: number,
  firstTimestamp: number,
  records: { key: Buffer | null; value: Buffer | null; timestampDelta: number; headers: Headers }[],
  gzip: boolean,
): Promise<Buffer> {
  const batch = await RecordBatch({
    compression: gzip ? Types.GZIP : 0,
    firstOffset: String(firstOffset),
    firstTimestamp,
    maxTimestamp: firstTimestamp + Math.max(0, ...records.map((r) => r.timestampDelta)),
    lastOffsetDelta: records.length - 1,
    records: records.map((r, i) => Record({ ...r, offsetDelta: i })),
  });
  return batch.buffer;
}

async function kafkajsDecode(records: Buffer): Promise<KafkajsRecord[]> {
  const decoder = new KafkajsDecoder(records) as { canReadBytes(n: number): boolean };
  const out: KafkajsRecord[] = [];
  while (decoder.canReadBytes(61)) out.push(...(await decodeKafkajsBatch(decoder)).records);
  return out;
}

/** Batch `b` placed at `offset` (the CRC does not cover the base offset). */
function at(offset: number, b: Buffer): Buffer {
  const copy = Buffer.from(b);
  copy.writeBigInt64BE(BigInt(offset), 0);
  return copy;
}

const offsets = (rows: Row[]) => rows.map((r) => r[4]);
const values = (rows: Row[]) => rows.map((r) => (r[1] as Buffer).toString());

describe('record batch decoder', () => {
  it("reads what kafkajs's decoder reads, on random batches", async () => {
    const r = rng(11);
    const bytes = (): Buffer | null =>
      r() < 0.1
        ? null
        : Buffer.from(r() < 0.5 ? `k€y-${Math.floor(r() * 1e6)}` : 'x'.repeat(Math.floor(r() * 400)));
    for (let trial = 0; trial < 60; trial++) {
      const batches: Buffer[] = [];
      let offset = Math.floor(r() * 1e12);
      const first = offset;
      for (let b = 0; b < 1 + Math.floor(r() * 4); b++) {
        const records = Array.from({ length: 1 + Math.floor(r() * 40) }, () => {
          const headers: Headers = {};
          if (r() < 0.4) headers.trace = Buffer.from(`id-${Math.floor(r() * 100)}`);
          if (r() < 0.2) headers.tag = [Buffer.from('a'), Buffer.from('ü')];
          return { key: bytes(), value: bytes(), timestampDelta: Math.floor((r() - 0.3) * 5e9), headers };
        });
        batches.push(
          await kafkajsBatch(offset, 1_600_000_000_000 + Math.floor(r() * 1e11), records, r() < 0.3),
        );
        offset += records.length;
      }
      const set = Buffer.concat(batches);
      const expected = await kafkajsDecode(set);
      const { rows, nextOffset } = await decode(set, { fetchOffset: first });
      expect(nextOffset).toBe(offset);
      expect(rows.length).toBe(expected.length);
      rows.forEach((row, i) => {
        const m = expected[i]!;
        expect(row.slice(0, 7)).toEqual([
          m.key,
          m.value,
          't',
          3,
          Number(m.offset),
          Number(m.timestamp) * 1000,
          0,
        ]);
        // Spark's headers: (key, value) in record order; kafkajs groups repeated names into arrays.
        const flat = Object.entries(m.headers).flatMap(([k, v]) =>
          (Array.isArray(v) ? v : [v]).map((x) => [k, x]),
        );
        expect(row[7]).toEqual(flat);
      });
    }
  });

  it('drops the records of aborted transactions under read_committed, and every control record', async () => {
    const txn = (producerId: number, values: string[]) =>
      buildBatch(values, { producerId, producerEpoch: 0, transactional: true, timestamp: 1000 });
    const marker = (producerId: number, commit: boolean) =>
      controlBatch({ producerId, producerEpoch: 0, commit, timestamp: 1000 });
    // Producer 7 aborts [0, 3), producer 8 commits [3, 5) around a plain batch, both markers follow.
    const set = Buffer.concat([
      at(0, txn(7, ['a0', 'a1', 'a2'])),
      at(3, txn(8, ['c3', 'c4'])),
      at(5, buildBatch(['p5'], { timestamp: 1000 })),
      at(6, marker(7, false)),
      at(7, marker(8, true)),
      at(8, txn(7, ['n8'])),
    ]);
    const committed = await decode(set, { abortedTransactions: [{ producerId: 7n, firstOffset: 0 }] });
    expect(offsets(committed.rows)).toEqual([3, 4, 5, 8]);
    expect(values(committed.rows)).toEqual(['c3', 'c4', 'p5', 'n8']);
    expect(committed.nextOffset).toBe(9);
    const uncommitted = await decode(set);
    expect(values(uncommitted.rows)).toEqual(['a0', 'a1', 'a2', 'c3', 'c4', 'p5', 'n8']);
    expect(uncommitted.nextOffset).toBe(9);
  });

  it('starts at the fetch offset inside a batch (compressed too) and leaves a cut-off batch for the next fetch', async () => {
    for (const gzip of [false, true]) {
      const set = Buffer.concat([
        at(10, buildBatch(['v10', 'v11', 'v12', 'v13'], { gzip, timestamp: 5000 })),
        at(14, buildBatch(['v14', 'v15'], { gzip, timestamp: 5000 })),
      ]);
      const mid = await decode(set, { fetchOffset: 12 });
      expect(values(mid.rows)).toEqual(['v12', 'v13', 'v14', 'v15']);
      expect(mid.nextOffset).toBe(16);
      const cut = await decode(set.subarray(0, set.length - 5), { fetchOffset: 12 });
      expect(values(cut.rows)).toEqual(['v12', 'v13']);
      expect(cut.nextOffset).toBe(14);
      const none = await decode(set.subarray(0, 30), { fetchOffset: 10 });
      expect(none).toEqual({ rows: [], nextOffset: 10 });
    }
  });

  it('gives log-append time batches their broker timestamp, and refuses message format v1', async () => {
    const b = buildBatch(['x', 'y'], { timestamps: [1000, 2000] });
    const { rows } = await decode(b);
    expect(rows.map((r) => [r[5], r[6]])).toEqual([
      [1_000_000, 0],
      [2_000_000, 0],
    ]);
    const logAppend = Buffer.from(b);
    logAppend.writeInt16BE(logAppend.readInt16BE(21) | 0x08, 21);
    logAppend.writeBigInt64BE(9000n, 35);
    logAppend.writeUInt32BE(crc32c(logAppend, 21), 17); // as the broker does when it sets the time
    expect((await decode(logAppend)).rows.map((r) => [r[5], r[6]])).toEqual([
      [9_000_000, 1],
      [9_000_000, 1],
    ]);
    const v1 = Buffer.from(b);
    v1.writeInt8(1, 16);
    await expect(decode(v1)).rejects.toThrow(UnsupportedMessageFormatError);
    await expect(decode(v1)).rejects.toThrow(/message format v1 at offset 0/);
  });

  it("verifies each batch's CRC-32C (Kafka's check.crcs), failing on a corrupt batch with the Java consumer's words", async () => {
    const good = at(5, buildBatch(['ok'], { timestamp: 1000 }));
    const bad = at(6, buildBatch(['value'], { timestamp: 1000 }));
    const flipped = bad.indexOf('value');
    bad[flipped] = bad[flipped]! ^ 0x20; // 'Value': one bit of a record's bytes
    const stored = bad.readUInt32BE(17);
    const computed = crc32c(bad, 21);
    expect(computed).not.toBe(stored);
    const set = Buffer.concat([good, bad]);
    await expect(decode(set)).rejects.toThrow(CorruptRecordBatchError);
    await expect(decode(set)).rejects.toThrow(
      `Record batch for partition t-3 at offset 6 is invalid, cause: Record is corrupt (stored crc = ${stored}, computed crc = ${computed})`,
    );
    // check.crcs=false reads what is there, as Kafka's consumer does
    expect(values((await decode(set, { checkCrcs: false })).rows)).toEqual(['ok', 'Value']);
  });
});
