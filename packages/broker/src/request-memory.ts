/**
 * The memory all connections may hold for requests being received (Kafka's `queued.max.request.bytes`
 * memory pool). A connection reserves a request's full size when it reads the size prefix; when the
 * pool cannot give it, that connection stops being read (Kafka mutes the channel) until another
 * request is handled and its bytes come back. Reserving whole requests up front, never partial ones,
 * means a request already being received always completes: paused connections cannot deadlock.
 */
export class RequestMemoryPool {
  private used = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Takes `bytes` when they fit (a request larger than the whole pool fits only into an empty one). */
  tryReserve(bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used -= bytes;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  /** Calls `retry` once after the next release. */
  onRelease(retry: () => void): void {
    this.waiters.push(retry);
  }
}
