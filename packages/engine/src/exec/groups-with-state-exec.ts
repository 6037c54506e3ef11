import type { ScopeField } from '../plan/expr-api.js';
import type { GroupsWithStateSpec } from '../plan/logical/plan.js';
import { GroupStateImpl } from '../streaming/group-state.js';
import type { TransformRun } from '../streaming/operators/transform-with-state-exec.js';
import { emptyKeyState } from '../streaming/stateful-processor.js';
import type { Row } from '../types/data-type.js';
import { BaseExec, type PhysicalOperator } from './operator.js';

/**
 * `[flat]MapGroupsWithState` on a batch Dataset (and `mapGroups`/`flatMapGroups`): every key's rows,
 * in order of first appearance, go to the user function once, with an empty state that is then
 * dropped — as Spark runs it on batch data (timeouts never fire).
 */
export class GroupsWithStateExec extends BaseExec {
  readonly name = 'FlatMapGroupsWithStateExec';
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly child: PhysicalOperator,
    readonly spec: GroupsWithStateSpec,
    readonly output: readonly ScopeField[],
  ) {
    super();
    this.children = [child];
  }

  display(): string {
    return this.spec.stateless ? 'MapGroups' : `FlatMapGroupsWithState ${this.spec.timeout}`;
  }

  override execute(): Row[] {
    const groups = groupRows(this.child.execute(), this.spec.keyOf);
    const out: Row[] = [];
    if (this.spec.transform) {
      // A batch transformWithState: each key once, with empty state; timers never fire.
      const run = this.spec.transform.open() as TransformRun;
      try {
        for (const { key, rows } of groups.values()) {
          run.handle.bind(emptyKeyState(), Date.now());
          for (const r of run.input(key, rows, Date.now(), 0)) out.push(r);
        }
      } finally {
        run.close();
      }
      return out;
    }
    const initial = new Map((this.spec.initialState?.entries() ?? []).map((e) => [keyJson(e.key), e.state]));
    for (const [k, { key, rows }] of groups) {
      const state = new GroupStateImpl(
        initial.has(k) ? { value: initial.get(k) } : undefined,
        'NoTimeout',
        Date.now(),
        undefined,
        false,
        operationName(this.spec),
      );
      for (const r of this.spec.call(key, rows, state)) out.push(r);
    }
    return out;
  }
}

/** Rows grouped by key (JSON of the key: equal keys, one group), in order of first appearance. */
export function groupRows(
  rows: readonly Row[],
  keyOf: (row: Row) => unknown,
): Map<string, { key: unknown; rows: Row[] }> {
  const groups = new Map<string, { key: unknown; rows: Row[] }>();
  for (const r of rows) {
    const key = keyOf(r);
    const k = keyJson(key);
    let g = groups.get(k);
    if (!g) {
      g = { key, rows: [] };
      groups.set(k, g);
    }
    g.rows.push(r);
  }
  return groups;
}

/** A grouping key's identity: its JSON (Map keys of objects compare by reference), bigints as `"<n>n"`. */
export function keyJson(key: unknown): string {
  return JSON.stringify(key === undefined ? null : key, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** The key back from `keyJson` (a stored key whose timer or timeout fires, the state reader). */
export function parseKeyJson(json: string): unknown {
  return JSON.parse(json, (_k, v) =>
    typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
  );
}

export function operationName(spec: GroupsWithStateSpec): string {
  return spec.isMapGroups ? 'mapGroupsWithState' : 'flatMapGroupsWithState';
}
