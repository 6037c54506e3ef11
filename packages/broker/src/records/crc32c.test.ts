import { expect, test } from 'vitest';
import { crc32c } from './crc32c.js';

test('CRC-32C check values (RFC 3720 / iSCSI)', () => {
  expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
  expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
  expect(crc32c(Buffer.alloc(0))).toBe(0);
  // A sub-range equals the checksum of the copied range (slice-by-8 tail handling).
  const data = Buffer.from('the quick brown fox jumps over the lazy dog');
  for (let s = 0; s < 9; s++)
    expect(crc32c(data, s, data.length - s)).toBe(crc32c(Buffer.from(data.subarray(s, data.length - s))));
});
