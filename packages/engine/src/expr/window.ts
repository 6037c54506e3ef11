/** Time-window arithmetic shared by `window()` and the planner's expansion of sliding windows. */
import { floorMod } from '../types/datetime.js';

/**
 * Start times (µs, ascending) of every window of `size` sliding by `slide` and offset by `start`
 * that contains the timestamp `ts` (start ≤ ts < start + size), as Spark's TimeWindow expansion.
 */
export function windowStarts(ts: number, sizeMicros: number, slideMicros: number, startMicros = 0): number[] {
  const out: number[] = [];
  const last = tumblingWindowStart(ts, slideMicros, startMicros);
  for (let s = firstWindowStart(ts, sizeMicros, slideMicros, startMicros); s <= last; s += slideMicros)
    out.push(s);
  return out;
}

/**
 * The earliest of `windowStarts(ts, …)`; the others follow every `slideMicros` up to the latest,
 * `tumblingWindowStart(ts, slideMicros, startMicros)` (for callers that must not allocate per row).
 */
export function firstWindowStart(
  ts: number,
  sizeMicros: number,
  slideMicros: number,
  startMicros = 0,
): number {
  let first = tumblingWindowStart(ts, slideMicros, startMicros);
  while (first - slideMicros > ts - sizeMicros) first -= slideMicros;
  return first;
}

/** The start of the tumbling window (size = slide) containing ts. */
export function tumblingWindowStart(ts: number, sizeMicros: number, startMicros = 0): number {
  return ts - floorMod(ts - startMicros, sizeMicros);
}
