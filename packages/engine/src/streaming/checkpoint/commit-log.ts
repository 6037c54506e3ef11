import { MetadataLog, parseJsonLine, stripVersion } from './metadata-log.js';

/** `commits/<batchId>`: written after the sink accepted the batch. */
export interface CommitMetadata {
  nextBatchWatermarkMs: number;
}

/** `commits/` of a checkpoint: "v1\n{"nextBatchWatermarkMs":N}". */
export class CommitLog extends MetadataLog<CommitMetadata> {
  protected serialize(entry: CommitMetadata): string {
    return `v1\n${JSON.stringify({ nextBatchWatermarkMs: entry.nextBatchWatermarkMs })}`;
  }

  protected deserialize(text: string): CommitMetadata {
    const { rest } = stripVersion(text, 1);
    const obj = parseJsonLine(rest.split('\n')[0], 'commit metadata') as { nextBatchWatermarkMs?: unknown };
    if (obj === null || typeof obj !== 'object') throw new Error('commit metadata is not an object');
    return {
      nextBatchWatermarkMs: typeof obj.nextBatchWatermarkMs === 'number' ? obj.nextBatchWatermarkMs : 0,
    };
  }
}
