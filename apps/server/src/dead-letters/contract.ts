import type { DeadLetters } from '@sluice/db';
import { encodeBytes } from '../topics/bytes.js';
import type { EncodedBytes } from '../topics/schemas.js';

/**
 * The context headers a query puts on each record it dead-letters (docs/engine-streaming.md), in the
 * pattern of Kafka Connect's `__connect.errors.*` and Kafka Streams' `__streams.errors.*`. Values are
 * UTF-8 strings.
 */
export const DEAD_LETTER_HEADER_PREFIX = '__sluice.errors.';
export const DeadLetterHeader = {
  topic: '__sluice.errors.topic',
  partition: '__sluice.errors.partition',
  offset: '__sluice.errors.offset',
  queryId: '__sluice.errors.query.id',
  queryName: '__sluice.errors.query.name',
  runId: '__sluice.errors.run.id',
  batchId: '__sluice.errors.batch.id',
  stage: '__sluice.errors.stage',
  exceptionClass: '__sluice.errors.exception.class.name',
  exceptionMessage: '__sluice.errors.exception.message',
  exceptionStacktrace: '__sluice.errors.exception.stacktrace',
  timestamp: '__sluice.errors.timestamp',
} as const;

/** Where a record failed: parsing its value, evaluating an expression on it, or writing it out. */
export const DEAD_LETTER_STAGES = ['parse', 'eval', 'sink'] as const;

/** Header put on a replayed record: the id of the dead letter it came from. */
export const REPLAY_OF_HEADER = '__sluice.replay.of';

/** A record of a dead-letter topic as the archiver's Kafka source reads it (Spark's Kafka columns). */
export interface DeadLetterRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  topic: string;
  partition: number;
  offset: number | bigint;
  /** Microseconds since the epoch, as the engine represents timestamps. */
  timestamp: number | bigint | null;
  headers: { key: string; value: Uint8Array | null }[] | null;
}

export type HeaderView = { key: string; value: EncodedBytes | null };
export type NewDeadLetter = typeof DeadLetters.$inferInsert;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const utf8 = new TextDecoder('utf-8');

function integer(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** An integer that fits Postgres's `integer` (a partition), else null: a larger one would fail the INSERT. */
function int32(text: string | undefined): number | null {
  const n = integer(text);
  return n !== null && n >= -2_147_483_648 && n <= 2_147_483_647 ? n : null;
}

/** Years 1 to 9999: a JS date outside them (it reaches ±275 760) is out of Postgres's timestamptz range. */
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function storableTime(ms: number): Date | null {
  const date = new Date(ms);
  return Number.isFinite(ms) && date.getUTCFullYear() >= 1 && ms <= MAX_TIME_MS ? date : null;
}

/** `__sluice.errors.timestamp`: epoch milliseconds, or an ISO-8601 string. */
function failureTime(text: string | undefined): Date | null {
  if (text === undefined) return null;
  return storableTime(integer(text) ?? Date.parse(text));
}

/**
 * One `dead_letters` row from a dead-letter record: its position in the dead-letter topic (the
 * row's identity), the context headers each in its column, all headers as they came, key and value
 * as bytes. A header that is missing or malformed leaves its column null (a query id that is not a
 * UUID is kept only in `headers`) — an odd record is archived, never refused.
 */
export function deadLetterRow(record: DeadLetterRecord, now = new Date()): NewDeadLetter {
  const context = new Map<string, string>();
  const headers: HeaderView[] = [];
  for (const h of record.headers ?? []) {
    const value = h.value === null ? null : Buffer.from(h.value.buffer, h.value.byteOffset, h.value.length);
    headers.push({ key: withoutNul(h.key), value: jsonSafe(encodeBytes(value)) });
    // The first value wins when a header repeats: the engine writes each context header once.
    if (h.key.startsWith(DEAD_LETTER_HEADER_PREFIX) && !context.has(h.key) && value !== null) {
      context.set(h.key, utf8.decode(value));
    }
  }
  // An empty value says as much as a missing one (an unnamed query's name header is '').
  const get = (name: string) => {
    const v = context.get(name);
    return v === undefined || v === '' ? undefined : withoutNul(v);
  };
  const uuid = (name: string) => {
    const v = get(name);
    return v !== undefined && UUID.test(v) ? v.toLowerCase() : null;
  };
  const recordTimestamp =
    record.timestamp === null || record.timestamp === undefined
      ? null
      : storableTime(Math.floor(Number(record.timestamp) / 1000));
  return {
    dlqTopic: record.topic,
    dlqPartition: record.partition,
    dlqOffset: Number(record.offset),
    sourceTopic: get(DeadLetterHeader.topic) ?? null,
    sourcePartition: int32(get(DeadLetterHeader.partition)),
    sourceOffset: integer(get(DeadLetterHeader.offset)),
    queryId: uuid(DeadLetterHeader.queryId),
    queryName: get(DeadLetterHeader.queryName) ?? null,
    runId: uuid(DeadLetterHeader.runId),
    batchId: integer(get(DeadLetterHeader.batchId)),
    stage: get(DeadLetterHeader.stage) ?? 'unknown',
    errorClass: get(DeadLetterHeader.exceptionClass) ?? 'UNKNOWN',
    errorMessage: get(DeadLetterHeader.exceptionMessage) ?? '',
    stack: get(DeadLetterHeader.exceptionStacktrace) ?? null,
    key: record.key === null ? null : Buffer.from(record.key),
    value: record.value === null ? null : Buffer.from(record.value),
    headers,
    failedAt: failureTime(get(DeadLetterHeader.timestamp)) ?? recordTimestamp ?? now,
    recordTimestamp,
  };
}

/**
 * Postgres text and jsonb cannot hold U+0000, which is valid UTF-8: a header or message carrying it
 * would make the batch's INSERT fail on every retry. Text columns get U+FFFD in its place; header
 * values with it are kept exactly, as base64.
 */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function jsonSafe(bytes: EncodedBytes | null): EncodedBytes | null {
  if (bytes?.encoding !== 'utf8' || !bytes.data.includes('\u0000')) return bytes;
  return { encoding: 'base64', data: Buffer.from(bytes.data, 'utf8').toString('base64') };
}

/** The headers a replayed record carries: the original ones, without the dead-letter context. */
export function replayHeaders(headers: HeaderView[], deadLetterId: string): Record<string, Buffer[]> {
  const out: Record<string, Buffer[]> = {};
  for (const h of headers) {
    if (h.key.startsWith(DEAD_LETTER_HEADER_PREFIX) || h.key === REPLAY_OF_HEADER || h.value === null)
      continue;
    const bytes = Buffer.from(h.value.data, h.value.encoding === 'base64' ? 'base64' : 'utf8');
    const values = out[h.key] ?? [];
    values.push(bytes);
    out[h.key] = values;
  }
  out[REPLAY_OF_HEADER] = [Buffer.from(deadLetterId, 'utf8')];
  return out;
}
