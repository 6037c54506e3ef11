import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactibleFileStreamLog } from '../streaming/checkpoint/compactible-log.js';

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
 * committed, compacted every `compactInterval` batches into `<batchId>.compact` (every live file so
 * far, deletes applied). Readers list files through this log only, so files of a batch that crashed
 * before its entry never show up.
 */
export class FileStreamSinkLog extends CompactibleFileStreamLog<SinkFileStatus> {
  protected readonly itemName = 'sink file status';
  protected readonly logName = 'file sink log';

  constructor(
    readonly outputPath: string,
    compactInterval = 10,
  ) {
    super(path.join(outputPath, SINK_METADATA_DIR), compactInterval);
  }

  /** Spark's compactLogs: a file deleted later is no longer live. */
  protected override compactLogs(items: SinkFileStatus[]): SinkFileStatus[] {
    const byPath = new Map<string, SinkFileStatus>();
    for (const e of items) {
      if (e.action === 'delete') byPath.delete(e.path);
      else byPath.set(e.path, e);
    }
    return [...byPath.values()];
  }

  /** Live files as of `batchId`. */
  allFilesUpTo(batchId: number): SinkFileStatus[] {
    return this.allEntriesUpTo(batchId);
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
