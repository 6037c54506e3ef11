import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { compositeKey, type KeyValue } from './keys.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface SetOpConfig {
  readonly op: 'intersect' | 'except';
  readonly all: boolean;
  readonly left: PhysicalOperator;
  readonly right: PhysicalOperator;
  readonly output: readonly ScopeField[];
}

/** INTERSECT / EXCEPT [ALL] over whole rows (nulls compare equal, as in Spark's set operations). */
export class SetOpExec extends BaseExec {
  readonly name = 'SetOpExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: SetOpConfig) {
    super();
    this.children = [config.left, config.right];
    this.output = config.output;
  }

  display(): string {
    const op = this.config.op === 'intersect' ? 'Intersect' : 'Except';
    return `${op}${this.config.all ? 'All' : ''}`;
  }

  override execute(): Row[] {
    const key = compositeKey(this.output.map((f) => f.dataType));
    const counts = new Map<KeyValue, number>();
    this.config.right.forEachRow((r) => {
      const k = key(r);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    });
    const out: Row[] = [];
    const emitted = new Set<KeyValue>();
    const intersect = this.config.op === 'intersect';
    this.config.left.forEachRow((r) => {
      const k = key(r);
      const c = counts.get(k) ?? 0;
      if (this.config.all) {
        if (intersect) {
          if (c > 0) {
            counts.set(k, c - 1);
            out.push(r);
          }
        } else if (c > 0) counts.set(k, c - 1);
        else out.push(r);
        return;
      }
      if (emitted.has(k)) return;
      if (intersect ? c > 0 : c === 0) {
        emitted.add(k);
        out.push(r);
      }
    });
    return out;
  }
}
