/**
 * A deterministic Nexmark event generator following the benchmark's model (the reference
 * generator of the Nexmark suite as used by Beam and Flink): out of every 50 events 1 is a Person,
 * 3 are Auctions and 46 are Bids (2/6/92 %); ids grow with the event number, bids go mostly to
 * "hot" auctions and come mostly from "hot" bidders, prices are log-uniform, and every event carries
 * `extra` padding so that the average sizes are about 200 (person), 500 (auction) and 100 (bid) bytes.
 *
 * Each event is generated from its event id alone (its own seeded random stream), so any slice of
 * the sequence can be produced independently and two runs with the same seed are identical.
 * Times are epoch milliseconds (`dateTime`), spaced by `interEventDelayUs`.
 */

export interface Person {
  id: number;
  name: string;
  emailAddress: string;
  creditCard: string;
  city: string;
  state: string;
  dateTime: number;
  extra: string;
}

export interface Auction {
  id: number;
  itemName: string;
  description: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
  extra: string;
}

export interface Bid {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
}

/** One event as it is written to Kafka: Flink-Nexmark's envelope (one topic, three nullable parts). */
export interface NexmarkEvent {
  event_type: 0 | 1 | 2;
  person: Person | null;
  auction: Auction | null;
  bid: Bid | null;
}

/** The DDL of the envelope, for `from_json`. */
export const EVENT_SCHEMA_DDL =
  'event_type INT, ' +
  'person STRUCT<id: BIGINT, name: STRING, emailAddress: STRING, creditCard: STRING, city: STRING, state: STRING, dateTime: BIGINT, extra: STRING>, ' +
  'auction STRUCT<id: BIGINT, itemName: STRING, description: STRING, initialBid: BIGINT, reserve: BIGINT, dateTime: BIGINT, expires: BIGINT, seller: BIGINT, category: BIGINT, extra: STRING>, ' +
  'bid STRUCT<auction: BIGINT, bidder: BIGINT, price: BIGINT, channel: STRING, url: STRING, dateTime: BIGINT, extra: STRING>';

export interface GeneratorConfig {
  readonly seed: number;
  /** Event time of event 0 (epoch ms). */
  readonly baseTimeMs: number;
  /** Event-time spacing between consecutive events (µs); 500 µs = 2,000 events per event-time second, so a quick run spans minutes of event time and closes many 10-second windows. */
  readonly interEventDelayUs: number;
}

export const DEFAULT_GENERATOR_CONFIG: GeneratorConfig = {
  seed: 42,
  baseTimeMs: Date.UTC(2026, 0, 1),
  interEventDelayUs: 500,
};

// The model's constants (Nexmark's defaults).
const PERSON_PROPORTION = 1;
const AUCTION_PROPORTION = 3;
const PROPORTION_DENOMINATOR = 50;
const FIRST_PERSON_ID = 1000;
const FIRST_AUCTION_ID = 1000;
const FIRST_CATEGORY_ID = 10;
const NUM_CATEGORIES = 5;
const NUM_ACTIVE_PEOPLE = 1000;
const NUM_IN_FLIGHT_AUCTIONS = 100;
const PERSON_ID_LEAD = 10;
const AUCTION_ID_LEAD = 10;
const HOT_AUCTION_RATIO = 2;
const HOT_SELLERS_RATIO = 4;
const HOT_BIDDERS_RATIO = 4;
const AVG_PERSON_BYTES = 200;
const AVG_AUCTION_BYTES = 500;
const AVG_BID_BYTES = 100;

const FIRST_NAMES = [
  'Peter',
  'Paul',
  'Luke',
  'John',
  'Saul',
  'Vicky',
  'Kate',
  'Julie',
  'Sarah',
  'Deiter',
  'Walter',
];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = [
  'Phoenix',
  'Los Angeles',
  'San Francisco',
  'Boise',
  'Portland',
  'Bend',
  'Redmond',
  'Seattle',
  'Kent',
  'Cheyenne',
];
const CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];

/** A small, fast seeded PRNG (mulberry32) — one stream per event. */
class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  nextDouble(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextDouble() * n);
  }
}

function eventSeed(seed: number, eventId: number): number {
  // Mix the event id into the seed (splitmix-style) so neighbouring events get unrelated streams.
  let h = (seed ^ Math.imul(eventId, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16) ^ Math.floor(eventId / 4294967296)) >>> 0;
}

function lastBase0PersonId(eventId: number): number {
  const epoch = Math.floor(eventId / PROPORTION_DENOMINATOR);
  let offset = eventId % PROPORTION_DENOMINATOR;
  if (offset >= PERSON_PROPORTION) offset = PERSON_PROPORTION - 1;
  return epoch * PERSON_PROPORTION + offset;
}

function lastBase0AuctionId(eventId: number): number {
  let epoch = Math.floor(eventId / PROPORTION_DENOMINATOR);
  let offset = eventId % PROPORTION_DENOMINATOR;
  if (offset < PERSON_PROPORTION) {
    // A person: the last auction was in the previous epoch.
    epoch--;
    offset = AUCTION_PROPORTION - 1;
  } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
    // A bid: the last auction was the epoch's last one.
    offset = AUCTION_PROPORTION - 1;
  } else {
    offset -= PERSON_PROPORTION;
  }
  return Math.max(0, epoch * AUCTION_PROPORTION + offset);
}

function nextBase0PersonId(eventId: number, r: Random): number {
  const numPeople = lastBase0PersonId(eventId) + 1;
  const active = Math.min(numPeople, NUM_ACTIVE_PEOPLE);
  return numPeople - active + r.nextInt(active + PERSON_ID_LEAD);
}

function nextBase0AuctionId(eventId: number, r: Random): number {
  const max = lastBase0AuctionId(eventId);
  const min = Math.max(max - NUM_IN_FLIGHT_AUCTIONS, 0);
  return min + r.nextInt(max - min + 1 + AUCTION_ID_LEAD);
}

function nextPrice(r: Random): number {
  return Math.round(10 ** (r.nextDouble() * 6) * 100);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
function nextString(r: Random, maxLength: number): string {
  const len = 3 + r.nextInt(maxLength - 2);
  let s = '';
  for (let i = 0; i < len; i++) s += r.nextInt(13) === 0 ? ' ' : LETTERS[r.nextInt(26)];
  return s.trim() || 'x';
}

/** Padding that brings an event from `currentSize` to about `desiredAverage` bytes. */
function nextExtra(r: Random, currentSize: number, desiredAverage: number): string {
  if (currentSize > desiredAverage) return '';
  const avgExtra = desiredAverage - currentSize;
  const delta = Math.round(avgExtra * 0.2);
  const len = avgExtra - delta + r.nextInt(2 * delta + 1);
  let s = '';
  while (s.length < len) s += LETTERS[r.nextInt(26)];
  return s;
}

export class NexmarkGenerator {
  constructor(readonly config: GeneratorConfig = DEFAULT_GENERATOR_CONFIG) {}

  /** Event time of an event (epoch ms). */
  timestampOf(eventId: number): number {
    return this.config.baseTimeMs + Math.floor((eventId * this.config.interEventDelayUs) / 1000);
  }

  /** Event `eventId` (0-based), with its time overridden when `dateTime` is given (rate mode). */
  event(eventId: number, dateTime = this.timestampOf(eventId)): NexmarkEvent {
    const r = new Random(eventSeed(this.config.seed, eventId));
    const offset = eventId % PROPORTION_DENOMINATOR;
    if (offset < PERSON_PROPORTION)
      return { event_type: 0, person: this.person(eventId, r, dateTime), auction: null, bid: null };
    if (offset < PERSON_PROPORTION + AUCTION_PROPORTION)
      return { event_type: 1, person: null, auction: this.auction(eventId, r, dateTime), bid: null };
    return { event_type: 2, person: null, auction: null, bid: this.bid(eventId, r, dateTime) };
  }

  private person(eventId: number, r: Random, dateTime: number): Person {
    const id = lastBase0PersonId(eventId) + FIRST_PERSON_ID;
    const name = `${FIRST_NAMES[r.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[r.nextInt(LAST_NAMES.length)]}`;
    const emailAddress = `${nextString(r, 7)}@${nextString(r, 5)}.com`;
    const creditCard = Array.from({ length: 4 }, () => String(1000 + r.nextInt(9000))).join(' ');
    const city = US_CITIES[r.nextInt(US_CITIES.length)]!;
    const state = US_STATES[r.nextInt(US_STATES.length)]!;
    const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    return {
      id,
      name,
      emailAddress,
      creditCard,
      city,
      state,
      dateTime,
      extra: nextExtra(r, size, AVG_PERSON_BYTES),
    };
  }

  private auction(eventId: number, r: Random, dateTime: number): Auction {
    const id = lastBase0AuctionId(eventId) + FIRST_AUCTION_ID;
    const seller =
      (r.nextInt(HOT_SELLERS_RATIO) > 0
        ? Math.floor(lastBase0PersonId(eventId) / HOT_SELLERS_RATIO) * HOT_SELLERS_RATIO
        : nextBase0PersonId(eventId, r)) + FIRST_PERSON_ID;
    const category = FIRST_CATEGORY_ID + r.nextInt(NUM_CATEGORIES);
    const initialBid = nextPrice(r);
    const expires = dateTime + 1000 * (1 + r.nextInt(20));
    const itemName = nextString(r, 20);
    const description = nextString(r, 100);
    const reserve = initialBid + nextPrice(r);
    const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
    return {
      id,
      itemName,
      description,
      initialBid,
      reserve,
      dateTime,
      expires,
      seller,
      category,
      extra: nextExtra(r, size, AVG_AUCTION_BYTES),
    };
  }

  private bid(eventId: number, r: Random, dateTime: number): Bid {
    const auction =
      (r.nextInt(HOT_AUCTION_RATIO) > 0
        ? Math.floor(lastBase0AuctionId(eventId) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO
        : nextBase0AuctionId(eventId, r)) + FIRST_AUCTION_ID;
    const bidder =
      (r.nextInt(HOT_BIDDERS_RATIO) > 0
        ? Math.floor(lastBase0PersonId(eventId) / HOT_BIDDERS_RATIO) * HOT_BIDDERS_RATIO + 1
        : nextBase0PersonId(eventId, r)) + FIRST_PERSON_ID;
    const price = nextPrice(r);
    const c = r.nextInt(CHANNELS.length);
    const channel = CHANNELS[c]!;
    const url = `https://www.nexmark.com/${nextString(r, 5)}/item.htm?query=1&channel_id=${c}`;
    const size = 8 + 8 + 8 + channel.length + url.length + 8;
    return { auction, bidder, price, channel, url, dateTime, extra: nextExtra(r, size, AVG_BID_BYTES) };
  }
}
