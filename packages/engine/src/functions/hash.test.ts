import { describe, expect, it } from 'vitest';
import { T } from '../types/types.js';
import { xxhash64Signed } from './hash.js';
import { showSql } from './testing.js';

describe('hash functions (Spark documentation examples)', () => {
  it('hash is Murmur3 x86_32 with seed 42 over all arguments', async () => {
    expect(showSql("hash('Spark', array(123), 2)")).toBe('-1321691492');
  });

  it('xxhash64 is XXH64 with seed 42, exact in SQL too (Spark documentation example)', async () => {
    expect(
      xxhash64Signed(
        ['Spark', [123], 2],
        [T.string, { kind: 'array', elementType: T.int, containsNull: true }, T.int],
      ),
    ).toBe(5602566077635097486n);
    expect(showSql("xxhash64('Spark', array(123), 2)")).toBe('5602566077635097486');
  });

  it('digests', async () => {
    expect(showSql("md5('Spark')")).toBe('8cde774d6f7333752ed72cacddb05126');
    expect(showSql("sha1('Spark')")).toBe('85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c');
    expect(showSql("sha2('Spark', 256)")).toBe(
      '529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b',
    );
    expect(showSql("sha2('Spark', 7)")).toBe('NULL');
    expect(showSql("crc32('Spark')")).toBe('1557323817');
  });

  it('hash ignores nulls and is stable across types', async () => {
    expect(showSql('hash(NULL)')).toBe('42');
    expect(showSql('hash(1)')).toBe(showSql('hash(1)'));
    expect(showSql('hash(1)')).not.toBe(showSql('hash(1L)'));
  });
});
