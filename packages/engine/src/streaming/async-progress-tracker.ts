import type { StreamCheckpoint } from './checkpoint/checkpoint.js';
import type { CommitMetadata } from './checkpoint/commit-log.js';
import { LogWriteQueue } from './checkpoint/log-write-queue.js';
import type { OffsetSeq } from './checkpoint/offset-seq-log.js';

/** At most this many log writes wait; the next batch then waits too (Spark's executor of 2). */
const MAX_QUEUED_WRITES = 2;

/**
 * Asynchronous progress tracking (`asyncProgressTrackingEnabled`, docs/decisions/0010): Spark's
 * AsyncOffsetSeqLog and AsyncCommitLog. Offsets and commits are written in order, in the
 * background; an offsets entry only every `intervalMs` (each batch's is kept in memory by the
 * caller), a commit only for a batch whose offsets entry was written or the first batch of a run.
 * The end offsets of a written batch are handed back for the sources to commit once a later
 * batch's offsets are on disk.
 */
export class AsyncProgressTracker<O> {
  private readonly writes = new LogWriteQueue();
  private offsetsWritten = 0;
  /** When the last offsets write was issued (ms), -1: none yet. */
  private lastIssuedMs = -1;
  private firstBatch = true;
  /** Batches whose offsets write was issued and whose commit has not been issued yet. */
  private readonly offsetWrites = new Set<number>();
  /** End offsets of the newest batch whose offsets entry is on disk. */
  private lastDurable: readonly O[] | undefined;
  private readonly sourceCommits: (readonly O[])[] = [];

  constructor(
    private readonly checkpoint: StreamCheckpoint,
    private readonly intervalMs: number,
    private readonly minBatchesToRetain: number,
    private readonly now: () => number,
  ) {}

  /**
   * A batch's offsets entry (Spark's markMicroBatchStart): written when the interval has passed.
   * Resolves once the write is queued (at once, unless two writes already wait).
   */
  async addOffsets(batchId: number, entry: OffsetSeq, end: readonly O[]): Promise<void> {
    this.writes.throwIfFailed();
    const now = this.now();
    if (this.intervalMs > 0 && this.lastIssuedMs !== -1 && now < this.lastIssuedMs + this.intervalMs) return;
    this.lastIssuedMs = now;
    this.offsetWrites.add(batchId);
    await this.enqueue(async () => {
      await this.checkpoint.addOffsetsEntry(batchId, entry);
      if (this.lastDurable) this.sourceCommits.push(this.lastDurable);
      this.lastDurable = end;
      // Both logs keep their newest entries (by count: they have gaps), purged every 10 entries.
      if (++this.offsetsWritten % 10 === 0) {
        await this.checkpoint.offsets.purgeKeepingNewest(Math.max(2, this.minBatchesToRetain));
        await this.checkpoint.commits.purgeKeepingNewest(Math.max(2, this.minBatchesToRetain));
      }
    });
  }

  /** A batch done (Spark's markMicroBatchEnd): its commit is written when its offsets entry was. */
  async addCommit(batchId: number, entry: CommitMetadata): Promise<void> {
    this.writes.throwIfFailed();
    const write = this.offsetWrites.delete(batchId) || this.firstBatch;
    this.firstBatch = false;
    if (!write) return;
    await this.enqueue(async () => {
      // A re-run batch's commit may already be there (a crash after it): as the synchronous path.
      await this.checkpoint.commits.addAsync(batchId, entry);
    });
  }

  /** End offsets the sources may now commit (their batches are on disk and superseded), oldest first. */
  takeSourceCommits(): (readonly O[])[] {
    return this.sourceCommits.splice(0);
  }

  /** Throws the first failed write's error, if one has failed (an idle query learns of it too). */
  throwIfFailed(): void {
    this.writes.throwIfFailed();
  }

  /** Waits for every queued write; throws the first write's failure. */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  /** Queues a write once fewer than MAX_QUEUED_WRITES wait (the batch waits for room, not for it). */
  private async enqueue(write: () => Promise<void>): Promise<void> {
    await this.writes.room(MAX_QUEUED_WRITES);
    void this.writes.add(write);
  }
}
