import type { BoundPlan } from './bound-plan.js';
import type { BoundExpr } from './expr-api.js';

type Project = BoundPlan & { kind: 'project' };
type Between = BoundPlan & { kind: 'filter' | 'watermark' };

/**
 * Project(Filter/EventTimeWatermark*(Project)): the projection under `p` that the rows of `p` come
 * from unchanged in layout, and the filters and watermarks in between (top-down). The pruning rules
 * (column pruning, from_json schema pruning) rewrite this shape.
 */
export interface ProjectionChain {
  readonly between: readonly Between[];
  readonly lower: Project;
}

export function projectionBelow(p: Project): ProjectionChain | undefined {
  const between: Between[] = [];
  let node = p.child;
  while (node.kind === 'filter' || node.kind === 'watermark') {
    between.push(node);
    node = node.child;
  }
  return node.kind === 'project' ? { between, lower: node } : undefined;
}

/**
 * `p` over the chain with its lower projection replaced by `lower`: each filter's condition and the
 * upper expressions go through `rewrite`, each watermark's column through `column`.
 */
export function rebuildChain(
  p: Project,
  chain: ProjectionChain,
  lower: Project,
  rewrite: (e: BoundExpr) => BoundExpr,
  column: (i: number) => number = (i) => i,
): Project {
  const output = lower.output;
  let child: BoundPlan = lower;
  for (let k = chain.between.length - 1; k >= 0; k--) {
    const b = chain.between[k]!;
    child =
      b.kind === 'filter'
        ? { ...b, child, condition: rewrite(b.condition), output }
        : { ...b, child, column: column(b.column), output };
  }
  return { ...p, child, exprs: p.exprs.map(rewrite) };
}
