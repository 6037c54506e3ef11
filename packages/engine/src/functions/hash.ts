/**
 * Hash functions with Spark's exact results: hash (Murmur3 x86_32, seed 42), xxhash64 (XXH64, seed 42),
 * md5, sha1, sha2, crc32.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { BoundExpr } from '../expr/bound.js';
import type { DataType } from '../types/data-type.js';
import type { Decimal } from '../types/decimal.js';
import type { Interval } from '../types/interval.js';
import { canonicalLong } from '../types/long.js';
import { T } from '../types/types.js';
import { coerceArgs, constantArg, defineScalar, makeCall, registerFunction } from './registry.js';

const utf8 = new TextEncoder();

// ---------------- Murmur3 x86_32 (Spark's Murmur3_x86_32, including its legacy byte tail) ----------------

function mixK1(k1: number): number {
  k1 = Math.imul(k1, 0xcc9e2d51);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, 0x1b873593);
}

function mixH1(h1: number, k1: number): number {
  h1 ^= k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

function fmix32(h1: number, length: number): number {
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 | 0;
}

export function murmur3Int(input: number, seed: number): number {
  return fmix32(mixH1(seed, mixK1(input | 0)), 4);
}

export function murmur3Long(input: bigint, seed: number): number {
  const low = Number(BigInt.asIntN(32, input));
  const high = Number(BigInt.asIntN(32, input >> 32n));
  let h1 = mixH1(seed, mixK1(low));
  h1 = mixH1(h1, mixK1(high));
  return fmix32(h1, 8);
}

export function murmur3Bytes(b: Uint8Array, seed: number): number {
  const aligned = b.length - (b.length % 4);
  let h1 = seed;
  for (let i = 0; i < aligned; i += 4) {
    const k = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    h1 = mixH1(h1, mixK1(k));
  }
  for (let i = aligned; i < b.length; i++) {
    const signed = (b[i]! << 24) >> 24;
    h1 = mixH1(h1, mixK1(signed));
  }
  return fmix32(h1, b.length);
}

const f64 = new Float64Array(1);
const u64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

function doubleBits(d: number): bigint {
  if (Number.isNaN(d)) return 0x7ff8000000000000n;
  f64[0] = d === 0 ? 0 : d;
  return u64[0]!;
}

function floatBits(f: number): number {
  if (Number.isNaN(f)) return 0x7fc00000;
  f32[0] = f === 0 ? 0 : f;
  return i32[0]!;
}

function decimalBytes(d: Decimal): Uint8Array {
  // java.math.BigInteger.toByteArray: minimal two's complement, big-endian.
  let v = d.unscaled;
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0xffn);
    out.unshift(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

/** The three primitive hashes a Spark HashExpression is built from; `H` is the running hash. */
interface PrimitiveHasher<H> {
  int(v: number, seed: H): H;
  long(v: bigint, seed: H): H;
  bytes(b: Uint8Array, seed: H): H;
}

/** Spark's HashExpression: hashes one value of type t with `hasher` (nulls leave the seed unchanged). */
function hashValue<H>(v: unknown, t: DataType, seed: H, hasher: PrimitiveHasher<H>): H {
  if (v === null || v === undefined) return seed;
  switch (t.kind) {
    case 'boolean':
      return hasher.int(v ? 1 : 0, seed);
    case 'byte':
    case 'short':
    case 'int':
    case 'date':
      return hasher.int(v as number, seed);
    case 'long':
    case 'timestamp':
      return hasher.long(BigInt(v as number), seed);
    case 'float':
      return hasher.int(floatBits(v as number), seed);
    case 'double':
      return hasher.long(doubleBits(v as number), seed);
    case 'decimal':
      return t.precision <= 18
        ? hasher.long((v as Decimal).unscaled, seed)
        : hasher.bytes(decimalBytes(v as Decimal), seed);
    case 'string':
      return hasher.bytes(utf8.encode(v as string), seed);
    case 'binary':
      return hasher.bytes(v as Uint8Array, seed);
    case 'interval': {
      const i = v as Interval;
      return hasher.long(BigInt(i.micros), hasher.int(i.days, hasher.int(i.months, seed)));
    }
    case 'array': {
      let h = seed;
      for (const x of v as unknown[]) h = hashValue(x, t.elementType, h, hasher);
      return h;
    }
    case 'map': {
      let h = seed;
      for (const [k, x] of v as Map<unknown, unknown>) {
        h = hashValue(k, t.keyType, h, hasher);
        h = hashValue(x, t.valueType, h, hasher);
      }
      return h;
    }
    case 'struct': {
      let h = seed;
      t.fields.forEach((f, i) => {
        h = hashValue((v as unknown[])[i], f.dataType, h, hasher);
      });
      return h;
    }
    default:
      return seed;
  }
}

const murmur3: PrimitiveHasher<number> = { int: murmur3Int, long: murmur3Long, bytes: murmur3Bytes };

/** Spark's Murmur3 hash of one value of type t (nulls leave the seed unchanged). */
export function murmur3Value(v: unknown, t: DataType, seed: number): number {
  return hashValue(v, t, seed, murmur3);
}

// ---------------- XXH64 (Spark's XXH64) ----------------

const M64 = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

function rotl64(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M64;
}

function fmix64(h: bigint): bigint {
  h ^= h >> 33n;
  h = (h * P2) & M64;
  h ^= h >> 29n;
  h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

export function xxhashInt(input: number, seed: bigint): bigint {
  let h = (seed + P5 + 4n) & M64;
  h ^= (BigInt(input >>> 0) * P1) & M64;
  h = (rotl64(h, 23n) * P2 + P3) & M64;
  return fmix64(h);
}

export function xxhashLong(input: bigint, seed: bigint): bigint {
  let h = (seed + P5 + 8n) & M64;
  h ^= (rotl64((BigInt.asUintN(64, input) * P2) & M64, 31n) * P1) & M64;
  h = (rotl64(h, 27n) * P1 + P4) & M64;
  return fmix64(h);
}

function readLongLE(b: Uint8Array, o: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[o + i]!);
  return v;
}

export function xxhashBytes(b: Uint8Array, seed: bigint): bigint {
  const len = b.length;
  let o = 0;
  let h: bigint;
  if (len >= 32) {
    const limit = len - 32;
    let v1 = (seed + P1 + P2) & M64;
    let v2 = (seed + P2) & M64;
    let v3 = seed & M64;
    let v4 = (seed - P1) & M64;
    do {
      v1 = (rotl64((v1 + readLongLE(b, o) * P2) & M64, 31n) * P1) & M64;
      v2 = (rotl64((v2 + readLongLE(b, o + 8) * P2) & M64, 31n) * P1) & M64;
      v3 = (rotl64((v3 + readLongLE(b, o + 16) * P2) & M64, 31n) * P1) & M64;
      v4 = (rotl64((v4 + readLongLE(b, o + 24) * P2) & M64, 31n) * P1) & M64;
      o += 32;
    } while (o <= limit);
    h = (rotl64(v1, 1n) + rotl64(v2, 7n) + rotl64(v3, 12n) + rotl64(v4, 18n)) & M64;
    for (const v of [v1, v2, v3, v4]) {
      const x = (rotl64((v * P2) & M64, 31n) * P1) & M64;
      h ^= x;
      h = (h * P1 + P4) & M64;
    }
  } else {
    h = (seed + P5) & M64;
  }
  h = (h + BigInt(len)) & M64;
  while (o <= len - 8) {
    const k1 = readLongLE(b, o);
    h ^= (rotl64((k1 * P2) & M64, 31n) * P1) & M64;
    h = (rotl64(h, 27n) * P1 + P4) & M64;
    o += 8;
  }
  if (o + 4 <= len) {
    const k = BigInt((b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0);
    h ^= (k * P1) & M64;
    h = (rotl64(h, 23n) * P2 + P3) & M64;
    o += 4;
  }
  while (o < len) {
    h ^= (BigInt(b[o]!) * P5) & M64;
    h = (rotl64(h, 11n) * P1) & M64;
    o++;
  }
  return fmix64(h);
}

const xxhash64: PrimitiveHasher<bigint> = { int: xxhashInt, long: xxhashLong, bytes: xxhashBytes };

/** Spark's XxHash64 of one value of type t as an unsigned 64-bit bigint (nulls leave the seed unchanged). */
export function xxhashValue(v: unknown, t: DataType, seed: bigint): bigint {
  return hashValue(v, t, seed, xxhash64);
}

registerFunction({
  name: 'hash',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: Number.POSITIVE_INFINITY,
  bind: (args) => {
    const types = args.map((a) => a.dataType);
    const fn = (...vs: unknown[]) => {
      let h = 42;
      for (let i = 0; i < vs.length; i++) h = murmur3Value(vs[i], types[i]!, h);
      return h;
    };
    return makeCall('hash', args, T.int, { fn, nulls: 'raw' }, { nullable: false });
  },
});

/** Spark's xxhash64 as a signed 64-bit bigint (exact); the SQL function returns it as a canonical long. */
export function xxhash64Signed(values: readonly unknown[], types: readonly DataType[]): bigint {
  let h = 42n;
  for (let i = 0; i < values.length; i++) h = xxhashValue(values[i], types[i]!, h);
  return BigInt.asIntN(64, h);
}

registerFunction({
  name: 'xxhash64',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: Number.POSITIVE_INFINITY,
  bind: (args) => {
    const types = args.map((a) => a.dataType);
    const fn = (...vs: unknown[]) => canonicalLong(xxhash64Signed(vs, types));
    return makeCall('xxhash64', args, T.long, { fn, nulls: 'raw' }, { nullable: false });
  },
});

function digest(alg: string, v: Uint8Array): string {
  return createHash(alg).update(v).digest('hex');
}

defineScalar('md5', { args: [T.binary], ret: T.string, fn: (b: Uint8Array) => digest('md5', b) });
defineScalar('sha1', { args: [T.binary], ret: T.string, fn: (b: Uint8Array) => digest('sha1', b) }, 'sha');

registerFunction({
  name: 'sha2',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (raw, ctx) => {
    const args = coerceArgs('sha2', raw, [T.binary, T.int], ctx);
    const algs: Record<number, string> = {
      0: 'sha256',
      224: 'sha224',
      256: 'sha256',
      384: 'sha384',
      512: 'sha512',
    };
    return makeCall(
      'sha2',
      args,
      T.string,
      {
        fn: (b: Uint8Array, bits: number) => {
          const alg = algs[bits];
          return alg ? digest(alg, b) : null;
        },
      },
      { nullable: true },
    );
  },
});

function crc32(b: Uint8Array): number {
  const z = zlib as unknown as { crc32?: (d: Uint8Array) => number };
  if (z.crc32) return z.crc32(b);
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

defineScalar('crc32', { args: [T.binary], ret: T.long, fn: crc32 });

export type { BoundExpr };
export { constantArg };
