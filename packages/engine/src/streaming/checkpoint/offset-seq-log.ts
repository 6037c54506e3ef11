import { MetadataLog, parseJsonLine, stripVersion } from './metadata-log.js';

/** The second line of `offsets/<batchId>`: Spark's OffsetSeqMetadata. */
export interface OffsetSeqMetadata {
  batchWatermarkMs: number;
  batchTimestampMs: number;
  /** Confs that must not change across restarts (shuffle partitions, state format versions, ...). */
  conf: Record<string, string>;
}

/**
 * One write-ahead entry: what batch N reads. `offsets[i]` is source i's end offset as its JSON text,
 * or null for a source that has no offset yet (Spark writes `-`).
 */
export interface OffsetSeq {
  metadata: OffsetSeqMetadata;
  offsets: (string | null)[];
}

const VOID_OFFSET = '-';

/** `offsets/` of a checkpoint: "v1\n{metadata}\n<one offset JSON per source>". */
export class OffsetSeqLog extends MetadataLog<OffsetSeq> {
  protected serialize(entry: OffsetSeq): string {
    const lines = ['v1', JSON.stringify(entry.metadata)];
    for (const o of entry.offsets) lines.push(o ?? VOID_OFFSET);
    return lines.join('\n');
  }

  protected deserialize(text: string): OffsetSeq {
    const { rest } = stripVersion(text, 1);
    const lines = rest.split('\n');
    const meta = parseJsonLine(lines[0], 'offset metadata') as Partial<OffsetSeqMetadata>;
    if (meta === null || typeof meta !== 'object') throw new Error('offset metadata is not an object');
    const metadata: OffsetSeqMetadata = {
      batchWatermarkMs: typeof meta.batchWatermarkMs === 'number' ? meta.batchWatermarkMs : 0,
      batchTimestampMs: typeof meta.batchTimestampMs === 'number' ? meta.batchTimestampMs : 0,
      conf: meta.conf && typeof meta.conf === 'object' ? { ...meta.conf } : {},
    };
    const offsets: (string | null)[] = [];
    for (const line of lines.slice(1)) {
      if (line === VOID_OFFSET) offsets.push(null);
      else {
        parseJsonLine(line, 'source offset'); // validate
        offsets.push(line);
      }
    }
    return { metadata, offsets };
  }
}
