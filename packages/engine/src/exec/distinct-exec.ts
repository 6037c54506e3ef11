import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { compositeKey, type KeyValue } from './keys.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface DistinctConfig {
  readonly child: PhysicalOperator;
  /** Column ordinals that form the key; all columns for DISTINCT. */
  readonly keys: readonly number[];
  /** `Deduplicate` (dropDuplicates) or `Distinct`. */
  readonly label: 'Distinct' | 'Deduplicate' | 'DeduplicateWithinWatermark';
}

/** Keeps the first row for each distinct key (DISTINCT, dropDuplicates). */
export class DistinctExec extends BaseExec {
  readonly name = 'DistinctExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: DistinctConfig) {
    super();
    this.children = [config.child];
    this.output = config.child.output;
  }

  display(): string {
    const names = this.config.keys.map((k) => this.output[k]!.name).join(', ');
    return this.config.label === 'Distinct'
      ? `HashAggregate(keys=[${names}], functions=[])`
      : `${this.config.label} [${names}]`;
  }

  override forEachRow(sink: (row: Row) => void): void {
    const keys = this.config.keys;
    const key = compositeKey(keys.map((k) => this.output[k]!.dataType));
    const seen = new Set<KeyValue>();
    const vs = new Array(keys.length);
    this.config.child.forEachRow((row) => {
      for (let i = 0; i < keys.length; i++) vs[i] = row[keys[i]!];
      const k = key(vs);
      if (seen.has(k)) return;
      seen.add(k);
      sink(row);
    });
  }
}
