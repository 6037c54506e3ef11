/**
 * The Nexmark queries, written once in Sluice (Spark) SQL from the Nexmark reference text, over the
 * views `person`, `auction` and `bid` (each with its fields plus `ts`, the event time as a
 * TIMESTAMP with a watermark), and the hand-written kafkajs versions of q0, q1, q2 and q5.
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
  /** The same work written by hand for a kafkajs consumer/producer program (a new one per run). */
  readonly hand?: (partitions: number) => HandProgram;
  /**
   * The benchmark's target for this query as a ratio to Sluice's own q0 (its runs then alternate
   * with q0 runs, and the ratio is the median of the pairs').
   */
  readonly targetVsQ0?: number;
}

/** A hand-written query: parsed events in, output records (JSON text) out. */
export interface HandProgram {
  /** One event read from `partition`; records that are final already go to `out`. */
  add(e: NexmarkEvent, partition: number, out: string[]): void;
  /** After each fetched batch (`endOfInput` after the last): records that became final. */
  flush(out: string[], endOfInput: boolean): void;
}

/** A query that maps each event to at most one record on its own. */
function perEvent(map: (e: NexmarkEvent) => string | undefined): () => HandProgram {
  return () => ({
    add(e, _partition, out) {
      const v = map(e);
      if (v !== undefined) out.push(v);
    },
    flush() {},
  });
}

/** Window size and slide of the windowed queries, and the views' watermark delay (SQL and by hand). */
const WINDOW_MS = 10_000;
const SLIDE_MS = 2_000;
export const WATERMARK_DELAY_MS = 2_000;
const WINDOW = `'${WINDOW_MS / 1000} seconds'`;
const SLIDE = `'${SLIDE_MS / 1000} seconds'`;

/**
 * q5 by hand: bid counts per auction in 10 s windows sliding by 2 s; when a window closes, the
 * auctions with the most bids in it. A window closes when the watermark passes its end; the
 * watermark is the smallest of the partitions' latest event times minus the delay (each partition
 * is in event-time order, so no bid is late), and at the end of the input the latest event time of
 * all minus the delay — Spark's watermark once every partition is read.
 */
function hotItems(partitions: number): HandProgram {
  const counts = new Map<number, Map<number, number>>(); // window end → auction → bids
  const latest = new Array<number>(partitions).fill(Number.NEGATIVE_INFINITY);
  return {
    add(e, partition, _out) {
      const b = e.bid;
      if (!b) return;
      const t = b.dateTime;
      if (t > latest[partition]!) latest[partition] = t;
      const lastStart = t - (t % SLIDE_MS);
      for (let start = lastStart; start > t - WINDOW_MS; start -= SLIDE_MS) {
        const end = start + WINDOW_MS;
        let perAuction = counts.get(end);
        if (!perAuction) {
          perAuction = new Map();
          counts.set(end, perAuction);
        }
        perAuction.set(b.auction, (perAuction.get(b.auction) ?? 0) + 1);
      }
    },
    flush(out, endOfInput) {
      const watermark = (endOfInput ? Math.max(...latest) : Math.min(...latest)) - WATERMARK_DELAY_MS;
      for (const [end, perAuction] of counts) {
        if (end > watermark) continue;
        let max = 0;
        for (const n of perAuction.values()) if (n > max) max = n;
        for (const [auction, num] of perAuction)
          if (num === max) out.push(`{"auction":${auction},"num":${num}}`);
        counts.delete(end);
      }
    },
  };
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
    hand: perEvent((e) => {
      const b = e.bid;
      if (!b) return undefined;
      return JSON.stringify({
        auction: b.auction,
        bidder: b.bidder,
        price: b.price,
        dateTime: b.dateTime,
        extra: b.extra,
      });
    }),
  },
  {
    name: 'q1',
    description: 'currency conversion',
    sql: 'SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid',
    outputMode: 'append',
    hand: perEvent((e) => {
      const b: Bid | null = e.bid;
      if (!b) return undefined;
      return `{"auction":${b.auction},"bidder":${b.bidder},"price":${dollarsToEuros(b.price)},"dateTime":${b.dateTime},"extra":${JSON.stringify(b.extra)}}`;
    }),
  },
  {
    name: 'q2',
    description: 'selection',
    sql: 'SELECT auction, price FROM bid WHERE auction % 123 = 0',
    outputMode: 'append',
    hand: perEvent((e) => {
      const b = e.bid;
      if (!b || b.auction % 123 !== 0) return undefined;
      return JSON.stringify({ auction: b.auction, price: b.price });
    }),
  },
  {
    name: 'q3',
    description: 'local item suggestion (stream-stream join)',
    sql: `SELECT P.name, P.city, P.state, A.id
      FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
      WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')`,
    outputMode: 'append',
    targetVsQ0: 0.4,
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
  // The reference's q5 joins the counts with their maximum per window; Spark refuses that in append
  // mode (the maximum is an aggregation without an event-time key), so the second aggregation groups
  // the counts by their window's `window_time`, which keeps the watermark (Spark 3.5's chained
  // time-window aggregation), and keeps every auction that has the maximum.
  {
    name: 'q5',
    description: 'hot items (sliding window, chained aggregation)',
    sql: `WITH AuctionBids AS (
        SELECT auction, count(*) AS num, window
        FROM bid GROUP BY auction, window(ts, ${WINDOW}, ${SLIDE})),
      HotItems AS (
        SELECT max(num) AS maxn, collect_list(struct(auction, num)) AS items
        FROM AuctionBids GROUP BY window(window_time(window), ${SLIDE}))
      SELECT item.auction, item.num
      FROM HotItems LATERAL VIEW explode(filter(items, x -> x.num >= maxn)) AS item`,
    outputMode: 'append',
    targetVsQ0: 0.5,
    hand: hotItems,
  },
  {
    name: 'q7',
    description: 'highest bid per window (join with an aggregate)',
    sql: `SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
      FROM bid AS B JOIN (
        SELECT MAX(price) AS maxprice, window_time(window) AS windowTime
        FROM bid GROUP BY window(ts, ${WINDOW})) AS B1
      ON B.price = B1.maxprice
      WHERE B.ts BETWEEN B1.windowTime - INTERVAL ${WINDOW_MS / 1000} SECONDS AND B1.windowTime`,
    outputMode: 'append',
    targetVsQ0: 0.5,
  },
  {
    name: 'q8',
    description: 'new users (windowed join)',
    sql: `SELECT P.id, P.name, P.starttime FROM (
        SELECT id, name, window.start AS starttime, window.end AS endtime
        FROM person GROUP BY id, name, window(ts, ${WINDOW})) AS P
      JOIN (
        SELECT seller, window.start AS starttime, window.end AS endtime
        FROM auction GROUP BY seller, window(ts, ${WINDOW})) AS A
      ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime`,
    outputMode: 'append',
    targetVsQ0: 0.4,
  },
  {
    name: 'q11',
    description: 'user sessions (session window)',
    sql: `SELECT bidder, count(*) AS bid_count, session_window.start AS starttime, session_window.end AS endtime
      FROM bid GROUP BY bidder, session_window(ts, ${WINDOW})`,
    outputMode: 'append',
  },
];
