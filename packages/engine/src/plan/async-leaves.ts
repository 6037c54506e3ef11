/**
 * Asynchronous leaves (docs/decisions/0005-async-actions.md): a local relation whose rows come from
 * an asynchronous read (a batch Kafka read) carries `load`. Every action loads the leaves of its
 * plan first (`loadAsyncLeaves`), then runs the synchronous executor, whose scans read the loaded
 * rows. Rows are loaded again by each action, as Spark re-reads a source per action.
 */
import type { Row } from '../types/data-type.js';
import type { BoundPlan } from './bound-plan.js';
import { boundChildren } from './bound-plan.js';
import type { LocalRelation } from './logical/plan.js';

const loaded = new WeakMap<LocalRelation, readonly Row[]>();

/** The rows an action loaded for an asynchronous leaf. */
export function loadedRows(leaf: LocalRelation): Row[] {
  const rows = loaded.get(leaf);
  if (!rows) {
    throw new Error(
      `${leaf.label ?? 'An asynchronous relation'} is read by an action (collect, count, show, write...): it was used outside of one`,
    );
  }
  return rows as Row[];
}

/** Loads every asynchronous leaf of a plan (concurrently). */
export async function loadAsyncLeaves(plan: BoundPlan): Promise<void> {
  const leaves: LocalRelation[] = [];
  const visit = (p: BoundPlan): void => {
    if (p.kind === 'scan' && p.leaf.kind === 'localRelation' && p.leaf.load) leaves.push(p.leaf);
    for (const c of boundChildren(p)) visit(c);
  };
  visit(plan);
  await Promise.all(
    leaves.map(async (leaf) => {
      loaded.set(leaf, await leaf.load!());
    }),
  );
}
