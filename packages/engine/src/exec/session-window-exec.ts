import { type BoundExpr, compileExpr, describe, type ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { compileKeys, type KeyValue } from './keys.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface SessionWindowConfig {
  readonly child: PhysicalOperator;
  /** The bound `session_window(ts, gap)` call: `[ts, ts + gap]` per row, or null. */
  readonly eventWindow: BoundExpr;
  /** The other grouping keys: sessions never span two keys. */
  readonly keys: readonly BoundExpr[];
  readonly output: readonly ScopeField[];
}

/**
 * Batch session windows (Spark's MergingSessionsExec): per key, events sorted by time merge while
 * the next event starts no later than the current session's end; each row gets its session
 * `[start, end]` appended. Rows without an event window (null time or a non-positive gap) are dropped.
 */
export class SessionWindowExec extends BaseExec {
  readonly name = 'SessionWindowExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: SessionWindowConfig) {
    super();
    this.children = [config.child];
    this.output = config.output;
  }

  display(): string {
    const keys = this.config.keys.map(describe).join(', ');
    return `SessionWindow ${describe(this.config.eventWindow)}, [${keys}]`;
  }

  override execute(): Row[] {
    const ev = compileExpr(this.config.eventWindow);
    const keys = compileKeys(this.config.keys);
    const groups = new Map<KeyValue, { row: Row; start: number; end: number }[]>();
    for (const row of this.config.child.execute()) {
      const w = ev(row) as [number, number] | null;
      if (w === null || w === undefined) continue;
      const k = this.config.keys.length === 0 ? 0 : keys.key(keys.values(row));
      let list = groups.get(k);
      if (!list) {
        list = [];
        groups.set(k, list);
      }
      list.push({ row, start: w[0], end: w[1] });
    }
    const out: Row[] = [];
    for (const list of groups.values()) {
      list.sort((a, b) => a.start - b.start);
      let session: [number, number] | undefined;
      for (const e of list) {
        if (session && e.start <= session[1]) session[1] = Math.max(session[1], e.end);
        else session = [e.start, e.end];
        out.push([...e.row, session]);
      }
    }
    return out;
  }
}
