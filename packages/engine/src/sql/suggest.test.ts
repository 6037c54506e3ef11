import { describe, expect, it } from 'vitest';
import { levenshtein, nearestNames } from './suggest.js';

describe('levenshtein', () => {
  it('counts edits', async () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('nearestNames', () => {
  it('orders by distance, case-insensitively, ties in input order, at most max', async () => {
    expect(nearestNames('nmae', ['id', 'name', 'age', 'names'])).toEqual(['name', 'age', 'names', 'id']);
    expect(nearestNames('NAME', ['id', 'name'], 1)).toEqual(['name']);
    expect(nearestNames('x', ['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(nearestNames('x', [])).toEqual([]);
    expect(nearestNames('a', ['b', 'b', 'a'])).toEqual(['a', 'b']);
  });

  it('can cut off far candidates', async () => {
    expect(nearestNames('coutn', ['count', 'concat', 'sum'], 5, { maxDistance: 2 })).toEqual(['count']);
  });
});
