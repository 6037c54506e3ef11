/**
 * The kafkajs patch (patches/kafkajs@2.2.4.patch) encodes an uncompressed batch's records into one
 * buffer instead of an Encoder per record. Its bytes must be kafkajs's own: compared here with
 * kafkajs's per-record encoder (still used for compressed batches) on random batches — keys and
 * values as strings (multi-byte too), Buffers, byte views and nulls, timestamps as numbers and
 * strings, headers with repeated keys — and read back through the embedded broker by another client
 * (the broker checks each produced batch's CRC and record layout).
 */
import { createRequire } from 'node:module';
import { crc32c } from '@sluice/broker';
import { describe, expect, it } from 'vitest';
import { rng } from '../../differential/generator.js';
import { until, useKafkaTestEnv } from '../../sources/kafka/test-support/kafka-test-env.js';

const require = createRequire(import.meta.url);
type Message = {
  key?: unknown;
  value?: unknown;
  timestamp?: number | string;
  headers?: Record<string, unknown>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (
  r: Message & { offsetDelta: number; timestampDelta: number },
) => unknown;
const Encoder = require('kafkajs/src/protocol/encoder') as new () => {
  writeArray(a: unknown[]): { buffer: Buffer };
};
const encodeRecords = require('kafkajs/src/protocol/recordBatch/record/v0/encodeRecords') as (
  messages: Message[],
  firstTimestamp: number | string,
  dateNow: number,
) => Buffer;

function bytes(r: () => number): unknown {
  const x = r();
  if (x < 0.15) return null;
  if (x < 0.25) return undefined;
  if (x < 0.45) return Buffer.from(`bü${x}`);
  if (x < 0.5) return new Uint8Array([1, 2, 255]);
  if (x < 0.6) return 'x'.repeat(Math.floor(r() * 300));
  return `värde-${x}-€`;
}

describe('kafkajs record encoding (patched)', () => {
  it('writes the bytes of kafkajs per-record encoder', () => {
    const r = rng(7);
    const now = 1_700_000_000_000;
    for (let t = 0; t < 500; t++) {
      const messages: Message[] = [];
      const n = 1 + Math.floor(r() * 150);
      for (let i = 0; i < n; i++) {
        const m: Message = { key: bytes(r), value: bytes(r) };
        if (m.value instanceof Uint8Array && !Buffer.isBuffer(m.value)) m.value = Buffer.from(m.value);
        if (m.key instanceof Uint8Array && !Buffer.isBuffer(m.key)) m.key = Buffer.from(m.key);
        if (r() < 0.3) {
          const ts = now + Math.floor(r() * 1e7);
          m.timestamp = r() < 0.5 ? ts : String(ts);
        }
        if (r() < 0.3)
          m.headers = { a: r() < 0.5 ? 'z' : Buffer.from('zz'), b: [Buffer.from('1'), 'two'], ключ: 'v' };
        else if (r() < 0.05) m.headers = {};
        messages.push(m);
      }
      const stamps = messages
        .map((m) => m.timestamp)
        .filter((x) => x != null)
        .sort();
      const first = stamps[0] ?? now;
      const perRecord = new Encoder().writeArray(
        messages.map((m, i) =>
          Record({ ...m, offsetDelta: i, timestampDelta: Number(m.timestamp || now) - Number(first) }),
        ),
      ).buffer;
      expect(encodeRecords(messages, first, now).equals(perRecord.subarray(4))).toBe(true);
    }
  });

  it("checksums batches as the broker's CRC-32C does, at every alignment and length (patched slice-by-16)", () => {
    const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283); // the CRC-32C check value
    const r = rng(11);
    const pool = Buffer.alloc(4096);
    for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(r() * 256);
    for (let start = 0; start < 8; start++) {
      for (const length of [0, 1, 3, 15, 16, 17, 31, 64, 100, 1000, 4000]) {
        const view = pool.subarray(start, start + length);
        expect(crc32C(view)).toBe(crc32c(view));
      }
    }
  });

  it('takes a byte view as its bytes, and refuses a number as kafkajs does', () => {
    const view = new Uint8Array([9, 8, 7]).subarray(1);
    const viaView = encodeRecords([{ value: view }], 0, 0);
    const viaBuffer = encodeRecords([{ value: Buffer.from([8, 7]) }], 0, 0);
    expect(viaView.equals(viaBuffer)).toBe(true);
    expect(() => encodeRecords([{ value: 42 }], 0, 0)).toThrow(TypeError);
  });

  const env = useKafkaTestEnv('kafkajs-encoding');
  it('round-trips through the broker: keys, values, nulls, timestamps and headers', async () => {
    const topic = env.uniq('enc');
    await env.createTopic(topic, 1);
    const p = env.kafka.producer();
    await p.connect();
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: i % 3 === 0 ? null : `k-${i}-ü`,
      value: i % 5 === 0 ? null : i % 2 === 0 ? Buffer.from(`v${i}`) : `välue ${i}`,
      timestamp: String(1_700_000_000_000 + i * 10),
      headers: i % 4 === 0 ? { h: [`a${i}`, Buffer.from('b')] } : undefined,
    }));
    await p.send({ topic, messages, acks: -1 });
    await p.disconnect();
    const seen: { key: string | null; value: string | null; ts: string; h: string[] }[] = [];
    const c = env.kafka.consumer({ groupId: env.uniq('enc-reader'), maxWaitTimeInMs: 50 });
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        const h = message.headers?.h;
        seen.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          ts: message.timestamp,
          h: h === undefined ? [] : (Array.isArray(h) ? h : [h]).map(String),
        });
      },
    });
    await until(() => seen.length >= messages.length, 'all records read back');
    await c.disconnect();
    expect(seen).toEqual(
      messages.map((m, i) => ({
        key: m.key,
        value: m.value === null ? null : m.value.toString(),
        ts: String(1_700_000_000_000 + i * 10),
        h: m.headers ? [`a${i}`, 'b'] : [],
      })),
    );
  });
});
