import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamingQueryError } from '../../errors.js';
import {
  writeFileAtomic,
  writeFileAtomicAsync,
  writeFileAtomicIfAbsent,
  writeFileAtomicIfAbsentAsync,
} from './atomic-file.js';
import { removeOnLogThread } from './log-writer-thread.js';

/**
 * A directory of batch-numbered files, one per batch (`<dir>/0`, `<dir>/1`, ...), as Spark's
 * HDFSMetadataLog. Entries are written once, atomically; reading a file that does not parse
 * raises a StreamingQueryError that names the file.
 */
export abstract class MetadataLog<T> {
  constructor(readonly dir: string) {}

  /** Serializes one entry to the file text. */
  protected abstract serialize(entry: T): string;
  /** Parses one file's text; throw any Error and it is reported with the file path. */
  protected abstract deserialize(text: string): T;

  /** Path of a batch's file. */
  pathOf(batchId: number): string {
    return path.join(this.dir, String(batchId));
  }

  /**
   * Stores the entry of `batchId`. Returns false (and writes nothing) when the batch already has an
   * entry — the caller re-runs a batch with the logged entry instead.
   */
  add(batchId: number, entry: T): boolean {
    return writeFileAtomicIfAbsent(this.pathOf(batchId), this.serialize(entry));
  }

  /** `add` off the event loop. */
  addAsync(batchId: number, entry: T): Promise<boolean> {
    return writeFileAtomicIfAbsentAsync(this.pathOf(batchId), this.serialize(entry));
  }

  /** Stores the entry of `batchId`, replacing an existing one (continuous epochs never committed). */
  put(batchId: number, entry: T): void {
    writeFileAtomic(this.pathOf(batchId), this.serialize(entry));
  }

  /** `put` off the event loop. */
  putAsync(batchId: number, entry: T): Promise<void> {
    return writeFileAtomicAsync(this.pathOf(batchId), this.serialize(entry));
  }

  /** The entry of `batchId`, or undefined when there is none. */
  get(batchId: number): T | undefined {
    const file = this.pathOf(batchId);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return this.deserialize(text);
    } catch (err) {
      if (err instanceof StreamingQueryError) throw err;
      throw corruptLogError(file, err);
    }
  }

  /** All batch ids with an entry, ascending. */
  listBatchIds(): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const ids: number[] = [];
    for (const name of names) {
      // `N` entries, and `N.compact` entries of compacting logs (file source, file sink).
      const m = /^(\d+)(\.compact)?$/.exec(name);
      if (m) ids.push(Number(m[1]));
    }
    return ids.sort((a, b) => a - b);
  }

  /** The newest entry, or undefined for an empty log. */
  getLatest(): { batchId: number; entry: T } | undefined {
    const ids = this.listBatchIds();
    for (let i = ids.length - 1; i >= 0; i--) {
      const batchId = ids[i]!;
      const entry = this.get(batchId);
      if (entry !== undefined) return { batchId, entry };
    }
    return undefined;
  }

  /** The newest batch id, or -1. */
  latestBatchId(): number {
    const ids = this.listBatchIds();
    return ids.length === 0 ? -1 : ids[ids.length - 1]!;
  }

  /** The newest batch id below `batchId` with an entry, or -1 (logs with gaps: asynchronous progress tracking). */
  previousBatchId(batchId: number): number {
    const ids = this.listBatchIds();
    for (let i = ids.length - 1; i >= 0; i--) if (ids[i]! < batchId) return ids[i]!;
    return -1;
  }

  /** Deletes all but the newest `keep` entries (logs with gaps are purged by count). */
  async purgeKeepingNewest(keep: number): Promise<void> {
    const ids = this.listBatchIds();
    if (ids.length > keep) await this.purge(ids[ids.length - keep]!);
  }

  /** Deletes every entry whose batch id is below `thresholdBatchId` (Spark's purge), off the event loop. */
  async purge(thresholdBatchId: number): Promise<void> {
    await removeOnLogThread(
      this.listBatchIds()
        .filter((id) => id < thresholdBatchId)
        .map((id) => this.pathOf(id)),
    );
  }
}

/** The error for a checkpoint file that cannot be read: it always names the file. */
export function corruptLogError(file: string, cause: unknown): StreamingQueryError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StreamingQueryError(
    'CHECKPOINT_FILE_CORRUPT',
    `The checkpoint file ${file} is corrupt or unreadable: ${reason}`,
    undefined,
    { cause },
  );
}

/**
 * Checks the `v<N>` first line of a log file as Spark's `validateVersion` does and returns the rest
 * of the text.
 */
export function stripVersion(text: string, maxSupported: number): { version: number; rest: string } {
  const nl = text.indexOf('\n');
  const first = (nl < 0 ? text : text.slice(0, nl)).trim();
  const m = /^v(\d+)$/.exec(first);
  if (!m) {
    throw new Error(
      `Log file was malformed: failed to read correct log version from ${JSON.stringify(first)}.`,
    );
  }
  const version = Number(m[1]);
  if (version <= 0) {
    throw new Error(
      `Log file was malformed: failed to read correct log version from ${JSON.stringify(first)}.`,
    );
  }
  if (version > maxSupported) {
    throw new Error(
      `UnsupportedLogVersion: maximum supported log version is v${maxSupported}, but encountered v${version}. ` +
        'The log file was produced by a newer version of Sluice and cannot be read by this version. Please upgrade.',
    );
  }
  return { version, rest: nl < 0 ? '' : text.slice(nl + 1) };
}

/** JSON.parse that names what it expected in its error. */
export function parseJsonLine(line: string | undefined, what: string): unknown {
  if (line === undefined || line.trim() === '') throw new Error(`missing ${what}`);
  try {
    return JSON.parse(line);
  } catch (err) {
    throw new Error(`invalid JSON in ${what}: ${(err as Error).message}`);
  }
}
