/**
 * The clock a processing-time trigger schedules batches by (Spark's `triggerClock`: a SystemClock in
 * production, a StreamManualClock in Spark's own tests). Batches start at multiples of the interval
 * on this clock, so a test that must know when the next trigger fires drives a ManualClock instead
 * of racing the wall clock.
 */
export interface TriggerClock {
  now(): number;
  /** Resolves once the clock reads `targetMs` or later, or as soon as `signal` aborts. */
  waitUntil(targetMs: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: TriggerClock = {
  now: () => Date.now(),
  waitUntil(targetMs, signal) {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, targetMs - Date.now()));
      signal.addEventListener('abort', done, { once: true });
    });
  },
};

/** A clock that only moves when told to; waiters wake when `advance` passes their target. */
export class ManualClock implements TriggerClock {
  private current: number;
  private waiters: { targetMs: number; resolve: () => void }[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Number of pending waits (a trigger loop parked until a later time). */
  get waiting(): number {
    return this.waiters.length;
  }

  waitUntil(targetMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || targetMs <= this.current) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = {
        targetMs,
        resolve: () => {
          signal.removeEventListener('abort', waiter.resolve);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        },
      };
      this.waiters.push(waiter);
      signal.addEventListener('abort', waiter.resolve, { once: true });
    });
  }

  advance(ms: number): void {
    this.current += ms;
    for (const w of [...this.waiters]) if (w.targetMs <= this.current) w.resolve();
  }
}
