/**
 * Connection limits (Kafka's socket.request.max.bytes, queued.max.request.bytes and
 * connections.max.idle.ms): a handful of sockets can no longer make the broker hold hundreds of MB of
 * half-received requests, and idle or slowloris connections no longer stay open forever.
 */
import { afterEach, expect, test } from 'vitest';
import { type TestBroker, testBroker } from './test-support/harness.js';
import { RawClient } from './test-support/raw-client.js';

let broker: TestBroker | undefined;
afterEach(async () => {
  await broker?.cleanup();
  broker = undefined;
});

/** ApiVersions v0 as raw bytes (size prefix included). */
function apiVersionsRequest(correlationId: number): Buffer {
  const client = Buffer.from('raw');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(client.length, 8);
  client.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** A well-formed ApiVersions request padded (after its header) to `total` bytes. */
function paddedApiVersions(correlationId: number, total: number): Buffer {
  const req = apiVersionsRequest(correlationId);
  const padded = Buffer.alloc(total);
  req.copy(padded);
  padded.writeInt32BE(total - 4, 0);
  return padded;
}

test('a request larger than socket.request.max.bytes closes only that connection', async () => {
  broker = await testBroker({ maxRequestBytes: 1024 });
  const big = await RawClient.connect(broker.port);
  const size = Buffer.alloc(4);
  size.writeInt32BE(4096);
  big.writeRaw(size);
  await big.closed;
  const ok = await RawClient.connect(broker.port);
  ok.writeRaw(apiVersionsRequest(1));
  expect((await ok.next()).int32()).toBe(1);
  ok.close();
});

test('requests being received share one memory pool: a connection waits until another request frees it', async () => {
  broker = await testBroker({ maxQueuedRequestBytes: 64 * 1024 });
  const holder = await RawClient.connect(broker.port);
  const waiter = await RawClient.connect(broker.port);
  // The holder announces a 60 KiB request and sends only part of it: the pool is (almost) full.
  const big = paddedApiVersions(7, 60 * 1024);
  holder.writeRaw(big.subarray(0, 1000));
  await new Promise((r) => setTimeout(r, 100));
  // The waiter's 8 KiB request does not fit next to it: it is not read, so not answered...
  waiter.writeRaw(paddedApiVersions(9, 8 * 1024));
  const answered = waiter.next(10_000);
  let early = false;
  void answered.then(() => {
    early = true;
  });
  await new Promise((r) => setTimeout(r, 300));
  expect(early).toBe(false);
  // ...until the holder's request completes and is handled; then both are answered.
  holder.writeRaw(big.subarray(1000));
  expect((await holder.next()).int32()).toBe(7);
  expect((await answered).int32()).toBe(9);
  holder.close();
  waiter.close();
});

test('connections.max.idle.ms closes idle and slowloris connections, never an active one', async () => {
  broker = await testBroker({ connectionsMaxIdleMs: 400 });
  const idle = await RawClient.connect(broker.port);
  const slow = await RawClient.connect(broker.port);
  const active = await RawClient.connect(broker.port);
  const request = paddedApiVersions(3, 2000);
  let at = 0;
  let activeAnswers = 0;
  const drip = setInterval(() => {
    // slowloris: one byte every 50 ms, never completing its request within the idle time.
    if (at < request.length) slow.writeRaw(request.subarray(at, ++at));
  }, 50);
  const busy = setInterval(() => {
    active.writeRaw(apiVersionsRequest(activeAnswers));
    void active.next().then(() => activeAnswers++);
  }, 100);
  try {
    await Promise.all([idle.closed, slow.closed]);
    let activeClosed = false;
    void active.closed.then(() => {
      activeClosed = true;
    });
    const seen = activeAnswers;
    await new Promise((r) => setTimeout(r, 600));
    expect(activeClosed).toBe(false);
    expect(activeAnswers).toBeGreaterThan(seen);
  } finally {
    clearInterval(drip);
    clearInterval(busy);
    active.close();
  }
});
