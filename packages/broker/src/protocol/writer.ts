/**
 * Growable big-endian encoder. Large buffers (stored record batches) are appended as separate
 * chunks without copying, so a Fetch response is written with one writev of header + file reads.
 */
const ZERO_COPY_MIN = 1024;

export class Writer {
  private buf: Buffer;
  private pos = 0;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  get length(): number {
    return this.chunkBytes + this.pos;
  }
  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos++);
    return this;
  }
  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }
  int64(v: number): this {
    this.ensure(8);
    const hi = Math.floor(v / 0x1_0000_0000);
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(v - hi * 0x1_0000_0000, this.pos + 4);
    this.pos += 8;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  uvarint(v: number): this {
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  raw(b: Buffer): this {
    if (b.length >= ZERO_COPY_MIN) {
      this.flushScratch();
      this.chunks.push(b);
      this.chunkBytes += b.length;
      return this;
    }
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }
  private flushScratch(): void {
    if (this.pos === 0) return;
    const done = this.buf.subarray(0, this.pos);
    this.chunks.push(done);
    this.chunkBytes += done.length;
    this.buf = Buffer.allocUnsafe(Math.max(256, this.buf.length - this.pos));
    this.pos = 0;
  }
  string(v: string): this {
    const n = Buffer.byteLength(v);
    this.int16(n);
    this.ensure(n);
    this.pos += this.buf.write(v, this.pos, 'utf8');
    return this;
  }
  nullableString(v: string | null | undefined): this {
    if (v == null) return this.int16(-1);
    return this.string(v);
  }
  compactString(v: string): this {
    const n = Buffer.byteLength(v);
    this.uvarint(n + 1);
    this.ensure(n);
    this.pos += this.buf.write(v, this.pos, 'utf8');
    return this;
  }
  compactNullableString(v: string | null | undefined): this {
    if (v == null) return this.uvarint(0);
    return this.compactString(v);
  }
  bytes(v: Buffer): this {
    this.int32(v.length);
    return this.raw(v);
  }
  nullableBytes(v: Buffer | null | undefined): this {
    if (v == null) return this.int32(-1);
    return this.bytes(v);
  }
  compactBytes(v: Buffer): this {
    this.uvarint(v.length + 1);
    return this.raw(v);
  }
  /** Writes an empty tagged-field section. */
  taggedFields(): this {
    return this.uvarint(0);
  }
  /** Writes int32 length then the chunks as-is (records of a Fetch response). */
  chunkedBytes(parts: readonly Buffer[] | null | undefined): this {
    if (parts == null) return this.int32(-1);
    let total = 0;
    for (const p of parts) total += p.length;
    this.int32(total);
    for (const p of parts) this.raw(p);
    return this;
  }
  /** The encoded message as a list of buffers (no copy of large chunks). */
  toChunks(): Buffer[] {
    this.flushScratch();
    const out = this.chunks;
    this.chunks = [];
    this.chunkBytes = 0;
    return out;
  }
  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}
