/**
 * The Nexmark queries, written once in Sluice (Spark) SQL from the Nexmark reference text, over the
 * views `person`, `auction` and `bid` (each with its fields plus `ts`, the event time as a
 * TIMESTAMP with a watermark), and the hand-written kafkajs versions of the stateless ones.
 *
 * Windows are shorter than the reference's minutes (10 s, sliding by 2 s) so that a run of a few
 * hundred thousand events, which spans only seconds of event time, closes many windows.
 */
import type { Bid, NexmarkEvent } from './generator.js';

export type OutputMode = 'append' | 'update' | 'complete';

export interface NexmarkQuery {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  readonly outputMode: OutputMode;
  /**
   * The same work written by hand for a kafkajs consumer/producer program: maps one parsed event to
   * the output records (JSON text), or undefined when the query has no hand-written version.
   */
  readonly hand?: (e: NexmarkEvent) => string | undefined;
}

/** q1's conversion: Spark's DECIMAL(3,3) × BIGINT keeps three decimals exactly; so does the integer math. */
function dollarsToEuros(price: number): string {
  const milli = price * 908;
  const whole = Math.trunc(milli / 1000);
  return `${whole}.${String(milli % 1000).padStart(3, '0')}`;
}

export const NEXMARK_QUERIES: readonly NexmarkQuery[] = [
  {
    name: 'q0',
    description: 'pass-through',
    sql: 'SELECT auction, bidder, price, dateTime, extra FROM bid',
    outputMode: 'append',
    hand: (e) => {
      const b = e.bid;
      if (!b) return undefined;
      return JSON.stringify({
        auction: b.auction,
        bidder: b.bidder,
        price: b.price,
        dateTime: b.dateTime,
        extra: b.extra,
      });
    },
  },
  {
    name: 'q1',
    description: 'currency conversion',
    sql: 'SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid',
    outputMode: 'append',
    hand: (e) => {
      const b: Bid | null = e.bid;
      if (!b) return undefined;
      return `{"auction":${b.auction},"bidder":${b.bidder},"price":${dollarsToEuros(b.price)},"dateTime":${b.dateTime},"extra":${JSON.stringify(b.extra)}}`;
    },
  },
  {
    name: 'q2',
    description: 'selection',
    sql: 'SELECT auction, price FROM bid WHERE auction % 123 = 0',
    outputMode: 'append',
    hand: (e) => {
      const b = e.bid;
      if (!b || b.auction % 123 !== 0) return undefined;
      return JSON.stringify({ auction: b.auction, price: b.price });
    },
  },
  {
    name: 'q3',
    description: 'local item suggestion (stream-stream join)',
    sql: `SELECT P.name, P.city, P.state, A.id
      FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
      WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')`,
    outputMode: 'append',
  },
  {
    name: 'q4',
    description: 'average price per category (join, chained aggregation)',
    sql: `SELECT Q.category, AVG(Q.final) AS avg_price FROM (
        SELECT MAX(B.price) AS final, A.category
        FROM auction AS A, bid AS B
        WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
        GROUP BY A.id, A.category) AS Q
      GROUP BY Q.category`,
    outputMode: 'update',
  },
  {
    name: 'q5',
    description: 'hot items (sliding window)',
    sql: `SELECT AuctionBids.auction, AuctionBids.num FROM (
        SELECT auction, count(*) AS num, window.start AS starttime, window.end AS endtime
        FROM bid GROUP BY auction, window(ts, '10 seconds', '2 seconds')) AS AuctionBids
      JOIN (
        SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime FROM (
          SELECT count(*) AS num, window.start AS starttime, window.end AS endtime
          FROM bid GROUP BY auction, window(ts, '10 seconds', '2 seconds')) AS CountBids
        GROUP BY CountBids.starttime, CountBids.endtime) AS MaxBids
      ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime
        AND AuctionBids.num >= MaxBids.maxn`,
    outputMode: 'append',
  },
  {
    name: 'q7',
    description: 'highest bid per window (join with an aggregate)',
    sql: `SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
      FROM bid AS B JOIN (
        SELECT MAX(price) AS maxprice, window.end AS windowEnd FROM bid GROUP BY window(ts, '10 seconds')) AS B1
      ON B.price = B1.maxprice
      WHERE B.ts BETWEEN B1.windowEnd - INTERVAL 10 SECONDS AND B1.windowEnd`,
    outputMode: 'append',
  },
  {
    name: 'q8',
    description: 'new users (windowed join)',
    sql: `SELECT P.id, P.name, P.starttime FROM (
        SELECT id, name, window.start AS starttime, window.end AS endtime
        FROM person GROUP BY id, name, window(ts, '10 seconds')) AS P
      JOIN (
        SELECT seller, window.start AS starttime, window.end AS endtime
        FROM auction GROUP BY seller, window(ts, '10 seconds')) AS A
      ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime`,
    outputMode: 'append',
  },
  {
    name: 'q11',
    description: 'user sessions (session window)',
    sql: `SELECT bidder, count(*) AS bid_count, session_window.start AS starttime, session_window.end AS endtime
      FROM bid GROUP BY bidder, session_window(ts, '10 seconds')`,
    outputMode: 'append',
  },
];
