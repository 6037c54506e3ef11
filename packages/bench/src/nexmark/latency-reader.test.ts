import { describe, expect, it } from 'vitest';
import { dateTimeOf, slowestRuns } from './latency-reader.js';

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

describe('slowestRuns', () => {
  it('groups the slowest 1% by send time', () => {
    const sentAt = Array.from({ length: 300 }, (_, i) => 1000 + i * 10);
    const latencies = sentAt.map((_, i) => (i === 50 || i === 51 || i === 200 ? 90 + i : 5));
    expect(slowestRuns(sentAt, latencies, 1000)).toBe(
      '+500–510 ms: 2 events, max 141 ms; +2000–2000 ms: 1 events, max 290 ms',
    );
  });
});
