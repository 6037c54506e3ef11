/**
 * A tiny schema language mirroring Kafka's message grammar: a version's request or response
 * is a `struct` of typed fields, and the same definition both decodes and encodes it.
 * Writing tolerates missing fields (zero, empty or null) so a handler can answer every version
 * with one superset object and each version's codec picks the fields it has.
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

export interface Codec<T> {
  read(r: Reader): T;
  write(w: Writer, v: T): void;
}
export type Infer<C> = C extends Codec<infer T> ? T : never;
type Fields = Record<string, Codec<any>>;
export type StructOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };
export interface StructCodec<F extends Fields> extends Codec<StructOf<F>> {
  readonly fields: F;
}

export const int8: Codec<number> = { read: (r) => r.int8(), write: (w, v) => void w.int8(v ?? 0) };
export const int16: Codec<number> = { read: (r) => r.int16(), write: (w, v) => void w.int16(v ?? 0) };
export const int32: Codec<number> = { read: (r) => r.int32(), write: (w, v) => void w.int32(v ?? 0) };
export const int64: Codec<number> = { read: (r) => r.int64(), write: (w, v) => void w.int64(v ?? 0) };
export const bool: Codec<boolean> = { read: (r) => r.bool(), write: (w, v) => void w.bool(v ?? false) };
export const string: Codec<string> = { read: (r) => r.string(), write: (w, v) => void w.string(v ?? '') };
export const nullableString: Codec<string | null> = {
  read: (r) => r.nullableString(),
  write: (w, v) => void w.nullableString(v),
};
export const compactString: Codec<string> = {
  read: (r) => r.compactString(),
  write: (w, v) => void w.compactString(v ?? ''),
};
export const compactNullableString: Codec<string | null> = {
  read: (r) => r.compactNullableString(),
  write: (w, v) => void w.compactNullableString(v),
};
export const bytes: Codec<Buffer> = {
  read: (r) => r.bytes(),
  write: (w, v) => void w.bytes(v ?? Buffer.alloc(0)),
};
export const nullableBytes: Codec<Buffer | null> = {
  read: (r) => r.nullableBytes(),
  write: (w, v) => void w.nullableBytes(v),
};
/** RECORDS: decoded as one view; encoded from stored batch buffers without copying them. */
export type Records = Buffer | readonly Buffer[] | null;
export const records: Codec<Records> = {
  read: (r) => r.nullableBytes(),
  write: (w, v) => {
    if (v == null || Buffer.isBuffer(v)) w.nullableBytes(v as Buffer | null);
    else w.chunkedBytes(v as readonly Buffer[]);
  },
};

export function array<T>(item: Codec<T>): Codec<T[]> {
  return {
    read(r) {
      const n = r.arrayLength();
      const out: T[] = new Array(Math.max(0, n));
      for (let i = 0; i < n; i++) out[i] = item.read(r);
      return out;
    },
    write(w, v) {
      const list = v ?? [];
      w.int32(list.length);
      for (const x of list) item.write(w, x);
    },
  };
}
export function nullableArray<T>(item: Codec<T>): Codec<T[] | null> {
  return {
    read(r) {
      const n = r.arrayLength();
      if (n < 0) return null;
      const out: T[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r);
      return out;
    },
    write(w, v) {
      if (v == null) {
        w.int32(-1);
        return;
      }
      w.int32(v.length);
      for (const x of v) item.write(w, x);
    },
  };
}
export function compactArray<T>(item: Codec<T>): Codec<T[]> {
  return {
    read(r) {
      const n = r.compactArrayLength();
      const out: T[] = new Array(Math.max(0, n));
      for (let i = 0; i < n; i++) out[i] = item.read(r);
      return out;
    },
    write(w, v) {
      const list = v ?? [];
      w.uvarint(list.length + 1);
      for (const x of list) item.write(w, x);
    },
  };
}

function makeStruct<F extends Fields>(fields: F, flexible: boolean): StructCodec<F> {
  const entries = Object.entries(fields);
  return {
    fields,
    read(r) {
      const out: Record<string, unknown> = {};
      for (const [k, c] of entries) out[k] = c.read(r);
      if (flexible) r.taggedFields();
      return out as StructOf<F>;
    },
    write(w, v) {
      const obj = (v ?? {}) as Record<string, unknown>;
      for (const [k, c] of entries) c.write(w, obj[k]);
      if (flexible) w.taggedFields();
    },
  };
}
export function struct<F extends Fields>(fields: F): StructCodec<F> {
  return makeStruct(fields, false);
}
/** A struct of a flexible version: ends with a (here always empty) tagged-field section. */
export function flexStruct<F extends Fields>(fields: F): StructCodec<F> {
  return makeStruct(fields, true);
}
