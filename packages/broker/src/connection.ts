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
import type { RequestMemoryPool } from './request-memory.js';

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

const MAX_UNREAD_RESPONSES = 64 * 1024 * 1024;

export interface ConnectionLimits {
  /** Largest request accepted (Kafka's `socket.request.max.bytes`); a larger size prefix closes the connection. */
  readonly maxRequestBytes: number;
  /** Shared by all connections: bytes of requests being received. */
  readonly pool: RequestMemoryPool;
  /**
   * Closes a connection that completes no request for this long while it has no response pending
   * (Kafka's `connections.max.idle.ms`): idle clients, and slowloris ones that never finish a request.
   */
  readonly maxIdleMs: number;
}

interface Slot {
  chunks: Buffer[] | null;
  done: boolean;
}

export class Connection {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private readonly queue: Slot[] = [];
  private closed = false;
  /** Bytes reserved in the pool for the request being received (0 between requests). */
  private reserved = 0;
  /** Paused because the pool is full (as opposed to a client not reading its responses). */
  private waitingForMemory = false;
  private idleTimer: NodeJS.Timeout | undefined;
  readonly clientHost: string;

  constructor(
    readonly socket: net.Socket,
    private readonly dispatch: Dispatch,
    private readonly apiVersionsBody: () => unknown,
    private readonly onError: (err: unknown) => void,
    private readonly limits: ConnectionLimits,
  ) {
    this.clientHost = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('data', (d) => this.onData(d));
    // Backpressure: a client that does not read its responses stops being read from.
    socket.on('drain', () => this.maybeResume());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    this.touch();
  }

  close(): void {
    clearTimeout(this.idleTimer);
    if (this.reserved > 0) {
      this.limits.pool.release(this.reserved);
      this.reserved = 0;
    }
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  /** Restarts the idle clock: a request completed or a response went out. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      // A long-polling fetch being answered later is not idleness.
      if (this.queue.length > 0) this.touch();
      else this.close();
    }, this.limits.maxIdleMs);
    this.idleTimer.unref();
  }

  private maybeResume(): void {
    if (this.closed || this.waitingForMemory) return;
    if (this.socket.writableLength <= MAX_UNREAD_RESPONSES) this.socket.resume();
  }

  private onData(data: Buffer): void {
    this.buffered.push(data);
    this.bufferedBytes += data.length;
    this.processBuffered();
  }

  private processBuffered(): void {
    while (!this.closed && this.bufferedBytes >= 4) {
      const head = this.buffered[0]!.length >= 4 ? this.buffered[0]! : this.coalesce();
      const size = head.readInt32BE(0);
      if (size < 8 || size > this.limits.maxRequestBytes) {
        this.close();
        return;
      }
      if (this.reserved === 0) {
        if (!this.limits.pool.tryReserve(4 + size)) {
          this.waitingForMemory = true;
          this.socket.pause();
          this.limits.pool.onRelease(() => {
            this.waitingForMemory = false;
            this.processBuffered();
            this.maybeResume();
          });
          return;
        }
        this.reserved = 4 + size;
      }
      if (this.bufferedBytes < 4 + size) return;
      const first = this.buffered[0]!.length >= 4 + size ? this.buffered[0]! : this.coalesce();
      const frame = first.subarray(4, 4 + size);
      if (first.length === 4 + size) this.buffered.shift();
      else this.buffered[0] = first.subarray(4 + size);
      this.bufferedBytes -= 4 + size;
      this.touch();
      try {
        this.handleFrame(frame);
      } finally {
        const bytes = this.reserved;
        this.reserved = 0;
        if (bytes > 0) this.limits.pool.release(bytes);
      }
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
    if (corked) {
      this.socket.uncork();
      this.touch();
    }
    if (this.socket.writableLength > MAX_UNREAD_RESPONSES) this.socket.pause();
  }
}
