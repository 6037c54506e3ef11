import { describe, expect, it } from 'vitest';
import { parseDate, parseTimestamp } from './datetime.js';
import { Decimal } from './decimal.js';
import {
  castToString,
  formatDouble,
  formatFloat,
  formatValue,
  valueFromJson,
  valueToJson,
} from './format.js';
import { Interval, intervalToMicros, parseIntervalString } from './interval.js';
import {
  arrayType,
  catalogString,
  decimalType,
  mapType,
  simpleString,
  sqlTypeName,
  structType,
  T,
  typeMatches,
  typeName,
} from './types.js';

describe('type names', () => {
  const st = structType([
    { name: 'a', dataType: T.int, nullable: true },
    { name: 'b', dataType: arrayType(T.string), nullable: true },
    { name: 'c', dataType: mapType(T.string, T.long), nullable: false },
  ]);
  it('simpleString / catalogString as Spark', async () => {
    expect(simpleString(st)).toBe('struct<a:int,b:array<string>,c:map<string,bigint>>');
    expect(catalogString(decimalType(10, 2))).toBe('decimal(10,2)');
    expect(simpleString(T.byte)).toBe('tinyint');
    expect(simpleString(T.short)).toBe('smallint');
    expect(simpleString(T.null)).toBe('void');
  });
  it('SQL names and printSchema type names', async () => {
    expect(sqlTypeName(st)).toBe('STRUCT<a: INT, b: ARRAY<STRING>, c: MAP<STRING, BIGINT> NOT NULL>');
    expect(typeName(T.int)).toBe('integer');
    expect(typeName(T.long)).toBe('long');
    expect(typeName(decimalType(5, 1))).toBe('decimal(5,1)');
  });
});

describe('formatValue (show) and castToString (CAST AS STRING)', () => {
  it('prints doubles like Java', async () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [1234567, '1234567.0'],
      [1e7, '1.0E7'],
      [1e10, '1.0E10'],
      [123.456, '123.456'],
      [-1.5e-7, '-1.5E-7'],
      [-0, '-0.0'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [0.30000000000000004, '0.30000000000000004'],
      [1.7976931348623157e308, '1.7976931348623157E308'],
    ];
    for (const [v, s] of cases) expect(formatDouble(v)).toBe(s);
    expect(formatFloat(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat(Math.fround(3.14))).toBe('3.14');
    expect(formatFloat(1e10)).toBe('1.0E10');
  });

  it('prints nested values as Spark', async () => {
    const st = structType([
      { name: 'a', dataType: T.int, nullable: true },
      { name: 'b', dataType: T.string, nullable: true },
    ]);
    expect(formatValue([1, 2], arrayType(T.int))).toBe('[1, 2]');
    expect(formatValue([1, 'a'], st)).toBe('{1, a}');
    expect(formatValue(new Map([['a', 1]]), mapType(T.string, T.int))).toBe('{a -> 1}');
    expect(formatValue(new Uint8Array([1, 2, 255]), T.binary)).toBe('[01 02 FF]');
    expect(formatValue(null, T.int)).toBe('NULL');
    expect(formatValue([1, null], arrayType(T.int))).toBe('[1, NULL]');
    expect(castToString([1, null], arrayType(T.int))).toBe('[1, null]');
    expect(castToString(new TextEncoder().encode('hé'), T.binary)).toBe('hé');
  });

  it('prints timestamps with a fraction only when non-zero, and dates', async () => {
    expect(formatValue(Date.UTC(2024, 0, 1) * 1000, T.timestamp)).toBe('2024-01-01 00:00:00');
    expect(formatValue(Date.UTC(2024, 0, 1) * 1000 + 123400, T.timestamp)).toBe('2024-01-01 00:00:00.1234');
    expect(formatValue(-1, T.timestamp)).toBe('1969-12-31 23:59:59.999999');
    expect(formatValue(19723, T.date)).toBe('2024-01-01');
    expect(formatValue(-1, T.date)).toBe('1969-12-31');
  });

  it('JSON-safe encoding round-trips every type', async () => {
    const t = structType([
      { name: 'd', dataType: decimalType(10, 2), nullable: true },
      { name: 'b', dataType: T.binary, nullable: true },
      { name: 'm', dataType: mapType(T.string, arrayType(T.double)), nullable: true },
      { name: 'i', dataType: T.interval, nullable: true },
    ]);
    const v = [
      Decimal.parse('12.50'),
      new Uint8Array([1, 2]),
      new Map([['x', [1.5, Number.NaN, null]]]),
      new Interval(1, 2, 3),
    ];
    const back = valueFromJson(JSON.parse(JSON.stringify(valueToJson(v, t))), t) as unknown[];
    expect(formatValue(back, t)).toBe(formatValue(v, t));
  });
});

describe('Decimal', () => {
  it('parses, prints and rounds HALF_UP', async () => {
    expect(Decimal.parse('-0.05')!.toString()).toBe('-0.05');
    expect(Decimal.parse('1e3')!.toString()).toBe('1000');
    expect(Decimal.parse('abc')).toBeNull();
    expect(Decimal.parse('2.5')!.setScale(0).toString()).toBe('3');
    expect(Decimal.parse('-2.5')!.setScale(0).toString()).toBe('-3');
    expect(Decimal.parse('1.005')!.setScale(2).toString()).toBe('1.01');
    expect(Decimal.parse('123.45')!.toPrecision(4, 1)!.toString()).toBe('123.5');
    expect(Decimal.parse('123.45')!.toPrecision(3, 1)).toBeNull();
  });
  it('does exact arithmetic', async () => {
    const a = Decimal.parse('0.1')!;
    const b = Decimal.parse('0.2')!;
    expect(a.add(b).toString()).toBe('0.3');
    expect(Decimal.parse('1')!.divide(Decimal.parse('3')!, 6).toString()).toBe('0.333333');
    expect(Decimal.parse('-7')!.remainder(Decimal.parse('2')!).toString()).toBe('-1');
    expect(Decimal.parse('1.50')!.compare(Decimal.parse('1.5')!)).toBe(0);
    expect(Decimal.parse('1.50')!.key()).toBe(Decimal.parse('1.5')!.key());
    expect(Decimal.fromNumber(0.1).toString()).toBe('0.1');
  });
});

describe('intervals', () => {
  it('parses Spark interval strings', async () => {
    expect(intervalToMicros(parseIntervalString('10 seconds'))).toBe(10_000_000);
    expect(intervalToMicros(parseIntervalString('1 minute'))).toBe(60_000_000);
    expect(intervalToMicros(parseIntervalString('INTERVAL 2 HOURS'))).toBe(7_200_000_000);
    expect(intervalToMicros(parseIntervalString("interval '10' second"))).toBe(10_000_000);
    expect(intervalToMicros(parseIntervalString('1 day 2 hours 30 minutes'))).toBe(95_400_000_000);
    expect(intervalToMicros(parseIntervalString('1.5 seconds'))).toBe(1_500_000);
    expect(intervalToMicros(parseIntervalString('100 ms'))).toBe(100_000);
    expect(parseIntervalString('1 year 2 months')).toEqual(new Interval(14, 0, 0));
    expect(() => parseIntervalString('ten seconds')).toThrow();
    expect(() => intervalToMicros(parseIntervalString('1 month'))).toThrow(/month/);
  });
  it('prints like Spark', async () => {
    expect(new Interval(14, 3, 3_723_500_000).toString()).toBe(
      '1 years 2 months 3 days 1 hours 2 minutes 3.5 seconds',
    );
    expect(Interval.ZERO.toString()).toBe('0 seconds');
  });
});

describe('date and timestamp text', () => {
  it('parses the forms Spark casts accept', async () => {
    expect(parseDate('2024-01-02')).toBe(19724);
    expect(parseDate('2024-1-2')).toBe(19724);
    expect(parseDate('2024-01')).toBe(19723);
    expect(parseDate('2024-02-30')).toBeNull();
    expect(parseTimestamp('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1) * 1000);
    expect(parseTimestamp('2024-01-01 01:00:00+01:00')).toBe(Date.UTC(2024, 0, 1) * 1000);
    expect(parseTimestamp('2024-01-01 00:00:00.123456')).toBe(Date.UTC(2024, 0, 1) * 1000 + 123456);
    expect(parseTimestamp('2024-01-01 25:00:00')).toBeNull();
  });
});

describe('typeMatches (the state schema check’s rule)', () => {
  const rule = { names: false, nullability: 'widen' } as const;
  const st = (name: string, nullable: boolean) =>
    structType([{ name, dataType: { kind: 'long' }, nullable }]);
  it('ignores field names, lets nullability widen and refuses it narrowing or another type', () => {
    expect(typeMatches(st('a', false), st('b', true), rule)).toBe(true);
    expect(typeMatches(st('a', true), st('a', false), rule)).toBe(false);
    expect(
      typeMatches(
        st('a', true),
        structType([{ name: 'a', dataType: { kind: 'int' }, nullable: true }]),
        rule,
      ),
    ).toBe(false);
    expect(typeMatches(st('a', true), st('b', true), { names: true, nullability: 'ignore' })).toBe(false);
  });
});
