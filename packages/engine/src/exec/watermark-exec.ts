import type { EventTimeStats } from '../plan/bound-plan.js';
import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

/** Counts one event time (microseconds) into `stats`, as Spark's EventTimeStats.add; null is not counted. */
export function recordEventTime(stats: EventTimeStats, micros: unknown): void {
  if (typeof micros !== 'number') return;
  const ms = Math.floor(micros / 1000);
  if (ms < stats.min) stats.min = ms;
  if (ms > stats.max) stats.max = ms;
  stats.sum += ms;
  stats.count++;
}

export interface WatermarkConfig {
  readonly child: PhysicalOperator;
  readonly column: number;
  readonly delayMs: number;
  /** Streaming: the batch's statistics, counted as rows pass (batch queries have none). */
  readonly stats?: EventTimeStats;
}

/**
 * EventTimeWatermark: rows pass through unchanged; in a streaming batch their event times are
 * counted into the statistics the next watermark is computed from. Fused pipelines count them
 * inline (pipeline-codegen's `observe` step); this operator is their interpreted form.
 */
export class WatermarkExec extends BaseExec {
  readonly name = 'WatermarkExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: WatermarkConfig) {
    super();
    this.children = [config.child];
    this.output = config.child.output;
  }

  display(): string {
    return `EventTimeWatermark ${this.output[this.config.column]!.name}, ${this.config.delayMs} ms`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    const { stats, column } = this.config;
    if (!stats) {
      this.config.child.forEachRow(sink);
      return;
    }
    this.config.child.forEachRow((row) => {
      recordEventTime(stats, row[column]);
      sink(row);
    });
  }
}
