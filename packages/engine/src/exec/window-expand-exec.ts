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

/**
 * The start of every window of (size, slide, start) containing time t, latest first — Spark's
 * TimeWindowing: windows [s, s + size) with s ≡ start (mod slide) and s ≤ t < s + size.
 */
export function windowStartsFor(t: number, size: number, slide: number, start: number): number[] {
  const mod = (((t - start) % slide) + slide) % slide;
  const last = t - mod;
  const out: number[] = [];
  for (let s = last; s > t - size; s -= slide) out.push(s);
  return out;
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
      const starts = windowStartsFor(t as number, sizeMicros, slideMicros, startMicros);
      for (let i = starts.length - 1; i >= 0; i--) {
        const s = starts[i]!;
        sink([...row, [s, s + sizeMicros]]);
      }
    });
  }
}
