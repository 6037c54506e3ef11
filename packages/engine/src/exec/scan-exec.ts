import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, fieldList, type PhysicalOperator } from './operator.js';

export interface ScanConfig {
  readonly label: string;
  readonly output: readonly ScopeField[];
  /** The rows, or a function producing them when the scan runs (ranges, micro-batch leaves). */
  readonly rows: readonly Row[] | (() => readonly Row[]);
}

/** Reads in-memory rows: LocalTableScan, Range, file scans and micro-batch streaming leaves. */
export class ScanExec extends BaseExec {
  readonly name = 'ScanExec';
  readonly children: readonly PhysicalOperator[] = [];
  readonly output: readonly ScopeField[];
  constructor(readonly config: ScanConfig) {
    super();
    this.output = config.output;
  }

  display(): string {
    return `${this.config.label} ${fieldList(this.output)}`;
  }

  private rows(): readonly Row[] {
    const r = this.config.rows;
    return typeof r === 'function' ? r() : r;
  }

  /** True when the rows are a fixed array (a static table, not a per-batch provider). */
  get isStatic(): boolean {
    return typeof this.config.rows !== 'function';
  }

  /** The rows without copying (callers must not modify the array). */
  rowsView(): readonly Row[] {
    return this.rows();
  }

  override execute(): Row[] {
    return this.rows().slice();
  }

  override forEachRow(sink: (row: Row) => void): void {
    const rows = this.rows();
    for (let i = 0; i < rows.length; i++) sink(rows[i]!);
  }
}
