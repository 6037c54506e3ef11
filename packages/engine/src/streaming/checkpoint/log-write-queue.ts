/**
 * Checkpoint writes run in the background, in order: each starts after the one before it has
 * finished, and after a failed one none runs (the failure is the query's). Used for the logs of an
 * at-least-once sink's batches (docs/decisions/0012), continuous epochs and asynchronous progress
 * tracking (docs/decisions/0010).
 */
export class LogWriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly waitingForRoom: (() => void)[] = [];
  private failure: { error: unknown } | undefined;

  /** No write is queued or running. */
  get idle(): boolean {
    return this.pending === 0;
  }

  /**
   * Queues a write; the promise settles when it has run (it need not be awaited: a failure is kept
   * and thrown by `throwIfFailed` and `flush`).
   */
  add(write: () => Promise<void>): Promise<void> {
    this.pending++;
    const done = this.tail.then(async () => {
      try {
        if (this.failure) throw this.failure.error;
        await write();
      } catch (error) {
        this.failure ??= { error };
        throw error;
      } finally {
        this.pending--;
        this.waitingForRoom.shift()?.();
      }
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Resolves once fewer than `max` writes are queued or running (back-pressure on the caller). */
  async room(max: number): Promise<void> {
    while (this.pending >= max) await new Promise<void>((r) => this.waitingForRoom.push(r));
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every queued write; throws the first failure. */
  async flush(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }
}
