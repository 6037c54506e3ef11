/**
 * A Kafka-protocol client built on the broker's own codecs: it encodes a request with an API's
 * request codec and decodes the answer with its response codec, so the same typed request can be
 * sent to the embedded broker and to Apache Kafka and the answers compared field by field.
 */
import net from 'node:net';
import type { ApiSpec } from '../protocol/api.js';
import { isFlexible } from '../protocol/frame.js';
import { Reader } from '../protocol/reader.js';
import { apiVersions } from '../protocol/requests/api-versions/index.js';
import { Writer } from '../protocol/writer.js';

export class ProtocolClient {
  private buf = Buffer.alloc(0);
  private readonly waiting = new Map<number, (frame: Buffer) => void>();
  private correlationId = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        const size = this.buf.readInt32BE(0);
        const frame = this.buf.subarray(4, 4 + size);
        this.buf = this.buf.subarray(4 + size);
        const id = frame.readInt32BE(0);
        this.waiting.get(id)?.(frame);
        this.waiting.delete(id);
      }
    });
    socket.on('error', () => {});
  }

  static connect(bootstrap: string): Promise<ProtocolClient> {
    const [host, port] = bootstrap.split(':') as [string, string];
    return new Promise((resolve, reject) => {
      const s = net.connect(Number(port), host, () => resolve(new ProtocolClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends `body` as version `version` of `spec`; resolves to the decoded response. */
  call<Req, Res>(spec: ApiSpec<Req, Res>, version: number, body: Req, timeoutMs = 15_000): Promise<Res> {
    const codecs = spec.versions[version];
    if (!codecs) throw new Error(`${spec.name} v${version} has no codec`);
    const id = ++this.correlationId;
    const flexible = isFlexible(spec, version);
    const w = new Writer();
    w.int16(spec.key).int16(version).int32(id).nullableString('differential');
    if (flexible) w.taggedFields();
    codecs.request.write(w, body);
    const payload = w.toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${spec.name} v${version}: no response`)), timeoutMs);
      this.waiting.set(id, (frame) => {
        clearTimeout(t);
        try {
          const r = new Reader(frame);
          r.int32();
          if (flexible && spec.key !== 18) r.taggedFields();
          resolve(codecs.response.read(r) as Res);
        } catch (e) {
          reject(e);
        }
      });
      this.socket.write(Buffer.concat([size, payload]));
    });
  }

  /** The versions the broker supports per API key (ApiVersions v0). */
  async versions(): Promise<Map<number, { min: number; max: number }>> {
    const res = await this.call(apiVersions, 0, {});
    return new Map(res.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
  }

  close(): void {
    this.socket.destroy();
  }
}
