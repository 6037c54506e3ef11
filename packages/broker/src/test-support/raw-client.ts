/** A minimal raw Kafka-protocol client for wire-level tests (pipelining, bad versions, garbage). */
import net from 'node:net';
import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void)[] = [];
  private frames: Buffer[] = [];
  closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        const size = this.buf.readInt32BE(0);
        const frame = this.buf.subarray(4, 4 + size);
        this.buf = this.buf.subarray(4 + size);
        const w = this.waiting.shift();
        if (w) w(frame);
        else this.frames.push(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends a request (header v1 + body written by `body`). */
  send(
    apiKey: number,
    apiVersion: number,
    correlationId: number,
    body: (w: Writer) => void = () => {},
  ): void {
    const w = new Writer();
    w.int16(apiKey).int16(apiVersion).int32(correlationId).nullableString('raw-client');
    body(w);
    const payload = w.toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    this.socket.write(Buffer.concat([size, payload]));
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  next(timeoutMs = 5000): Promise<Reader> {
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(new Reader(ready));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no response')), timeoutMs);
      this.waiting.push((f) => {
        clearTimeout(t);
        resolve(new Reader(f));
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
