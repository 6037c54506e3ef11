import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicIfAbsent } from '../streaming/checkpoint/atomic-file.js';
import { corruptLogError, parseJsonLine, stripVersion } from '../streaming/checkpoint/metadata-log.js';

/** One line of a `_spark_metadata` file: Spark's SinkFileStatus. */
export interface SinkFileStatus {
  path: string;
  size: number;
  isDir: boolean;
  modificationTime: number;
  blockReplication: number;
  blockSize: number;
  action: 'add' | 'delete';
}

export const SINK_METADATA_DIR = '_spark_metadata';

/**
 * Spark's FileStreamSinkLog: `<output>/_spark_metadata/<batchId>` lists the files each batch
 * committed; every `compactInterval` batches (`(batchId + 1) % interval == 0`) the entry is a
 * `<batchId>.compact` file holding every live file so far. Readers list files through this log
 * only, so files of a batch that crashed before its entry never show up.
 */
export class FileStreamSinkLog {
  readonly dir: string;

  constructor(
    readonly outputPath: string,
    readonly compactInterval = 10,
  ) {
    this.dir = path.join(outputPath, SINK_METADATA_DIR);
  }

  isCompactionBatch(batchId: number): boolean {
    return (batchId + 1) % this.compactInterval === 0;
  }

  private fileOf(batchId: number): string {
    return path.join(this.dir, this.isCompactionBatch(batchId) ? `${batchId}.compact` : String(batchId));
  }

  /** Newest batch id in the log, or -1. */
  latestBatchId(): number {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return -1;
      throw err;
    }
    let max = -1;
    for (const n of names) {
      const m = /^(\d+)(\.compact)?$/.exec(n);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return max;
  }

  /** Records a batch's files; false if the batch already has an entry. */
  add(batchId: number, files: SinkFileStatus[]): boolean {
    let entries = files;
    if (this.isCompactionBatch(batchId)) entries = [...this.allFilesUpTo(batchId - 1), ...files];
    const text = ['v1', ...entries.map((e) => JSON.stringify(e))].join('\n');
    return writeFileAtomicIfAbsent(this.fileOf(batchId), text);
  }

  /** Reads one entry (a delta or a compact file). */
  get(batchId: number): SinkFileStatus[] | undefined {
    const file = this.fileOf(batchId);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const { rest } = stripVersion(text, 1);
      return rest
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => parseJsonLine(l, 'sink file status') as SinkFileStatus);
    } catch (err) {
      throw corruptLogError(file, err);
    }
  }

  /** Live files as of `batchId`: the newest compact at or below it plus the deltas after it. */
  allFilesUpTo(batchId: number): SinkFileStatus[] {
    if (batchId < 0) return [];
    let start = 0;
    for (let b = batchId; b >= 0; b--) {
      if (this.isCompactionBatch(b)) {
        start = b;
        break;
      }
    }
    const byPath = new Map<string, SinkFileStatus>();
    for (let b = start; b <= batchId; b++) {
      const entries = this.get(b);
      if (!entries) {
        throw corruptLogError(this.fileOf(b), new Error('the file sink metadata log entry is missing'));
      }
      for (const e of entries) {
        if (e.action === 'delete') byPath.delete(e.path);
        else byPath.set(e.path, e);
      }
    }
    return [...byPath.values()];
  }

  /** Every committed file (absolute paths). */
  allFiles(): string[] {
    return this.allFilesUpTo(this.latestBatchId()).map((e) =>
      e.path.startsWith('file:') ? fileURLToPath(e.path) : e.path,
    );
  }
}

/** True when `dir` is the output of a file sink (has `_spark_metadata`): readers must use the log. */
export function hasSinkMetadata(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, SINK_METADATA_DIR)).isDirectory();
  } catch {
    return false;
  }
}

/** The committed data files of a file-sink output directory (what batch readers must read). */
export function committedSinkFiles(dir: string): string[] {
  return new FileStreamSinkLog(dir).allFiles();
}
