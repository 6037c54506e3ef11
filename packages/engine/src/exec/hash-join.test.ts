import { describe, expect, it } from 'vitest';
import type { BoundPlan } from '../plan/bound-plan.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { Session } from '../session/session.js';
import type { Row } from '../types/data-type.js';
import { HashJoinExec } from './hash-join-exec.js';
import { planPhysical } from './planner.js';

/** Replaces the scan of `leaf` by a scan reading a mutable batch (as the micro-batch engine does). */
function withBatchLeaf(p: BoundPlan, leaf: LogicalPlan, batch: { rows: Row[] }): BoundPlan {
  if (p.kind === 'scan' && p.leaf === leaf) return { ...p, rows: () => batch.rows };
  if (p.kind === 'join')
    return { ...p, left: withBatchLeaf(p.left, leaf, batch), right: withBatchLeaf(p.right, leaf, batch) };
  if ('child' in p) return { ...p, child: withBatchLeaf(p.child, leaf, batch) } as BoundPlan;
  return p;
}

function findJoin(op: { name: string; children: readonly unknown[] }): HashJoinExec | undefined {
  if (op instanceof HashJoinExec) return op;
  const input = (op as { config?: { input?: unknown } }).config?.input;
  for (const c of input ? [input] : op.children) {
    const hit = findJoin(c as { name: string; children: readonly unknown[] });
    if (hit) return hit;
  }
  return undefined;
}

describe('HashJoinExec with a static build side', () => {
  it('hashes a static table once and joins each new batch against it', async () => {
    const s = Session.builder().create();
    const events = s.createDataFrame([[1, 'x']], 'k INT, e STRING');
    const dim = s.createDataFrame(
      [
        [1, 'one'],
        [2, 'two'],
      ],
      'k INT, name STRING',
    );
    const joined = events.join(dim.filter('k > 0'), 'k');
    const leaf = events.plan;
    const batch = { rows: [[1, 'a']] as Row[] };
    const op = planPhysical(withBatchLeaf(joined.optimized(), leaf, batch));
    expect(op.execute()).toEqual([[1, 'a', 'one']]);
    const join = findJoin(op)!;
    const cached = (join as unknown as { cache: unknown }).cache;
    expect(cached).toBeDefined();
    batch.rows = [
      [2, 'b'],
      [3, 'c'],
      [1, 'd'],
    ];
    expect(op.execute()).toEqual([
      [2, 'b', 'two'],
      [1, 'd', 'one'],
    ]);
    expect((join as unknown as { cache: unknown }).cache).toBe(cached);
  });
});
