import type { BoundPlan, DataFrame } from '@sluice/engine';

/**
 * The output columns that hold a streaming aggregation's grouping key, or null when the query has
 * none (or does not output all of it). Update mode emits a changed group's row again at every
 * trigger, so a memory table in update mode replaces the row with the same key instead of
 * appending it (what a reader of the table expects; Spark's memory sink would append).
 *
 * Follows each output column down through projections that only pass columns along (plus filters,
 * sorts, limits and watermarks, which keep positions) to the topmost aggregate, whose output
 * begins with its grouping values.
 */
export function updateKeyColumns(df: DataFrame): string[] | null {
  let plan: BoundPlan = df.analyzed();
  const names = plan.output.map((f) => f.name);
  // positions[i] = where output column i sits in the current plan's output (null: computed).
  let positions: (number | null)[] = names.map((_, i) => i);
  for (;;) {
    switch (plan.kind) {
      case 'project': {
        const exprs = plan.exprs;
        positions = positions.map((p) => {
          if (p === null) return null;
          const expr = exprs[p];
          return expr?.kind === 'ref' ? expr.index : null;
        });
        plan = plan.child;
        continue;
      }
      case 'filter':
      case 'sort':
      case 'limit':
      case 'watermark':
        plan = plan.child;
        continue;
      case 'aggregate': {
        const groupings = plan.groupings.length;
        if (groupings === 0) return null;
        const key: string[] = [];
        for (let g = 0; g < groupings; g++) {
          const column = positions.indexOf(g);
          if (column < 0) return null;
          key.push(names[column]!);
        }
        return key;
      }
      default:
        return null;
    }
  }
}
