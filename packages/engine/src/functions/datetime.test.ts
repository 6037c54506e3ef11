import { describe, expect, it } from 'vitest';
import { windowStarts } from '../expr/window.js';
import { evalSql, showSql, typeOfSql } from './testing.js';

// Spark documentation examples; where Spark's docs use America/Los_Angeles, the expected value here is
// the same instant in UTC (Sluice's session time zone).
const cases: [string, string][] = [
  ["date_format('2016-04-08', 'y')", '2016'],
  [
    "date_format(TIMESTAMP '2016-04-08 13:05:09.123456', 'yyyy-MM-dd HH:mm:ss.SSS')",
    '2016-04-08 13:05:09.123',
  ],
  ["date_format(TIMESTAMP '2016-04-08 13:05:09', 'EEEE, MMM d yyyy hh:mm a')", 'Friday, Apr 8 2016 01:05 PM'],
  ["date_format(TIMESTAMP '2016-04-08 13:05:09', 'EEE dd/MM/yy QQQ D')", 'Fri 08/04/16 Q2 99'],
  ["date_format(TIMESTAMP '2016-04-08 13:05:09', \"yyyy-MM-dd'T'HH:mm:ssXXX\")", '2016-04-08T13:05:09Z'],
  ["to_date('2009-07-30 04:17:52')", '2009-07-30'],
  ["to_date('2016-12-31', 'yyyy-MM-dd')", '2016-12-31'],
  ["to_date('31/12/2016', 'dd/MM/yyyy')", '2016-12-31'],
  ["to_timestamp('2016-12-31 00:12:00')", '2016-12-31 00:12:00'],
  ["to_timestamp('2016-12-31', 'yyyy-MM-dd')", '2016-12-31 00:00:00'],
  ["to_timestamp('2016-12-31T10:11:12.5+01:00')", '2016-12-31 09:11:12.5'],
  ["to_timestamp('12/31/2016 10:11 PM', 'MM/dd/yyyy hh:mm a')", '2016-12-31 22:11:00'],
  ["to_timestamp('2016-12-31 10:11:12 +0200', 'yyyy-MM-dd HH:mm:ss Z')", '2016-12-31 08:11:12'],
  ["try_to_timestamp('foo')", 'NULL'],
  ["unix_timestamp('2016-04-08', 'yyyy-MM-dd')", '1460073600'],
  ["to_unix_timestamp('2016-04-08', 'yyyy-MM-dd')", '1460073600'],
  ["unix_timestamp(TIMESTAMP '1970-01-01 00:01:00')", '60'],
  ["from_unixtime(0, 'yyyy-MM-dd HH:mm:ss')", '1970-01-01 00:00:00'],
  ['from_unixtime(1460073600)', '2016-04-08 00:00:00'],
  ["date_trunc('YEAR', '2015-03-05T09:32:05.359')", '2015-01-01 00:00:00'],
  ["date_trunc('MM', '2015-03-05T09:32:05.359')", '2015-03-01 00:00:00'],
  ["date_trunc('DD', '2015-03-05T09:32:05.359')", '2015-03-05 00:00:00'],
  ["date_trunc('HOUR', '2015-03-05T09:32:05.359')", '2015-03-05 09:00:00'],
  ["date_trunc('MILLISECOND', '2015-03-05T09:32:05.123456')", '2015-03-05 09:32:05.123'],
  ["date_trunc('WEEK', '2019-08-04 10:00:00')", '2019-07-29 00:00:00'],
  ["trunc('2019-08-04', 'week')", '2019-07-29'],
  ["trunc('2019-08-04', 'quarter')", '2019-07-01'],
  ["trunc('2009-02-12', 'MM')", '2009-02-01'],
  ["trunc('2015-10-27', 'YEAR')", '2015-01-01'],
  ["date_add('2016-07-30', 1)", '2016-07-31'],
  ["date_sub('2016-07-30', 1)", '2016-07-29'],
  ["datediff('2009-07-31', '2009-07-30')", '1'],
  ["datediff('2009-07-30', '2009-07-31')", '-1'],
  ["add_months('2016-08-31', 1)", '2016-09-30'],
  ["last_day('2009-01-12')", '2009-01-31'],
  ["next_day('2015-01-14', 'TU')", '2015-01-20'],
  ["months_between('1997-02-28 10:30:00', '1996-10-30')", '3.94959677'],
  ["months_between('1997-02-28 10:30:00', '1996-10-30', false)", '3.9495967741935485'],
  ["year('2016-07-30')", '2016'],
  ["month('2016-07-30')", '7'],
  ["quarter('2016-08-31')", '3'],
  ["dayofmonth('2009-07-30')", '30'],
  ["day('2009-07-30')", '30'],
  ["dayofweek('2009-07-30')", '5'],
  ["weekday('2009-07-30')", '3'],
  ["dayofyear('2016-04-09')", '100'],
  ["weekofyear('2008-02-20')", '8'],
  ["hour('2009-07-30 12:58:59')", '12'],
  ["minute('2009-07-30 12:58:59')", '58'],
  ["second('2009-07-30 12:58:59')", '59'],
  ["extract(YEAR FROM TIMESTAMP '2019-08-12 01:00:00.123456')", '2019'],
  ["extract(week FROM timestamp'2019-08-12 01:00:00.123456')", '33'],
  ["extract(doy FROM DATE'2019-08-12')", '224'],
  ["extract(SECONDS FROM timestamp'2019-10-01 00:00:01.000001')", '1.000001'],
  ["date_part('MONTH', TIMESTAMP '2019-08-12 01:00:00.123456')", '8'],
  ['make_date(2013, 7, 15)', '2013-07-15'],
  ['make_timestamp(2014, 12, 28, 6, 30, 45.887)', '2014-12-28 06:30:45.887'],
  ["make_timestamp(2014, 12, 28, 6, 30, 45.887, 'CET')", '2014-12-28 05:30:45.887'],
  ['timestamp_seconds(1230219000)', '2008-12-25 15:30:00'],
  ['timestamp_millis(1230219000123)', '2008-12-25 15:30:00.123'],
  ['timestamp_micros(1230219000123123)', '2008-12-25 15:30:00.123123'],
  ["unix_seconds(TIMESTAMP('1970-01-01 00:00:01Z'))", '1'],
  ["unix_millis(TIMESTAMP('1970-01-01 00:00:01Z'))", '1000'],
  ["unix_date(DATE('1970-01-02'))", '1'],
  ["from_utc_timestamp('2016-08-31', 'Asia/Seoul')", '2016-08-31 09:00:00'],
  ["to_utc_timestamp('2016-08-31', 'Asia/Seoul')", '2016-08-30 15:00:00'],
  ["timestampadd(HOUR, 8, TIMESTAMP '2022-02-11 20:30:00')", '2022-02-12 04:30:00'],
  ["timestampdiff(MONTH, TIMESTAMP '2022-02-28 00:00:00', TIMESTAMP '2022-01-01 00:00:00')", '-1'],
  ["TIMESTAMP '2020-01-01 00:00:00' + INTERVAL 1 DAY 2 HOURS", '2020-01-02 02:00:00'],
  ["DATE '2020-01-31' + INTERVAL 1 MONTH", '2020-02-29'],
  ["TIMESTAMP '2020-01-02 00:00:00' - TIMESTAMP '2020-01-01 12:00:00'", '12 hours'],
  ["window(TIMESTAMP '2024-01-01 00:00:07', '5 seconds')", '{2024-01-01 00:00:05, 2024-01-01 00:00:10}'],
  [
    "window(TIMESTAMP '2024-01-01 00:12:00', '10 minutes', '10 minutes', '5 minutes')",
    '{2024-01-01 00:05:00, 2024-01-01 00:15:00}',
  ],
  ["window_time(window(TIMESTAMP '2024-01-01 00:00:07', '5 seconds'))", '2024-01-01 00:00:09.999999'],
  [
    "session_window(TIMESTAMP '2024-01-01 00:00:07', '5 seconds')",
    '{2024-01-01 00:00:07, 2024-01-01 00:00:12}',
  ],
];

describe('date and time functions', () => {
  for (const [sql, expected] of cases) {
    it(sql, () => {
      expect(showSql(sql)).toBe(expected);
    });
  }

  it('current_timestamp and current_date are the query start time', async () => {
    const now = Date.UTC(2024, 5, 1, 12, 0, 0) * 1000;
    expect(showSql('current_timestamp()', { now })).toBe('2024-06-01 12:00:00');
    expect(showSql('current_date()', { now })).toBe('2024-06-01');
  });

  it('ANSI mode raises CANNOT_PARSE_TIMESTAMP, legacy mode gives null', async () => {
    expect(() => showSql("to_timestamp('2016-13-45', 'yyyy-MM-dd')")).toThrow(/CANNOT_PARSE_TIMESTAMP/);
    expect(showSql("to_timestamp('2016-13-45', 'yyyy-MM-dd')", { ansi: false })).toBe('NULL');
    expect(() => showSql("to_date('xx')")).toThrow(/CANNOT_PARSE_TIMESTAMP/);
  });

  it('window() exposes its window spec for the planner', async () => {
    const { resolveExpr } = await import('../expr/index.js');
    const { parseExpression } = await import('../sql/index.js');
    const w = resolveExpr(parseExpression("window(ts, '10 minutes', '5 minutes')"), {
      fields: [{ name: 'ts', qualifier: [], dataType: { kind: 'timestamp' }, nullable: true }],
    });
    expect(w.kind === 'call' && w.timeWindow).toMatchObject({
      sizeMicros: 600e6,
      slideMicros: 300e6,
      startMicros: 0,
    });
    expect(w.sql).toBe('window');
    expect(typeOfSql("window(TIMESTAMP '2024-01-01 00:00:07', '5 seconds')")).toBe(
      'struct<start:timestamp,end:timestamp>',
    );
  });

  it('rejects invalid window durations', async () => {
    expect(() => showSql("window(TIMESTAMP '2024-01-01 00:00:07', '1 month')")).toThrow(
      /INVALID_WINDOW_DURATION/,
    );
    expect(() => showSql("window(TIMESTAMP '2024-01-01 00:00:07', '5 seconds', '10 seconds')")).toThrow(
      /slide duration/,
    );
  });

  it('windowStarts lists every sliding window containing a timestamp', async () => {
    const s = 1_000_000;
    expect(windowStarts(7 * s, 10 * s, 5 * s, 0)).toEqual([0, 5 * s]);
    expect(windowStarts(10 * s, 10 * s, 5 * s, 0)).toEqual([5 * s, 10 * s]);
    expect(windowStarts(7 * s, 10 * s, 10 * s, 0)).toEqual([0]);
    expect(windowStarts(-1, 10 * s, 5 * s, 0)).toEqual([-10 * s, -5 * s]);
    expect(windowStarts(12 * s, 10 * s, 3 * s, 1 * s)).toEqual([4 * s, 7 * s, 10 * s]);
  });

  it('windowStarts agrees with the definition (start ≡ offset mod slide, start ≤ t < start + size)', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let k = 0; k < 2000; k++) {
      const slide = 1 + next(50);
      const size = slide * (1 + next(5)) + (next(2) === 0 ? 0 : next(slide));
      const offset = next(slide);
      const t = next(2000) - 1000;
      const expected: number[] = [];
      for (let st = offset - slide * Math.ceil(5000 / slide); st <= t; st += slide)
        if (t < st + size) expected.push(st);
      expect(windowStarts(t, size, slide, offset)).toEqual(expected);
    }
  });

  it('parses dates and timestamps before the epoch', async () => {
    expect(evalSql("CAST('1969-12-31 23:59:59.999999' AS TIMESTAMP)")).toBe(-1);
    expect(showSql("CAST('1900-03-01' AS DATE)")).toBe('1900-03-01');
    expect(showSql("CAST(CAST('1969-12-31 23:59:59.5' AS TIMESTAMP) AS STRING)")).toBe(
      '1969-12-31 23:59:59.5',
    );
  });
});
