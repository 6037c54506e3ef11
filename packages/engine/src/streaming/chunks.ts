/**
 * Chunked micro-batch execution (docs/decisions/0002): a batch's rows go through the incremental
 * plan in chunks of at most `chunkRows()` rows (4096), and the engine yields to the event loop
 * between chunks once YIELD_AFTER_MS passed since it last yielded.
 */
let chunkRowsValue = 4096;
const YIELD_AFTER_MS = 4;

/** Rows per chunk. */
export function chunkRows(): number {
  return chunkRowsValue;
}

/**
 * Sets the rows per chunk for queries started afterwards (benchmarks compare with an unchunked
 * run by setting `Infinity`).
 */
export function setChunkRows(rows: number): void {
  if (!(rows >= 1)) throw new RangeError(`chunk rows must be >= 1, got ${rows}`);
  chunkRowsValue = rows;
}

/** Yields to the event loop (timers, I/O, other queries) when the current slice ran long enough. */
export class EventLoopYielder {
  private lastYield = performance.now();

  async maybeYield(): Promise<void> {
    if (performance.now() - this.lastYield < YIELD_AFTER_MS) return;
    await yieldToEventLoop();
    this.lastYield = performance.now();
  }
}

/** `rows` in slices of at most `size` rows (a source whose rows are already in memory). */
export function* sliceChunks<R>(rows: readonly R[], size = chunkRows()): Generator<R[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
