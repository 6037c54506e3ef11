import { describe, expect, it } from 'vitest';
import { NexmarkGenerator } from './generator.js';
import { PreparedEvents } from './producer.js';

describe('PreparedEvents', () => {
  it('stamps exactly what the generator gives for that time, persons, auctions and bids alike', () => {
    const gen = new NexmarkGenerator();
    const prepared = new PreparedEvents(gen, 40, 150);
    const kinds = new Set<number>();
    // Each event twice: a buffer stamped before must be fully overwritten by the next stamp.
    for (const now of [1_764_900_000_123, 1_799_999_999_999]) {
      for (let i = 0; i < prepared.count; i++) {
        const expected = gen.event(40 + i, now);
        kinds.add(expected.event_type);
        expect(prepared.stamp(i, now).toString()).toBe(JSON.stringify(expected));
      }
    }
    expect([...kinds].sort()).toEqual([0, 1, 2]);
  });

  it('refuses a time that does not have 13 digits', () => {
    const prepared = new PreparedEvents(new NexmarkGenerator(), 0, 1);
    expect(() => prepared.stamp(0, 99_999_999_999)).toThrow(RangeError);
  });
});
