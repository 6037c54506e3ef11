import { parse } from 'lossless-json';
import { exactIntegerOfNumberText } from '../types/long.js';

/** A run of digits long enough to be an integer beyond ±2^53 (which has 16 digits). */
const LONG_DIGITS = /\d{16}/;

/**
 * `JSON.parse` that keeps integers beyond ±2^53 exact, as bigints (docs/decisions/0006-exact-longs.md).
 * Text without a run of 16 digits takes `JSON.parse` (the fast path of almost every record); the
 * rest goes through lossless-json. Throws a SyntaxError on invalid JSON, as `JSON.parse` does.
 */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return parseJsonLossless(text);
}

/** The lossless parse alone (a caller that already knows the text has an integer beyond ±2^53). */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, (digits) => exactIntegerOfNumberText(digits) ?? Number(digits));
}
