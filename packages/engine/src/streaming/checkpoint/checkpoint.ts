import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamingQueryError } from '../../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { CommitLog } from './commit-log.js';
import { corruptLogError } from './metadata-log.js';
import { type OffsetSeq, OffsetSeqLog } from './offset-seq-log.js';

/** The `metadata` file: the query id that stays the same across restarts. */
export interface StreamMetadata {
  id: string;
}

/**
 * A query's checkpoint directory, laid out as Spark's:
 * `metadata`, `offsets/<batchId>`, `commits/<batchId>`, `sources/<n>/...`,
 * `state/<operatorId>/<partition>/<version>.delta|.snapshot`.
 */
export class StreamCheckpoint {
  readonly offsets: OffsetSeqLog;
  readonly commits: CommitLog;

  constructor(readonly root: string) {
    this.offsets = new OffsetSeqLog(path.join(root, 'offsets'));
    this.commits = new CommitLog(path.join(root, 'commits'));
  }

  /**
   * Writes batch `batchId`'s offsets entry off the event loop; another run of the query having
   * written it first fails with CONCURRENT_QUERY.
   */
  async addOffsetsEntry(batchId: number, entry: OffsetSeq): Promise<void> {
    if (!(await this.offsets.addAsync(batchId, entry))) {
      throw new StreamingQueryError(
        'CONCURRENT_QUERY',
        `Another instance of this query wrote ${this.offsets.pathOf(batchId)} first: only one run of a query may use the checkpoint ${this.root}`,
      );
    }
  }

  get metadataPath(): string {
    return path.join(this.root, 'metadata');
  }

  /** Reads `metadata`, or undefined for a fresh checkpoint. A file that does not parse is an error naming it. */
  readMetadata(): StreamMetadata | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.metadataPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const obj = JSON.parse(text.split('\n')[0] ?? '') as { id?: unknown };
      if (!obj || typeof obj.id !== 'string' || obj.id === '') throw new Error('no "id" field');
      return { id: obj.id };
    } catch (err) {
      throw corruptLogError(this.metadataPath, err);
    }
  }

  /** Returns the stored query id, creating `metadata` with a new id the first time. */
  getOrCreateQueryId(): string {
    const existing = this.readMetadata();
    if (existing) return existing.id;
    const id = randomUUID();
    writeFileAtomic(this.metadataPath, `${JSON.stringify({ id })}\n`);
    return id;
  }

  /** Private directory of source number `index` (`sources/<index>`). */
  sourceDir(index: number): string {
    return path.join(this.root, 'sources', String(index));
  }

  /** Root of all operator state (`state/`). */
  get stateDir(): string {
    return path.join(this.root, 'state');
  }

  /**
   * Keeps the newest `minBatchesToRetain` batches of the offsets and commit logs (Spark's
   * `spark.sql.streaming.minBatchesToRetain`, default 100).
   */
  async purge(currentBatchId: number, minBatchesToRetain: number): Promise<void> {
    const threshold = currentBatchId - minBatchesToRetain + 1;
    if (threshold <= 0) return;
    await this.offsets.purge(threshold);
    await this.commits.purge(threshold);
  }
}
