/**
 * The broker's own ceiling, without a client library's encoding cost: pre-encoded Produce v7
 * requests (one 1000-record batch each) pipelined 16 deep over one connection, then Fetch v11
 * from offset 0 to the end. Every request still pays CRC-32C verification and a file write.
 */
import net from 'node:net';
import { buildBatch } from '@sluice/broker';
import type { Throughput } from './stats.js';

class Conn {
  private chunks: Buffer[] = [];
  private total = 0;
  private waiters: ((f: Buffer) => void)[] = [];
  constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.total += d.length;
      for (;;) {
        if (this.total < 4) return;
        if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks)];
        const n = this.chunks[0]!.readInt32BE(0);
        if (this.total < 4 + n) return;
        // Concatenate once per response (a 16 MiB fetch arrives in hundreds of chunks).
        const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.total);
        const f = all.subarray(4, 4 + n);
        const rest = all.subarray(4 + n);
        this.chunks = rest.length ? [rest] : [];
        this.total = rest.length;
        this.waiters.shift()!(f);
      }
    });
  }
  static open(bootstrap: string): Promise<Conn> {
    const [host, port] = bootstrap.split(':') as [string, string];
    return new Promise((resolve, reject) => {
      const s = net.connect(Number(port), host, () => resolve(new Conn(s)));
      s.once('error', reject);
    });
  }
  request(frame: Buffer): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.sock.write(frame);
    });
  }
  close(): void {
    this.sock.destroy();
  }
}

function header(apiKey: number, version: number, correlationId: number, bodyLength: number): Buffer {
  const clientId = Buffer.from('wire-bench');
  const h = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
  h.writeInt32BE(h.length - 4 + bodyLength, 0);
  h.writeInt16BE(apiKey, 4);
  h.writeInt16BE(version, 6);
  h.writeInt32BE(correlationId, 8);
  h.writeInt16BE(clientId.length, 12);
  clientId.copy(h, 14);
  return h;
}
function str(s: string): Buffer {
  const b = Buffer.alloc(2 + Buffer.byteLength(s));
  b.writeInt16BE(b.length - 2, 0);
  b.write(s, 2);
  return b;
}
function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
}
function i64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n), 0);
  return b;
}
function frame(apiKey: number, version: number, correlationId: number, body: Buffer[]): Buffer {
  const payload = Buffer.concat(body);
  return Buffer.concat([header(apiKey, version, correlationId, payload.length), payload]);
}

export async function wireProduce(
  bootstrap: string,
  topic: string,
  messageBytes: number,
  count: number,
): Promise<Throughput> {
  const conn = await Conn.open(bootstrap);
  await conn.request(frame(3, 1, 0, [i32(1), str(topic)])); // Metadata v1 auto-creates the topic
  const perBatch = 1000;
  const batch = buildBatch(Array.from({ length: perBatch }, () => 'x'.repeat(messageBytes)));
  const requests = Math.ceil(count / perBatch);
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const id = ++next;
      // Produce v7: transactional_id null, acks -1, timeout, [topic [partition 0, records]]
      // 0xffff 0xffff: int16 null transactional id, int16 acks = -1. The broker rewrites the
      // batch's base offset in place, so each request gets its own copy.
      const body = [
        Buffer.from([0xff, 0xff, 0xff, 0xff]),
        i32(30_000),
        i32(1),
        str(topic),
        i32(1),
        i32(0),
        i32(batch.length),
        Buffer.from(batch),
      ];
      const res = await conn.request(frame(0, 7, id, body));
      // correlation(4) [responses](4) name(2+n) [partitions](4) index(4) error_code(2)
      const errorCode = res.readInt16BE(4 + 4 + 2 + topic.length + 4 + 4);
      if (errorCode !== 0) throw new Error(`produce error ${errorCode}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  conn.close();
  return { client: 'wire', phase: 'produce', messageBytes, messages: requests * perBatch, seconds };
}

export async function wireConsume(
  bootstrap: string,
  topic: string,
  messageBytes: number,
  count: number,
): Promise<Throughput> {
  const conn = await Conn.open(bootstrap);
  let offset = 0;
  let messages = 0;
  const start = process.hrtime.bigint();
  while (messages < count) {
    // Fetch v4: replica -1, max_wait 500, min_bytes 1, max_bytes 16 MiB, read_uncommitted,
    // [topic [partition 0, fetch_offset, partition_max_bytes 16 MiB]]
    const res = await conn.request(
      frame(1, 4, 1, [
        i32(-1),
        i32(500),
        i32(1),
        i32(16 << 20),
        Buffer.from([0]),
        i32(1),
        str(topic),
        i32(1),
        i32(0),
        i64(offset),
        i32(16 << 20),
      ]),
    );
    let at = 4 + 4 + 4 + 2 + topic.length + 4 + 4; // correlation, throttle, [responses], name, [partitions], index
    const errorCode = res.readInt16BE(at);
    if (errorCode !== 0) throw new Error(`fetch error ${errorCode}`);
    at += 2 + 8 + 8; // error, high watermark, last stable offset
    const aborted = res.readInt32BE(at);
    at += 4 + Math.max(0, aborted) * 16;
    const size = res.readInt32BE(at);
    at += 4;
    const end = at + size;
    while (at + 61 <= end) {
      const base = Number(res.readBigInt64BE(at));
      const len = res.readInt32BE(at + 8);
      if (at + 12 + len > end) break;
      const records = res.readInt32BE(at + 57);
      if (base + res.readInt32BE(at + 23) >= offset) messages += records;
      offset = base + res.readInt32BE(at + 23) + 1;
      at += 12 + len;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  conn.close();
  return { client: 'wire', phase: 'consume', messageBytes, messages, seconds };
}
