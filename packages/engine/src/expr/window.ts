/** Time-window arithmetic shared by `window()` and the planner's expansion of sliding windows. */
import { floorMod } from '../types/datetime.js';

/**
 * Start times (µs, ascending) of every window of `size` sliding by `slide` and offset by `start`
 * that contains the timestamp `ts` (start ≤ ts < start + size), as Spark's TimeWindow expansion.
 */
export function windowStarts(ts: number, sizeMicros: number, slideMicros: number, startMicros = 0): number[] {
  const lastStart = ts - floorMod(ts - startMicros, slideMicros);
  const out: number[] = [];
  const n = Math.ceil(sizeMicros / slideMicros);
  for (let i = n - 1; i >= 0; i--) {
    const s = lastStart - i * slideMicros;
    if (s <= ts && ts < s + sizeMicros) out.push(s);
  }
  return out;
}

/** The start of the tumbling window (size = slide) containing ts. */
export function tumblingWindowStart(ts: number, sizeMicros: number, startMicros = 0): number {
  return ts - floorMod(ts - startMicros, sizeMicros);
}
