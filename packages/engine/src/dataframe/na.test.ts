import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';

describe('df.na (drop / fill / replace)', () => {
  const s = Session.builder().create();
  const df = s.createDataFrame(
    [
      [1, 'a', 1.5],
      [null, 'b', null],
      [3, null, Number.NaN],
      [null, null, null],
    ],
    'n INT, s STRING, d DOUBLE',
  );

  it('async drop: any, all, thresh, subset (NaN counts as missing)', async () => {
    expect(await df.na.drop().collectValues()).toEqual([[1, 'a', 1.5]]);
    expect(await df.na.drop('all').count()).toBe(3);
    expect(await df.dropna('any', 2).collectValues()).toEqual([[1, 'a', 1.5]]);
    expect(await df.dropna('any', 1).count()).toBe(3);
    expect(await df.na.drop('any', undefined, ['s']).count()).toBe(2);
  });

  it('fill by type, by subset and by column map', async () => {
    expect(await df.na.fill(0).collectValues()).toEqual([
      [1, 'a', 1.5],
      [0, 'b', 0],
      [3, null, 0],
      [0, null, 0],
    ]);
    expect(await df.fillna('?').select('s').collectValues()).toEqual([['a'], ['b'], ['?'], ['?']]);
    expect(await df.na.fill(9, ['n']).select('n', 'd').collectValues()).toEqual([
      [1, 1.5],
      [9, null],
      [3, Number.NaN],
      [9, null],
    ]);
    expect(await df.na.fill({ s: 'z', d: -1 }).select('s', 'd').collectValues()).toEqual([
      ['a', 1.5],
      ['b', -1],
      ['z', -1],
      ['z', -1],
    ]);
  });

  it('replace values of matching type', async () => {
    expect(await df.na.replace({ a: 'A', 3: 30 }).select('n', 's').collectValues()).toEqual([
      [1, 'A'],
      [null, 'b'],
      [30, null],
      [null, null],
    ]);
  });
});

describe('describe()', () => {
  it('summarizes numeric and string columns as strings', async () => {
    const s = Session.builder().create();
    const df = s.createDataFrame(
      [
        [1, 'a'],
        [3, 'c'],
        [null, 'b'],
      ],
      'n INT, s STRING',
    );
    expect(await df.describe().collectValues()).toEqual([
      ['count', '2', '3'],
      ['mean', '2.0', null],
      ['stddev', '1.4142135623730951', null],
      ['min', '1', 'a'],
      ['max', '3', 'c'],
    ]);
  });
});
