/**
 * One client connection: splits the byte stream into size-prefixed requests, dispatches them,
 * and writes responses strictly in request order (a long-polling Fetch holds back later
 * responses, as on Kafka). Anything undecodable closes this connection only.
 */
import type net from 'node:net';
import type { ApiSpec } from './protocol/api.js';
import { apisByKey } from './protocol/apis.js';
import { ErrorCode } from './protocol/error-codes.js';
import { isFlexible, readRequestHeader, writeResponseHeader } from './protocol/frame.js';
import { Reader } from './protocol/reader.js';
import { apiVersionsFallback } from './protocol/requests/api-versions/index.js';
import { Writer } from './protocol/writer.js';

export const NO_RESPONSE = Symbol('no response');
export interface RequestContext {
  version: number;
  clientId: string;
  clientHost: string;
}
export type Dispatch = (
  spec: ApiSpec,
  ctx: RequestContext,
  request: unknown,
) => unknown | typeof NO_RESPONSE | Promise<unknown | typeof NO_RESPONSE>;

const MAX_FRAME = 100 * 1024 * 1024;
const MAX_UNREAD_RESPONSES = 64 * 1024 * 1024;

interface Slot {
  chunks: Buffer[] | null;
  done: boolean;
}

export class Connection {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private readonly queue: Slot[] = [];
  private closed = false;
  readonly clientHost: string;

  constructor(
    readonly socket: net.Socket,
    private readonly dispatch: Dispatch,
    private readonly apiVersionsBody: () => unknown,
    private readonly onError: (err: unknown) => void,
  ) {
    this.clientHost = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('data', (d) => this.onData(d));
    // Backpressure: a client that does not read its responses stops being read from.
    socket.on('drain', () => socket.resume());
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    this.buffered.push(data);
    this.bufferedBytes += data.length;
    while (!this.closed && this.bufferedBytes >= 4) {
      const head = this.buffered[0]!.length >= 4 ? this.buffered[0]! : this.coalesce();
      const size = head.readInt32BE(0);
      if (size < 8 || size > MAX_FRAME) {
        this.close();
        return;
      }
      if (this.bufferedBytes < 4 + size) return;
      const first = this.buffered[0]!.length >= 4 + size ? this.buffered[0]! : this.coalesce();
      const frame = first.subarray(4, 4 + size);
      if (first.length === 4 + size) this.buffered.shift();
      else this.buffered[0] = first.subarray(4 + size);
      this.bufferedBytes -= 4 + size;
      this.handleFrame(frame);
    }
  }

  private coalesce(): Buffer {
    const all = Buffer.concat(this.buffered, this.bufferedBytes);
    this.buffered = [all];
    return all;
  }

  private handleFrame(frame: Buffer): void {
    let header: ReturnType<typeof readRequestHeader>;
    const r = new Reader(frame);
    try {
      header = readRequestHeader(r);
    } catch {
      this.close();
      return;
    }
    const spec = apisByKey.get(header.apiKey);
    const codecs = spec?.versions[header.apiVersion];
    if (!spec || !codecs) {
      // Unknown API or version: answer UNSUPPORTED_VERSION, never drop the connection.
      const w = new Writer(64);
      w.int32(header.correlationId);
      if (header.apiKey === 18)
        apiVersionsFallback.write(w, {
          ...(this.apiVersionsBody() as object),
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
        } as never);
      else w.int16(ErrorCode.UNSUPPORTED_VERSION);
      this.queue.push({ chunks: w.toChunks(), done: true });
      this.flush();
      return;
    }
    let request: unknown;
    try {
      if (isFlexible(spec, header.apiVersion)) r.taggedFields();
      request = codecs.request.read(r);
    } catch {
      this.close();
      return;
    }
    const slot: Slot = { chunks: null, done: false };
    this.queue.push(slot);
    const ctx: RequestContext = {
      version: header.apiVersion,
      clientId: header.clientId ?? '',
      clientHost: this.clientHost,
    };
    const finish = (response: unknown) => {
      if (response !== NO_RESPONSE) {
        const w = new Writer(256);
        writeResponseHeader(w, spec, header.apiVersion, header.correlationId);
        codecs.response.write(w, response);
        slot.chunks = w.toChunks();
      }
      slot.done = true;
      this.flush();
    };
    const fail = (err: unknown) => {
      this.onError(err);
      this.close();
    };
    try {
      const out = this.dispatch(spec, ctx, request);
      if (out instanceof Promise) out.then(finish, fail);
      else finish(out);
    } catch (err) {
      fail(err);
    }
  }

  private flush(): void {
    if (this.closed) return;
    let corked = false;
    while (this.queue.length > 0 && this.queue[0]!.done) {
      const slot = this.queue.shift()!;
      if (!slot.chunks) continue;
      if (!corked) {
        this.socket.cork();
        corked = true;
      }
      let total = 0;
      for (const c of slot.chunks) total += c.length;
      const size = Buffer.allocUnsafe(4);
      size.writeInt32BE(total, 0);
      this.socket.write(size);
      for (const c of slot.chunks) this.socket.write(c);
    }
    if (corked) this.socket.uncork();
    if (this.socket.writableLength > MAX_UNREAD_RESPONSES) this.socket.pause();
  }
}
