import { AnalysisError } from '../../errors.js';
import { corruptLogError, MetadataLog, parseJsonLine, stripVersion } from './metadata-log.js';

/**
 * Spark's CompactibleFileStreamLog, shared by the file sink's `_spark_metadata` log and the file
 * source's `sources/<n>` log: each batch's entry is `v1` then one JSON line per item; every
 * `compactInterval` batches (`(batchId + 1) % interval == 0`) the entry is `<batchId>.compact` and holds
 * what `compactLogs` keeps of every item so far, so a reader never needs the entries before it.
 */
export abstract class CompactibleFileStreamLog<E> extends MetadataLog<E[]> {
  /** What one line holds, for error messages (`sink file status`, `file entry`). */
  protected abstract readonly itemName: string;
  /** The log's name in error messages (`file sink log`, `file source log`). */
  protected abstract readonly logName: string;

  constructor(
    dir: string,
    readonly compactInterval = 10,
  ) {
    super(dir);
  }

  isCompactionBatch(batchId: number): boolean {
    return (batchId + 1) % this.compactInterval === 0;
  }

  override pathOf(batchId: number): string {
    const base = super.pathOf(batchId);
    return this.isCompactionBatch(batchId) ? `${base}.compact` : base;
  }

  /** What a compaction keeps of all items so far (Spark's `compactLogs`); all of them by default. */
  protected compactLogs(items: E[]): E[] {
    return items;
  }

  /** Records a batch's items (a compaction batch with everything before it); false if it has an entry. */
  override add(batchId: number, items: E[]): boolean {
    if (!this.isCompactionBatch(batchId)) return super.add(batchId, items);
    return super.add(batchId, this.compactLogs([...this.allEntriesUpTo(batchId - 1), ...items]));
  }

  /** The items live as of `batchId`: the newest compaction at or below it and the entries after it. */
  allEntriesUpTo(batchId: number): E[] {
    if (batchId < 0) return [];
    let start = 0;
    for (let b = batchId; b >= 0; b--) {
      if (this.isCompactionBatch(b)) {
        start = b;
        break;
      }
    }
    const all: E[] = [];
    for (let b = start; b <= batchId; b++) {
      const items = this.rawEntry(b);
      if (!items) throw corruptLogError(this.pathOf(b), new Error(`the ${this.logName} entry is missing`));
      for (const e of items) all.push(e);
    }
    return this.compactLogs(all);
  }

  /** A batch's file as written (a compaction's file holds every item up to it). */
  protected rawEntry(batchId: number): E[] | undefined {
    return super.get(batchId);
  }

  /**
   * Every batch after the latest compaction must have its entry: a missing one would make its items
   * look unseen (read again) or its batch unreadable. Entries before a compaction are in it.
   */
  assertContiguous(): void {
    const ids = this.listBatchIds();
    const compacted = ids.filter((id) => this.isCompactionBatch(id)).pop() ?? ids[0] ?? 0;
    const latest = ids[ids.length - 1] ?? -1;
    const present = new Set(ids);
    for (let id = compacted; id <= latest; id++) {
      if (!present.has(id)) {
        throw new AnalysisError(
          'CHECKPOINT_FILE_MISSING',
          `The ${this.logName} entry ${this.pathOf(id)} is missing (the log has batches up to ${latest}): the checkpoint lost files. Restore it, or start again with a new checkpoint location.`,
        );
      }
    }
  }

  protected serialize(items: E[]): string {
    return ['v1', ...items.map((e) => JSON.stringify(e))].join('\n');
  }

  protected deserialize(text: string): E[] {
    const { rest } = stripVersion(text, 1);
    return rest
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => parseJsonLine(l, this.itemName) as E);
  }
}
