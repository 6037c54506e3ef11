/**
 * A key's shard must never change (a checkpoint's state is found by it): the fast path of
 * `hashMix` for structs of numbers (time windows) mixes exactly the text of the state key encoding.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../differential/generator.js';
import { encodeKey } from '../../state/key-encoding.js';
import { FNV_OFFSET, hashMix } from './sharded-state.js';

/** hashMix as it was before the fast path: every non-primitive value through encodeKey. */
function mixEncoded(state: number, v: unknown): number {
  let h = state;
  const s = encodeKey([v]);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= 0xff;
  return Math.imul(h, 0x01000193);
}

describe('hashMix', () => {
  it('mixes a struct of numbers as the encoding of the key', () => {
    const r = rng(5);
    const number = () => {
      const x = r();
      if (x < 0.1) return -0;
      if (x < 0.2) return 1e21 * r();
      if (x < 0.3) return r() - 0.5;
      if (x < 0.4) return -Math.floor(r() * 1e15);
      return Math.floor(r() * 2 ** 53);
    };
    for (let i = 0; i < 2000; i++) {
      const v = Array.from({ length: 1 + Math.floor(r() * 3) }, number);
      expect(hashMix(FNV_OFFSET, v)).toBe(mixEncoded(FNV_OFFSET, v));
    }
    // Not all numbers, or not finite: the encoding itself.
    for (const v of [[1, 'a'], [Number.NaN, 1], [Number.POSITIVE_INFINITY], [1, null], []]) {
      expect(hashMix(FNV_OFFSET, v)).toBe(mixEncoded(FNV_OFFSET, v));
    }
  });
});
