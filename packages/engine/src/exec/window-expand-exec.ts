import { firstWindowStart, tumblingWindowStart } from '../expr/window.js';
import { type BoundExpr, compileExpr, describe, type ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface WindowExpandConfig {
  readonly child: PhysicalOperator;
  readonly timeExpr: BoundExpr;
  readonly sizeMicros: number;
  readonly slideMicros: number;
  readonly startMicros: number;
  readonly output: readonly ScopeField[];
}

/** Sliding time windows (Spark's Expand): one output row per window containing the row's time. */
export class WindowExpandExec extends BaseExec {
  readonly name = 'WindowExpandExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: WindowExpandConfig) {
    super();
    this.children = [config.child];
    this.output = config.output;
  }

  display(): string {
    const c = this.config;
    return `Expand window(${describe(c.timeExpr)}, ${c.sizeMicros}, ${c.slideMicros}, ${c.startMicros}) [window]`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    const { sizeMicros, slideMicros, startMicros } = this.config;
    const time = compileExpr(this.config.timeExpr);
    this.config.child.forEachRow((row) => {
      const t = time(row);
      if (t === null || t === undefined) return;
      // The windows of `windowStarts`, earliest first, without an array of them; each output row
      // built by a loop (a spread per window was a tenth of a sliding-window query's profile).
      const last = tumblingWindowStart(t as number, slideMicros, startMicros);
      const n = row.length;
      for (
        let s = firstWindowStart(t as number, sizeMicros, slideMicros, startMicros);
        s <= last;
        s += slideMicros
      ) {
        const out: unknown[] = new Array(n + 1);
        for (let c = 0; c < n; c++) out[c] = row[c];
        out[n] = [s, s + sizeMicros];
        sink(out);
      }
    });
  }
}
