import { treeString } from '../exec/operator.js';
import { planPhysical } from '../exec/planner.js';
import { namedExpr } from '../exec/project-exec.js';
import { orderText } from '../exec/sort-exec.js';
import { simpleString } from '../types/types.js';
import type { BoundPlan } from './bound-plan.js';
import { boundChildren } from './bound-plan.js';
import { describe } from './expr-api.js';
import { exprToString } from './expr-utils.js';
import type { LogicalPlan } from './logical/plan.js';
import { logicalChildren } from './logical/plan.js';
import { optimize } from './optimizer.js';

export type ExplainMode = 'simple' | 'extended' | 'formatted' | 'codegen' | 'cost' | 'logical';

/** One-line description of an unresolved logical node (Spark's parsed plan style, `'` marks unresolved). */
export function displayLogical(p: LogicalPlan): string {
  switch (p.kind) {
    case 'unresolvedRelation':
      return `'UnresolvedRelation [${p.name.join(', ')}], [], false`;
    case 'localRelation':
      return `${p.label ?? 'LocalRelation'} [${p.schema.fields.map((f) => f.name).join(', ')}]`;
    case 'range':
      return `Range (${p.start}, ${p.end}, step=${p.step})`;
    case 'streamingRelation':
      return `StreamingRelation ${p.sourceName}, [${p.schema.fields.map((f) => f.name).join(', ')}]`;
    case 'project':
      return `'Project [${p.exprs.map(exprToString).join(', ')}]`;
    case 'filter':
      return `'Filter ${exprToString(p.condition)}`;
    case 'aggregate':
      return `'Aggregate [${p.groupBy.map(exprToString).join(', ')}], [${p.aggregates.map(exprToString).join(', ')}]${p.having ? `, having ${exprToString(p.having)}` : ''}`;
    case 'join': {
      const on = p.condition
        ? `, ${exprToString(p.condition)}`
        : p.using
          ? `, using [${p.using.join(', ')}]`
          : '';
      return `'Join ${p.natural ? 'Natural' : ''}${JOIN_TEXT[p.joinType]}${on}`;
    }
    case 'setOperation':
      return `'${p.op === 'union' ? 'Union' : p.op === 'intersect' ? 'Intersect' : 'Except'} ${p.all ? 'All' : 'Distinct'}${p.byName ? ' ByName' : ''}`;
    case 'sort':
      return `'Sort [${p.orders.map((o) => `${exprToString(o.expr)} ${o.ascending ? 'ASC' : 'DESC'} NULLS ${o.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}], ${p.global}`;
    case 'limit':
      return `'${p.offset ? `Offset ${p.offset}, ` : ''}GlobalLimit ${p.limit}`;
    case 'distinct':
      return "'Distinct";
    case 'deduplicate':
      return `'Deduplicate${p.withinWatermark ? 'WithinWatermark' : ''} [${p.columns.join(', ')}]`;
    case 'groupsWithState':
      return p.spec.stateless ? "'MapGroups" : `'FlatMapGroupsWithState ${p.spec.timeout}`;
    case 'generate':
      return `'Generate ${exprToString(p.generator)}, ${p.outer}, ${p.tableAlias ?? ''}, [${p.columnAliases.join(', ')}]`;
    case 'subqueryAlias':
      return `'SubqueryAlias ${p.alias.replace('\u0002', '')}${p.columnAliases ? ` (${p.columnAliases.join(', ')})` : ''}`;
    case 'withWatermark':
      return `'EventTimeWatermark '${p.column}, ${p.delay}`;
    case 'toDF':
      return `'Project [${p.names.join(', ')}]`;
  }
}

const JOIN_TEXT: Record<string, string> = {
  inner: 'Inner',
  left: 'LeftOuter',
  right: 'RightOuter',
  full: 'FullOuter',
  semi: 'LeftSemi',
  anti: 'LeftAnti',
  cross: 'Cross',
};

/** One-line description of a bound logical node (Spark's analyzed/optimized plan style). */
export function displayBound(p: BoundPlan): string {
  switch (p.kind) {
    case 'scan':
      return `${p.label} [${p.output.map((f) => f.name).join(', ')}]`;
    case 'streamingScan':
      return `StreamingRelation ${p.leaf.sourceName}, [${p.output.map((f) => f.name).join(', ')}]`;
    case 'project':
      return `Project [${p.exprs.map((e, i) => namedExpr(e, p.output[i]!.name)).join(', ')}]`;
    case 'filter':
      return `Filter ${describe(p.condition)}`;
    case 'aggregate':
      return `Aggregate [${p.groupings.map(describe).join(', ')}], [${[
        ...p.groupings.map((g, i) => namedExpr(g, p.output[i]!.name)),
        ...p.aggregates.map((a) => a.sql),
      ].join(', ')}]`;
    case 'join': {
      const conds = [
        ...p.leftKeys.map((k, i) => `(${describe(k)} = ${describe(p.rightKeys[i]!)})`),
        ...(p.condition ? [describe(p.condition)] : []),
      ];
      return `Join ${JOIN_TEXT[p.joinType]}${conds.length ? `, ${conds.join(' AND ')}` : ''}`;
    }
    case 'union':
      return 'Union false, false';
    case 'intersect':
      return `Intersect ${p.all ? 'All' : ''}`.trim();
    case 'except':
      return `Except ${p.all ? 'All' : ''}`.trim();
    case 'sort':
      return `Sort [${p.orders.map(orderText).join(', ')}], true`;
    case 'limit':
      return p.offset ? `GlobalLimit ${p.limit}, Offset ${p.offset}` : `GlobalLimit ${p.limit}`;
    case 'distinct':
      return 'Distinct';
    case 'deduplicate':
      return `Deduplicate${p.withinWatermark ? 'WithinWatermark' : ''} [${p.keys.map((k) => p.output[k]!.name).join(', ')}]`;
    case 'groupsWithState':
      return p.spec.stateless
        ? 'MapGroups'
        : `FlatMapGroupsWithState ${p.spec.timeout}, ${p.spec.outputMode}`;
    case 'generate':
      return `Generate ${p.generator.sql}, ${p.outer}, [${p.output
        .slice(p.output.length - p.generator.outputFields.length)
        .map((f) => f.name)
        .join(', ')}]`;
    case 'windowExpand':
      return `Expand window(${describe(p.timeExpr)}, ${p.sizeMicros}, ${p.slideMicros}, ${p.startMicros}), [${p.output.map((f) => f.name).join(', ')}]`;
    case 'sessionWindow':
      return `SessionWindow ${describe(p.eventWindow)}, [${p.keys.map(describe).join(', ')}]`;
    case 'expand':
      return `Expand [${p.projections.map((x) => `[${x.map(describe).join(', ')}]`).join(', ')}], [${p.output.map((f) => f.name).join(', ')}]`;
    case 'watermark':
      return `EventTimeWatermark ${p.output[p.column]!.name}, ${p.delayMs} milliseconds`;
  }
}

function schemaLine(p: BoundPlan): string {
  return p.output.map((f) => `${f.name}: ${simpleString(f.dataType)}`).join(', ');
}

/** Tree text of an unresolved logical plan. */
export function logicalTreeString(p: LogicalPlan): string {
  const wrap = (x: LogicalPlan): { display(): string; children: unknown[] } => ({
    display: () => displayLogical(x),
    children: logicalChildren(x).map(wrap),
  });
  return treeString(wrap(p));
}

/** Tree text of a bound plan. */
export function boundTreeString(p: BoundPlan): string {
  const wrap = (x: BoundPlan): { display(): string; children: unknown[] } => ({
    display: () => displayBound(x),
    children: boundChildren(x).map(wrap),
  });
  return treeString(wrap(p));
}

/**
 * EXPLAIN text. `simple`: `== Physical Plan ==` only; `extended`: parsed, analyzed (with the output
 * schema line), optimized and physical plans, as Spark prints them (without expression ids).
 */
export function explainString(plan: LogicalPlan, analyzed: () => BoundPlan, mode: ExplainMode): string {
  const bound = analyzed();
  const optimized = optimize(bound);
  const physical = treeString(planPhysical(optimized));
  if (mode === 'extended' || mode === 'logical') {
    const parts = [
      `== Parsed Logical Plan ==\n${logicalTreeString(plan)}`,
      `== Analyzed Logical Plan ==\n${schemaLine(bound)}\n${boundTreeString(bound)}`,
      `== Optimized Logical Plan ==\n${boundTreeString(optimized)}`,
    ];
    if (mode === 'extended') parts.push(`== Physical Plan ==\n${physical}`);
    return `${parts.join('\n\n')}\n`;
  }
  return `== Physical Plan ==\n${physical}\n`;
}
