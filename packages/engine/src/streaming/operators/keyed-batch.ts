import { keyJson } from '../../exec/groups-with-state-exec.js';
import type { Row } from '../../types/data-type.js';
import type { EventTimeColumn } from './event-time.js';
import { eventTimeMicros } from './event-time.js';
import type { BatchInfo, RowSource } from './stateful-operator.js';

/**
 * A batch's input rows grouped by a user key function (keys identified by their JSON), late rows
 * (at or below the previous watermark on the input's watermarked column) dropped and counted: the
 * input side of flatMapGroupsWithState and transformWithState, which call the user once per key
 * with all its rows of the batch.
 */
export class KeyedBatch {
  groups = new Map<string, { key: unknown; rows: Row[] }>();
  droppedByWatermark = 0;

  constructor(
    private readonly keyOf: (row: Row) => unknown,
    private readonly eventTime: { readonly index: number; readonly column: EventTimeColumn } | undefined,
  ) {}

  reset(): void {
    this.groups = new Map();
    this.droppedByWatermark = 0;
  }

  add(rows: RowSource, info: BatchInfo): void {
    const et = this.eventTime;
    const late =
      et && info.hasWatermark && info.lateWatermarkMs > 0 ? info.lateWatermarkMs * 1000 : undefined;
    rows((row) => {
      if (late !== undefined) {
        const t = eventTimeMicros(row[et!.index], et!.column.kind);
        if (t !== null && t <= late) {
          this.droppedByWatermark++;
          return;
        }
      }
      const key = this.keyOf(row);
      const k = keyJson(key);
      let g = this.groups.get(k);
      if (!g) {
        g = { key, rows: [] };
        this.groups.set(k, g);
      }
      g.rows.push(row);
    });
  }
}
