import { describe, expect, it } from 'vitest';
import { dateTimeOf } from './latency-reader.js';

describe('dateTimeOf', () => {
  it('reads the dateTime of a flat JSON record without parsing it', () => {
    const rec = { auction: 1000, bidder: 1001, price: 12.5, dateTime: 1_764_900_000_123, extra: 'x' };
    expect(dateTimeOf(Buffer.from(JSON.stringify(rec)))).toBe(rec.dateTime);
    expect(dateTimeOf(Buffer.from('{"dateTime":7}'))).toBe(7);
  });

  it('is undefined for a record without a numeric dateTime', () => {
    expect(dateTimeOf(Buffer.from('{"auction":1}'))).toBeUndefined();
    expect(dateTimeOf(Buffer.from('{"dateTime":null}'))).toBeUndefined();
  });
});
