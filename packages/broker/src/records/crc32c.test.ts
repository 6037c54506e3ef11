import { expect, test } from 'vitest';
import { crc32c } from './crc32c.js';

/** Bit-at-a-time reference implementation. */
function reference(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = ~0;
  for (let i = start; i < end; i++) {
    crc ^= buf[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

test('CRC-32C check values (RFC 3720 / iSCSI)', () => {
  expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
  expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
  expect(crc32c(Buffer.alloc(0))).toBe(0);
});

test('matches the bitwise reference for every alignment and length', () => {
  const backing = new Uint8Array(300);
  for (let i = 0; i < backing.length; i++) backing[i] = (i * 131 + 7) & 0xff;
  for (let offset = 0; offset < 8; offset++) {
    const view = new Uint8Array(backing.buffer, offset, 250);
    for (const [s, e] of [
      [0, 250],
      [1, 249],
      [3, 20],
      [5, 5],
      [7, 200],
    ] as const) {
      expect(crc32c(view, s, e)).toBe(reference(view, s, e));
    }
  }
});
