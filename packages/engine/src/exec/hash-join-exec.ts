import { type BoundExpr, compilePredicate, describe, type ScopeField } from '../plan/expr-api.js';
import type { JoinType } from '../plan/logical/plan.js';
import type { Row } from '../types/data-type.js';
import { FusedPipelineExec } from './fused-pipeline-exec.js';
import { compileKeys, type KeyValue } from './keys.js';
import { BaseExec, type PhysicalOperator } from './operator.js';
import { ScanExec } from './scan-exec.js';

export interface JoinConfig {
  readonly left: PhysicalOperator;
  readonly right: PhysicalOperator;
  readonly joinType: JoinType;
  /** Equi-join keys (may be empty: then every pair is a candidate — a nested-loop join). */
  readonly leftKeys: readonly BoundExpr[];
  readonly rightKeys: readonly BoundExpr[];
  /** Residual condition over `left ++ right`. */
  readonly condition?: BoundExpr;
  readonly output: readonly ScopeField[];
}

/**
 * Joins of every type. With equi keys the right side is hashed (rows with a null key never match);
 * without keys every pair is tested (BroadcastNestedLoopJoin). The residual condition is applied to
 * each candidate pair; outer sides emit null-padded rows for unmatched rows.
 */
export class HashJoinExec extends BaseExec {
  readonly name = 'HashJoinExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  private cache:
    | { source: readonly Row[]; rows: readonly Row[]; matches: (l: Row) => readonly number[] }
    | undefined;
  constructor(readonly config: JoinConfig) {
    super();
    this.children = [config.left, config.right];
    this.output = config.output;
  }

  display(): string {
    const c = this.config;
    const type = JOIN_NAMES[c.joinType];
    const cond = c.condition ? `, ${describe(c.condition)}` : '';
    if (c.leftKeys.length === 0) return `BroadcastNestedLoopJoin ${type}${cond}`;
    return `HashJoin [${c.leftKeys.map(describe).join(', ')}], [${c.rightKeys.map(describe).join(', ')}], ${type}${cond}`;
  }

  override execute(): Row[] {
    const c = this.config;
    const leftRows = c.left.execute();
    // A static build side (a table joined with each micro-batch of a stream) is hashed once.
    const staticRight = staticRows(c.right);
    let rightRows: readonly Row[];
    let matches: (l: Row) => readonly number[];
    if (staticRight && this.cache?.source === staticRight.source) {
      rightRows = this.cache.rows;
      matches = this.cache.matches;
    } else {
      rightRows = staticRight ? staticRight.rows() : c.right.execute();
      matches = buildMatcher(c, rightRows);
      if (staticRight) this.cache = { source: staticRight.source, rows: rightRows, matches };
    }
    const lw = c.left.output.length;
    const rw = c.right.output.length;
    const cond = c.condition ? compilePredicate(c.condition) : undefined;
    const nullsL = new Array(lw).fill(null);
    const nullsR = new Array(rw).fill(null);
    const out: Row[] = [];
    const rightMatched =
      c.joinType === 'right' || c.joinType === 'full' ? new Uint8Array(rightRows.length) : undefined;
    for (const l of leftRows) {
      const cands = matches(l);
      let matched = false;
      for (let j = 0; j < cands.length; j++) {
        const ri = cands[j]!;
        const r = rightRows[ri]!;
        const joined = l.concat(r);
        if (cond && !cond(joined)) continue;
        matched = true;
        if (c.joinType === 'semi' || c.joinType === 'anti') break;
        if (rightMatched) rightMatched[ri] = 1;
        out.push(joined);
      }
      if (c.joinType === 'semi' && matched) out.push(l);
      else if (c.joinType === 'anti' && !matched) out.push(l);
      else if (!matched && (c.joinType === 'left' || c.joinType === 'full')) out.push(l.concat(nullsR));
    }
    if (rightMatched)
      rightRows.forEach((r, i) => {
        if (!rightMatched[i]) out.push(nullsL.concat(r));
      });
    return out;
  }
}

/**
 * The rows of a static operator — a scan of a fixed array, or a deterministic filter/projection
 * pipeline over one — with the source array that identifies them; undefined otherwise.
 */
function staticRows(
  op: PhysicalOperator,
): { source: readonly Row[]; rows: () => readonly Row[] } | undefined {
  if (op instanceof ScanExec)
    return op.isStatic ? { source: op.rowsView(), rows: () => op.rowsView() } : undefined;
  if (op instanceof FusedPipelineExec && op.isDeterministic) {
    const input = op.config.input;
    if (input instanceof ScanExec && input.isStatic)
      return { source: input.rowsView(), rows: () => op.execute() };
  }
  return undefined;
}

const JOIN_NAMES: Record<JoinType, string> = {
  inner: 'Inner',
  left: 'LeftOuter',
  right: 'RightOuter',
  full: 'FullOuter',
  semi: 'LeftSemi',
  anti: 'LeftAnti',
  cross: 'Cross',
};

/** For a left row, the indexes of candidate right rows. */
function buildMatcher(c: JoinConfig, rightRows: readonly Row[]): (l: Row) => readonly number[] {
  if (c.leftKeys.length === 0) {
    const all = rightRows.map((_, i) => i);
    return () => all;
  }
  const lk = compileKeys(c.leftKeys);
  const rk = compileKeys(c.rightKeys);
  // Numeric keys of different widths (int vs long) hash equal because both are JS numbers.
  const table = new Map<KeyValue, number[]>();
  rightRows.forEach((r, i) => {
    const vs = rk.values(r);
    if (rk.anyNull(vs)) return;
    const k = rk.key(vs);
    const list = table.get(k);
    if (list) list.push(i);
    else table.set(k, [i]);
  });
  const none: number[] = [];
  return (l) => {
    const vs = lk.values(l);
    if (lk.anyNull(vs)) return none;
    return table.get(lk.key(vs)) ?? none;
  };
}
