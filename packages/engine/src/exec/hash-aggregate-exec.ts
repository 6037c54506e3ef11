import {
  type AggregateBuffer,
  type BoundAggregate,
  type BoundExpr,
  compileExpr,
  describe,
  type ScopeField,
} from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { compositeKey, type KeyValue } from './keys.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

export interface HashAggregateConfig {
  readonly child: PhysicalOperator;
  readonly groupings: readonly BoundExpr[];
  readonly aggregates: readonly BoundAggregate[];
  readonly output: readonly ScopeField[];
}

interface Group {
  readonly keys: unknown[];
  readonly buffers: AggregateBuffer[];
}

/**
 * Hash aggregation: one entry per distinct grouping key holding one buffer per aggregate; output
 * rows are grouping values followed by aggregate results. Without grouping keys it returns exactly
 * one row, even over empty input (Spark's global aggregate).
 */
export class HashAggregateExec extends BaseExec {
  readonly name = 'HashAggregateExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  constructor(readonly config: HashAggregateConfig) {
    super();
    this.children = [config.child];
    this.output = config.output;
  }

  display(): string {
    const keys = this.config.groupings.map(describe).join(', ');
    const fns = this.config.aggregates.map((a) => a.sql).join(', ');
    return `HashAggregate(keys=[${keys}], functions=[${fns}])`;
  }

  override execute(): Row[] {
    const { groupings, aggregates } = this.config;
    const nAgg = aggregates.length;
    if (groupings.length === 0) {
      const buffers = aggregates.map((a) => a.create());
      this.config.child.forEachRow((row) => {
        for (let i = 0; i < nAgg; i++) buffers[i]!.update(row);
      });
      return [buffers.map((b) => b.result())];
    }
    const groups = new Map<KeyValue, Group>();
    const create = (): AggregateBuffer[] => {
      const bs = new Array<AggregateBuffer>(nAgg);
      for (let i = 0; i < nAgg; i++) bs[i] = aggregates[i]!.create();
      return bs;
    };
    if (groupings.length === 1) {
      const g = compileExpr(groupings[0]!);
      const key = compositeKey([groupings[0]!.dataType]);
      const direct = isDirect(groupings[0]!);
      this.config.child.forEachRow((row) => {
        const v = g(row);
        const k = direct ? (v as KeyValue) : key([v]);
        let grp = groups.get(k);
        if (grp === undefined) {
          grp = { keys: [v], buffers: create() };
          groups.set(k, grp);
        }
        const bs = grp.buffers;
        for (let i = 0; i < nAgg; i++) bs[i]!.update(row);
      });
    } else {
      const fns = groupings.map((e) => compileExpr(e));
      const key = compositeKey(groupings.map((e) => e.dataType));
      const n = fns.length;
      this.config.child.forEachRow((row) => {
        const vs = new Array(n);
        for (let i = 0; i < n; i++) vs[i] = fns[i]!(row);
        const k = key(vs);
        let grp = groups.get(k);
        if (grp === undefined) {
          grp = { keys: vs, buffers: create() };
          groups.set(k, grp);
        }
        const bs = grp.buffers;
        for (let i = 0; i < nAgg; i++) bs[i]!.update(row);
      });
    }
    const out: Row[] = [];
    for (const grp of groups.values()) {
      const row = grp.keys;
      for (let i = 0; i < nAgg; i++) row.push(grp.buffers[i]!.result());
      out.push(row);
    }
    return out;
  }
}

const DIRECT_KINDS = new Set(['boolean', 'byte', 'short', 'int', 'long', 'date', 'timestamp', 'string']);

function isDirect(e: BoundExpr): boolean {
  return DIRECT_KINDS.has(e.dataType.kind);
}
