import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ErrorCode } from '../protocol/error-codes.js';
import { buildBatch } from '../records/batch-builder.js';
import { tempDir } from '../test-support/harness.js';
import { type LogConfig, PartitionLog } from './partition-log.js';

const config: LogConfig = {
  segmentBytes: 1024,
  segmentMs: 3_600_000,
  retentionMs: -1,
  retentionBytes: -1,
  maxMessageBytes: 1 << 20,
  fsync: 'never',
};
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.promises.rm(d, { recursive: true, force: true });
});
async function newDir(): Promise<string> {
  const d = await tempDir('plog-');
  dirs.push(d);
  return d;
}
const segments = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort();

test('appends assign offsets, roll segments and serve whole batches across segments', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, config, true);
  for (let i = 0; i < 40; i++) {
    const r = log.append(buildBatch([`a${i}`, `b${i}`, `c${i}`]));
    expect(r).toEqual({ errorCode: 0, baseOffset: i * 3 });
  }
  expect(log.nextOffset).toBe(120);
  expect(segments(dir).length).toBeGreaterThan(3);
  // Reading from an offset in the middle of a batch returns the whole batch that holds it.
  const r = log.read(61, 1, false);
  expect(r.records!.readBigInt64BE(0)).toBe(60n);
  // Walk the whole log through read() and count batches.
  let offset = 0;
  let batches = 0;
  while (offset < log.nextOffset) {
    const { records } = log.read(offset, 100_000, false);
    let at = 0;
    while (at < records!.length) {
      batches++;
      offset = Number(records!.readBigInt64BE(at)) + records!.readInt32BE(at + 23) + 1;
      at += 12 + records!.readInt32BE(at + 8);
    }
  }
  expect(batches).toBe(40);
  expect(log.read(121, 100, false).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  expect(log.read(120, 100, false).records!.length).toBe(0);
  log.close();

  // Clean restart: indexes are loaded, nothing is rescanned, state identical.
  const again = new PartitionLog('t', 0, dir, config, true);
  expect(again.nextOffset).toBe(120);
  expect(again.read(61, 1, false).records!.readBigInt64BE(0)).toBe(60n);
  again.close();
  // Unclean restart with a broken index: the segment is rescanned and the index rebuilt.
  const idx = path.join(dir, segments(dir).at(-1)!.replace('.log', '.index'));
  fs.writeFileSync(idx, Buffer.from([1, 2, 3]));
  const third = new PartitionLog('t', 0, dir, config, false);
  expect(third.nextOffset).toBe(120);
  expect(fs.statSync(idx).size % 8).toBe(0);
  third.close();
});

test('timestamps: ListOffsets by time finds the first record at or after the time', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, config, true);
  for (let i = 0; i < 10; i++) log.append(buildBatch([`x${i}`], { timestamp: 1000 + i * 100 }));
  expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
  expect(log.offsetForTimestamp(1450)).toEqual({ offset: 5, timestamp: 1500 });
  expect(log.offsetForTimestamp(5000)).toEqual({ offset: -1, timestamp: -1 });
  // Inside a batch: the exact record, for plain and gzip batches.
  log.append(buildBatch(['a', 'b', 'c', 'd'], { timestamps: [6000, 6100, 6200, 6300] })); // offsets 10..13
  log.append(buildBatch(['e', 'f', 'g'], { timestamps: [7000, 7100, 7200], gzip: true })); // offsets 14..16
  expect(log.offsetForTimestamp(6150)).toEqual({ offset: 12, timestamp: 6200 });
  expect(log.offsetForTimestamp(6000)).toEqual({ offset: 10, timestamp: 6000 });
  expect(log.offsetForTimestamp(7050)).toEqual({ offset: 15, timestamp: 7100 });
  expect(log.offsetForTimestamp(7300)).toEqual({ offset: -1, timestamp: -1 });
  log.close();
});

test('retention by size and by time drops whole closed segments and moves the log start', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, { ...config, retentionBytes: 2048 }, true);
  for (let i = 0; i < 60; i++) log.append(buildBatch([`v${i}`.padEnd(100, '.')], { timestamp: 1000 }));
  const before = segments(dir).length;
  log.enforceRetention(Date.now());
  expect(segments(dir).length).toBeLessThan(before);
  expect(log.sizeBytes).toBeLessThanOrEqual(2048 + 1024);
  expect(log.logStartOffset).toBeGreaterThan(0);
  expect(log.read(0, 100, false).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);

  log.updateConfig({ ...config, retentionMs: 60_000 });
  log.enforceRetention(Date.now()); // every record is from 1970: all closed segments go
  expect(segments(dir)).toHaveLength(1);
  log.close();
});

test('DeleteRecords moves the log start offset durably', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, config, true);
  for (let i = 0; i < 30; i++) log.append(buildBatch([`v${i}`.padEnd(60, '.')]));
  expect(log.deleteRecordsBefore(17)).toBe(17);
  expect(log.read(16, 100, false).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  expect(log.read(17, 100, false).records!.readBigInt64BE(0)).toBe(17n);
  log.close();
  const again = new PartitionLog('t', 0, dir, config, true);
  expect(again.logStartOffset).toBe(17);
  expect(again.deleteRecordsBefore(-1)).toBe(30); // -1: up to the high watermark
  again.append(buildBatch(['after']));
  expect(again.read(30, 100, false).records!.readBigInt64BE(0)).toBe(30n);
  again.close();
});

test('idempotent producer: duplicates return the original offset, gaps are rejected, old epochs fenced', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, config, true);
  const p = { producerId: 7, producerEpoch: 0 };
  expect(log.append(buildBatch(['a', 'b'], { ...p, baseSequence: 0 }))).toEqual({
    errorCode: 0,
    baseOffset: 0,
  });
  expect(log.append(buildBatch(['c'], { ...p, baseSequence: 2 }))).toEqual({ errorCode: 0, baseOffset: 2 });
  expect(log.append(buildBatch(['a', 'b'], { ...p, baseSequence: 0 }))).toEqual({
    errorCode: 0,
    baseOffset: 0,
  });
  expect(log.nextOffset).toBe(3);
  expect(log.append(buildBatch(['z'], { ...p, baseSequence: 9 })).errorCode).toBe(
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  );
  expect(log.append(buildBatch(['n'], { producerId: 7, producerEpoch: 1, baseSequence: 0 })).errorCode).toBe(
    0,
  );
  expect(log.append(buildBatch(['o'], { ...p, baseSequence: 3 })).errorCode).toBe(
    ErrorCode.INVALID_PRODUCER_EPOCH,
  );
  log.close();
  // The sequence state survives a clean restart (snapshot) and an unclean one (replayed from the log).
  for (const clean of [true, false]) {
    const again = new PartitionLog('t', 0, dir, config, clean);
    expect(again.append(buildBatch(['n'], { producerId: 7, producerEpoch: 1, baseSequence: 0 }))).toEqual({
      errorCode: 0,
      baseOffset: 3,
    });
    again.close();
  }
});

test('transactions: last stable offset, aborted ranges for read_committed, markers', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, config, true);
  log.append(buildBatch(['plain']));
  log.append(
    buildBatch(['t1', 't2'], { producerId: 9, producerEpoch: 0, baseSequence: 0, transactional: true }),
  );
  expect(log.lastStableOffset).toBe(1);
  expect(log.read(0, 1 << 20, true).records!.length).toBeGreaterThan(0);
  expect(log.read(1, 1 << 20, true).records!.length).toBe(0); // nothing stable past the open transaction
  const marker = log.writeMarker(9, 0, false);
  expect(marker).toBe(3);
  expect(log.lastStableOffset).toBe(4);
  const rc = log.read(1, 1 << 20, true);
  expect(rc.abortedTransactions).toEqual([{ producerId: 9, firstOffset: 1 }]);
  expect(log.read(1, 1 << 20, false).abortedTransactions).toBeNull();
  log.close();
  const again = new PartitionLog('t', 0, dir, config, true);
  expect(again.read(0, 1 << 20, true).abortedTransactions).toEqual([{ producerId: 9, firstOffset: 1 }]);
  again.close();
});

test('max.message.bytes: a larger batch gets MESSAGE_TOO_LARGE and is not stored', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, { ...config, maxMessageBytes: 500 }, true);
  expect(log.append(buildBatch(['x'.repeat(600)])).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
  expect(log.append(buildBatch(['small'])).baseOffset).toBe(0);
  log.close();
});

test("fsync 'always' appends are readable after a restart", async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, { ...config, fsync: 'always' }, true);
  for (let i = 0; i < 5; i++) log.append(buildBatch([`s${i}`]));
  log.close();
  const again = new PartitionLog('t', 0, dir, { ...config, fsync: 'always' }, false);
  expect(again.nextOffset).toBe(5);
  again.close();
});

test('after a crash, producer state = snapshot from the last roll + replay of the active segment', async () => {
  const dir = await newDir();
  const log = new PartitionLog('t', 0, dir, config, true);
  const p = { producerId: 42, producerEpoch: 3 };
  const offsets: number[] = [];
  for (let seq = 0; seq < 30; seq++)
    offsets.push(log.append(buildBatch([`v${seq}`.padEnd(80, '.')], { ...p, baseSequence: seq })).baseOffset);
  expect(segments(dir).length).toBeGreaterThan(2);
  // A large plain batch rolls the log: the producer's batches now all sit in closed segments,
  // so only the snapshot taken at that roll knows them.
  log.append(buildBatch(['plain'.padEnd(2000, '.')]));
  // Simulate kill -9: no close(), no clean-shutdown snapshot.
  log.flush();
  const again = new PartitionLog('t', 0, dir, config, false);
  // A retried batch whose sequence is in the cache gets its original offset back.
  expect(again.append(buildBatch(['v29'.padEnd(80, '.')], { ...p, baseSequence: 29 }))).toEqual({
    errorCode: 0,
    baseOffset: offsets[29],
  });
  expect(again.append(buildBatch(['gap'], { ...p, baseSequence: 31 })).errorCode).toBe(
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  );
  expect(again.append(buildBatch(['next'], { ...p, baseSequence: 30 }))).toEqual({
    errorCode: 0,
    baseOffset: 31,
  });
  expect(
    again.append(buildBatch(['old'], { producerId: 42, producerEpoch: 2, baseSequence: 0 })).errorCode,
  ).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  again.close();
});
