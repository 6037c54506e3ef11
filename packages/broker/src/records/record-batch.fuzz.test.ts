/**
 * Seeded fuzz of the produce path with batches whose CRC is always valid (so mutations reach the
 * header and record checks, not just the CRC): random header fields, record bytes, codec bits and
 * random garbage, appended to a real partition log. Properties, for every input: the append either
 * succeeds or answers an error code (never throws); every stored batch reads back and decodes; the
 * log reopens after an unclean stop at the same next offset; and what was acknowledged is all there.
 *
 * `npm test` runs SLUICE_FUZZ_ITERATIONS (default 1500); `npm run fuzz` runs many more.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { PartitionLog } from '../storage/partition-log.js';
import { prng } from '../test-support/harness.js';
import { buildBatch } from './batch-builder.js';
import { crc32c } from './crc32c.js';
import { BATCH_HEADER_SIZE, Off } from './record-batch.js';
import { walkRecords } from './verify-batch.js';

const ITERATIONS = Number(process.env.SLUICE_FUZZ_ITERATIONS ?? 1500);
const SEED = Number(process.env.SLUICE_FUZZ_SEED ?? 20261204);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-batch-fuzz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const config = {
  segmentBytes: 64 * 1024,
  segmentMs: 3_600_000,
  retentionMs: -1,
  retentionBytes: -1,
  maxMessageBytes: 1024 * 1024,
  fsync: 'never' as const,
};

/** Interesting values for the int32 header fields. */
const INT32S = [0, 1, -1, 2, 5, 2147483647, -2147483648, 1000, -5];

function mutate(rnd: () => number): Buffer {
  const int = (n: number) => Math.floor(rnd() * n);
  const values = Array.from({ length: 1 + int(4) }, (_, i) => `v${i}-${'x'.repeat(int(20))}`);
  const b = Buffer.from(buildBatch(values, { gzip: rnd() < 0.3 }));
  const mutations = 1 + int(3);
  for (let m = 0; m < mutations; m++) {
    switch (int(7)) {
      case 0:
        b.writeInt32BE(INT32S[int(INT32S.length)]!, Off.lastOffsetDelta);
        break;
      case 1:
        b.writeInt32BE(INT32S[int(INT32S.length)]!, Off.recordsCount);
        break;
      case 2:
        b.writeInt16BE((b.readInt16BE(Off.attributes) & ~0x07) | int(8), Off.attributes);
        break;
      case 3:
        b.writeBigInt64BE(BigInt(int(2) ? -int(1e6) : Date.now() + int(1e9)), Off.maxTimestamp);
        break;
      case 4:
        if (b.length > BATCH_HEADER_SIZE) b[BATCH_HEADER_SIZE + int(b.length - BATCH_HEADER_SIZE)] = int(256);
        break;
      case 5:
        b.writeInt16BE(int(2) ? 0x20 : 0x10, Off.attributes); // control or transactional bit
        break;
      default:
        break; // leave one well-formed now and then
    }
  }
  b.writeUInt32BE(crc32c(b, Off.attributes, b.length), Off.crc);
  return b;
}

test(`${ITERATIONS} valid-CRC mutated batches: never a throw, every stored batch decodes, the log reopens intact`, () => {
  const rnd = prng(SEED);
  let log = new PartitionLog('fuzz', 0, path.join(dir, 'fuzz-0'), config, true);
  let acked = 0;
  let refused = 0;
  try {
    for (let i = 0; i < ITERATIONS; i++) {
      const batch =
        rnd() < 0.05
          ? Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)))
          : mutate(rnd);
      const before = log.nextOffset;
      const result = log.append(batch);
      if (result.errorCode === 0) {
        acked += log.nextOffset - before;
        expect(log.nextOffset).toBeGreaterThan(before);
      } else {
        refused++;
        expect(log.nextOffset, `iteration ${i}: a refused batch moved the log`).toBe(before);
      }
      if (i % 250 === 249) {
        // An unclean stop (no clean flag) makes the log re-verify its active segment on open.
        const next = log.nextOffset;
        log.flush();
        log.close();
        log = new PartitionLog('fuzz', 0, path.join(dir, 'fuzz-0'), config, false);
        expect(log.nextOffset, `iteration ${i}: reopened at another offset`).toBe(next);
      }
    }
    // Everything stored reads back, batch by batch, and every batch decodes.
    let offset = 0;
    let batches = 0;
    while (offset < log.nextOffset) {
      const r = log.read(offset, 1024 * 1024, false);
      expect(r.errorCode).toBe(0);
      const bytes = r.records;
      if (!bytes || bytes.length === 0) break;
      let at = 0;
      while (at < bytes.length) {
        const size = 12 + bytes.readInt32BE(at + Off.batchLength);
        const one = bytes.subarray(at, at + size);
        expect(() => walkRecords(one)).not.toThrow();
        offset = Number(one.readBigInt64BE(0)) + one.readInt32BE(Off.lastOffsetDelta) + 1;
        at += size;
        batches++;
      }
    }
    expect(offset).toBe(log.nextOffset);
    expect(offset).toBe(acked);
    expect(batches).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  } finally {
    log.close();
  }
}, 120_000);
