import { isDirectKeyType } from '../exec/keys.js';
import type { BoundPlan } from './bound-plan.js';
import { boundChildren, withChildren } from './bound-plan.js';
import { type BoundExpr, compileExpr, formatValue } from './expr-api.js';
import { projectionBelow, rebuildChain } from './projection-chain.js';
import { pruneJsonSchemas } from './prune-json-schema.js';

/**
 * A modest rule-based optimizer over bound plans, applied bottom-up to a fixed point:
 * - constant folding (deterministic calls over literals become literals; `WHERE true` disappears),
 * - predicate pushdown through Project, Sort, Watermark-free nodes and into join sides,
 * - collapsing adjacent projections (CollapseProject) when no expression is duplicated.
 * Every rule keeps the output fields (names, types, row layout) of the node it rewrites.
 */
export function optimize(plan: BoundPlan): BoundPlan {
  let p = plan;
  for (let i = 0; i < 10; i++) {
    const next = rewrite(p);
    if (next === p) break;
    p = next;
  }
  return p;
}

function rewrite(p: BoundPlan): BoundPlan {
  const cs = boundChildren(p);
  const ncs = cs.map(rewrite);
  const q = ncs.some((c, i) => c !== cs[i]) ? withChildren(p, ncs) : p;
  return applyRules(q);
}

function applyRules(p: BoundPlan): BoundPlan {
  switch (p.kind) {
    case 'project': {
      const exprs = p.exprs.map(fold);
      const q = exprs.some((e, i) => e !== p.exprs[i]) ? { ...p, exprs } : p;
      const collapsed = collapseProject(q);
      if (collapsed.kind !== 'project') return collapsed;
      const pruned = pruneJoinColumns(collapsed);
      if (pruned.kind !== 'project') return pruned;
      return pruneProjectedColumns(pruned) ?? pruneJsonSchemas(pruned) ?? pruned;
    }
    case 'filter': {
      const condition = fold(p.condition);
      if (condition.kind === 'literal' && condition.value === true) return p.child;
      const q = condition !== p.condition ? { ...p, condition } : p;
      return pushFilter(q);
    }
    case 'join': {
      if (!p.condition) return p;
      const condition = fold(p.condition);
      if (condition.kind === 'literal' && condition.value === true) {
        const { condition: _c, ...rest } = p;
        return rest as BoundPlan;
      }
      return condition !== p.condition ? { ...p, condition } : p;
    }
    default:
      return p;
  }
}

// ------------------------------------------------------------------ bound expression helpers

/** Rebuilds `e` with `f` applied to its direct children. */
export function mapBound(e: BoundExpr, f: (c: BoundExpr) => BoundExpr): BoundExpr {
  switch (e.kind) {
    case 'call': {
      const args = e.args.map(f);
      const changed = args.some((a, i) => a !== e.args[i]);
      let out: BoundExpr = changed ? { ...e, args, sql: respliceSql(e.sql, e.args, args) } : e;
      if (e.timeWindow) {
        const tc = f(e.timeWindow.timeColumn);
        if (tc !== e.timeWindow.timeColumn)
          out = { ...(out as typeof e), timeWindow: { ...e.timeWindow, timeColumn: tc } };
      }
      if (e.sessionWindow) {
        const tc = f(e.sessionWindow.timeColumn);
        const gap = f(e.sessionWindow.gap);
        if (tc !== e.sessionWindow.timeColumn || gap !== e.sessionWindow.gap)
          out = { ...(out as typeof e), sessionWindow: { timeColumn: tc, gap } };
      }
      return out;
    }
    case 'lambda': {
      const body = f(e.body);
      return body === e.body ? e : { ...e, body };
    }
    default:
      return e;
  }
}

/**
 * The SQL text of a call whose arguments were rewritten: each old argument's text is replaced, left
 * to right, by the new argument's text (a call's text embeds its arguments' texts verbatim).
 */
function respliceSql(sql: string, oldArgs: readonly BoundExpr[], newArgs: readonly BoundExpr[]): string {
  let out = '';
  let at = 0;
  for (let i = 0; i < oldArgs.length; i++) {
    const o = oldArgs[i]!.sql;
    const n = newArgs[i]!.sql;
    const j = sql.indexOf(o, at);
    if (j < 0) return sql;
    out += sql.slice(at, j) + n;
    at = j + o.length;
  }
  return out + sql.slice(at);
}

function boundExists(e: BoundExpr, pred: (x: BoundExpr) => boolean): boolean {
  if (pred(e)) return true;
  let found = false;
  mapBound(e, (c) => {
    if (!found && boundExists(c, pred)) found = true;
    return c;
  });
  return found;
}

/** True when the expression has no nondeterministic call (rand, uuid, current_timestamp is fine). */
export function isDeterministic(e: BoundExpr): boolean {
  return !boundExists(
    e,
    (x) => x.kind === 'aggregate' || (x.kind === 'call' && x.impl.nondeterministic === true),
  );
}

/** Row ordinals read by an expression. */
export function references(e: BoundExpr): Set<number> {
  const out = new Set<number>();
  boundExists(e, (x) => {
    if (x.kind === 'ref') out.add(x.index);
    return false;
  });
  return out;
}

/** Replace each `ref i` by `f(i)`. */
export function substituteRefs(e: BoundExpr, f: (i: number, ref: BoundExpr) => BoundExpr): BoundExpr {
  if (e.kind === 'ref') return f(e.index, e);
  return mapBound(e, (c) => substituteRefs(c, f));
}

function literalSql(v: unknown, e: BoundExpr): string {
  if (v === null) return 'NULL';
  try {
    return formatValue(v, e.dataType);
  } catch {
    return e.sql;
  }
}

/** Constant folding: deterministic calls whose arguments are all literals. */
export function fold(e: BoundExpr): BoundExpr {
  const inner = mapBound(e, fold);
  if (inner.kind !== 'call') return inner;
  if (inner.impl.nondeterministic) return inner;
  if (inner.timeWindow || inner.sessionWindow) return inner;
  if (inner.args.length === 0) return inner;
  if (!inner.args.every((a) => a.kind === 'literal')) return inner;
  try {
    const value = compileExpr(inner)([]);
    return {
      kind: 'literal',
      value,
      dataType: inner.dataType,
      nullable: value === null,
      sql: literalSql(value, inner),
    };
  } catch {
    // Errors (ANSI overflow, division by zero) surface at run time, row by row, like Spark's.
    return inner;
  }
}

function isCheap(e: BoundExpr): boolean {
  return e.kind === 'ref' || e.kind === 'literal';
}

/** Project(Project(x)) → Project(x) when inner expressions are deterministic and not duplicated. */
function collapseProject(p: BoundPlan & { kind: 'project' }): BoundPlan {
  const c = p.child;
  if (c.kind !== 'project') return p;
  if (!c.exprs.every(isDeterministic) || !p.exprs.every(isDeterministic)) return p;
  const uses = new Map<number, number>();
  for (const e of p.exprs)
    boundExists(e, (x) => {
      if (x.kind === 'ref') uses.set(x.index, (uses.get(x.index) ?? 0) + 1);
      return false;
    });
  for (const [i, n] of uses) if (n > 1 && !isCheap(c.exprs[i]!)) return p;
  const exprs = p.exprs.map((e) => substituteRefs(e, (i) => c.exprs[i]!));
  return { kind: 'project', child: c.child, exprs, output: p.output };
}

/** Split a bound condition on AND (keeping the `and` node as a template to rebuild with). */
function splitAnd(e: BoundExpr): { parts: BoundExpr[]; and?: BoundExpr & { kind: 'call' } } {
  if (e.kind === 'call' && e.name === 'and' && e.args.length === 2) {
    const l = splitAnd(e.args[0]!);
    const r = splitAnd(e.args[1]!);
    return { parts: [...l.parts, ...r.parts], and: e };
  }
  return { parts: [e] };
}

function joinAnd(
  parts: readonly BoundExpr[],
  template: (BoundExpr & { kind: 'call' }) | undefined,
): BoundExpr | undefined {
  if (parts.length === 0) return undefined;
  let acc = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const b = parts[i]!;
    if (!template) return undefined;
    acc = {
      ...template,
      args: [acc, b],
      sql: `(${acc.sql} AND ${b.sql})`,
      nullable: acc.nullable || b.nullable,
    };
  }
  return acc;
}

function pushFilter(f: BoundPlan & { kind: 'filter' }): BoundPlan {
  const c = f.child;
  if (!isDeterministic(f.condition)) return f;
  switch (c.kind) {
    case 'project': {
      if (!c.exprs.every(isDeterministic)) return f;
      // Pushing substitutes the projected expressions into the condition, so a row that passes
      // evaluates them twice (no common-subexpression elimination here): a parse is kept above.
      if ([...references(f.condition)].some((i) => costlyToRepeat(c.exprs[i]!))) return f;
      const cond = substituteRefs(f.condition, (i) => c.exprs[i]!);
      return { ...c, child: { kind: 'filter', child: c.child, condition: cond, output: c.child.output } };
    }
    case 'sort':
      return {
        ...c,
        child: { kind: 'filter', child: c.child, condition: f.condition, output: c.child.output },
      };
    case 'aggregate': {
      // Conjuncts over grouping keys only run before the aggregation (Spark's PushPredicateThroughAggregate).
      const G = c.groupings.length;
      if (!c.groupings.every(isDeterministic)) return f;
      const { parts, and } = splitAnd(f.condition);
      const below: BoundExpr[] = [];
      const keep: BoundExpr[] = [];
      for (const part of parts) {
        const refs = [...references(part)];
        if (refs.length > 0 && refs.every((i) => i < G))
          below.push(substituteRefs(part, (i) => c.groupings[i]!));
        else keep.push(part);
      }
      if (below.length === 0) return f;
      if ((below.length > 1 || keep.length > 1) && !and) return f;
      const bc = joinAnd(below, and)!;
      const agg: BoundPlan = {
        ...c,
        child: { kind: 'filter', child: c.child, condition: bc, output: c.child.output },
      };
      const kc = joinAnd(keep, and);
      return kc ? { kind: 'filter', child: agg, condition: kc, output: f.output } : agg;
    }
    case 'join': {
      const L = c.left.output.length;
      const { parts, and } = splitAnd(f.condition);
      const toLeft: BoundExpr[] = [];
      const toRight: BoundExpr[] = [];
      const keep: BoundExpr[] = [];
      const leftOk =
        c.joinType === 'inner' || c.joinType === 'left' || c.joinType === 'semi' || c.joinType === 'anti';
      const rightOk = c.joinType === 'inner' || c.joinType === 'right';
      for (const part of parts) {
        const refs = [...references(part)];
        if (refs.length > 0 && leftOk && refs.every((i) => i < L)) toLeft.push(part);
        else if (refs.length > 0 && rightOk && refs.every((i) => i >= L))
          toRight.push(
            substituteRefs(part, (i, ref) => ({ ...(ref as BoundExpr & { kind: 'ref' }), index: i - L })),
          );
        else keep.push(part);
      }
      // An inner join takes the conjuncts over both sides into its condition (Spark's
      // PushPredicateThroughJoin): a stream-stream join then sees its time-range condition and can
      // evict state, whether the query wrote it in ON or in WHERE.
      let condition = c.condition;
      if (c.joinType === 'inner' && keep.length > 0 && keep.every(isDeterministic)) {
        const existing = c.condition ? splitAnd(c.condition) : { parts: [] as BoundExpr[] };
        const merged = joinAnd([...existing.parts, ...keep], and ?? existing.and);
        if (merged) {
          condition = merged;
          keep.length = 0;
        }
      }
      if (toLeft.length === 0 && toRight.length === 0 && condition === c.condition) return f;
      if ((toLeft.length > 1 || toRight.length > 1 || keep.length > 1) && !and) return f;
      const lc = joinAnd(toLeft, and);
      const rc = joinAnd(toRight, and);
      const left: BoundPlan = lc
        ? { kind: 'filter', child: c.left, condition: lc, output: c.left.output }
        : c.left;
      const right: BoundPlan = rc
        ? { kind: 'filter', child: c.right, condition: rc, output: c.right.output }
        : c.right;
      const join = extractEquiJoinKeys({ ...c, left, right, ...(condition ? { condition } : {}) });
      const kc = joinAnd(keep, and);
      return kc ? { kind: 'filter', child: join, condition: kc, output: f.output } : join;
    }
    default:
      return f;
  }
}

/**
 * Spark's ExtractEquiJoinKeys for an inner join's condition: an equality between an expression of
 * the left side only and one of the right side only becomes a key pair, so that
 * `FROM a, b WHERE a.k = b.k` (its filter taken into the condition above) is a hash join on k —
 * and a stream-stream join keeps its state by k — instead of matching every pair.
 */
function extractEquiJoinKeys(j: BoundPlan & { kind: 'join' }): BoundPlan & { kind: 'join' } {
  if (j.joinType !== 'inner' || !j.condition) return j;
  const L = j.left.output.length;
  const { parts, and } = splitAnd(j.condition);
  const leftKeys = [...j.leftKeys];
  const rightKeys = [...j.rightKeys];
  const rest: BoundExpr[] = [];
  const side = (e: BoundExpr): 'left' | 'right' | undefined => {
    const refs = [...references(e)];
    if (refs.length === 0 || !isDeterministic(e)) return undefined;
    if (refs.every((i) => i < L)) return 'left';
    if (refs.every((i) => i >= L)) return 'right';
    return undefined;
  };
  const toRight = (e: BoundExpr) =>
    substituteRefs(e, (i, ref) => ({ ...(ref as BoundExpr & { kind: 'ref' }), index: i - L }));
  for (const part of parts) {
    if (part.kind === 'call' && part.name === 'equalto' && isDirectKeyType(part.args[0]!.dataType)) {
      const [a, b] = part.args as [BoundExpr, BoundExpr];
      const sa = side(a);
      const sb = side(b);
      if (sa === 'left' && sb === 'right') {
        leftKeys.push(a);
        rightKeys.push(toRight(b));
        continue;
      }
      if (sa === 'right' && sb === 'left') {
        leftKeys.push(b);
        rightKeys.push(toRight(a));
        continue;
      }
    }
    rest.push(part);
  }
  if (rest.length === parts.length) return j;
  const { condition: _, ...join } = j;
  const condition = joinAnd(rest, and);
  return { ...join, leftKeys, rightKeys, ...(condition ? { condition } : {}) };
}

/** Functions that parse or serialize a whole record: worth evaluating once per row. */
const PARSERS = new Set([
  'from_json',
  'from_csv',
  'from_avro',
  'get_json_object',
  'json_tuple',
  'to_json',
  'to_csv',
  'to_avro',
]);

function costlyToRepeat(e: BoundExpr): boolean {
  return boundExists(e, (x) => x.kind === 'call' && PARSERS.has(x.name));
}

/**
 * Column pruning (Spark's ColumnPruning) for Project(Filter/EventTimeWatermark*(Project)): the lower
 * projection keeps only the columns read above it (and the watermark's event-time column), so a
 * view's columns a query never reads are not computed — nor parsed, once `pruneJsonSchemas` runs.
 */
function pruneProjectedColumns(p: BoundPlan & { kind: 'project' }): BoundPlan | undefined {
  const chain = projectionBelow(p);
  if (!chain || chain.between.length === 0) return undefined;
  const { lower } = chain;
  const used = new Set<number>();
  for (const e of p.exprs) for (const i of references(e)) used.add(i);
  for (const b of chain.between) {
    if (b.kind === 'filter') for (const i of references(b.condition)) used.add(i);
    else used.add(b.column);
  }
  if (used.size === lower.exprs.length) return undefined;
  const keep = [...used].sort((a, b) => a - b);
  const map = new Map(keep.map((i, k) => [i, k] as const));
  const pruned = {
    ...lower,
    exprs: keep.map((i) => lower.exprs[i]!),
    output: keep.map((i) => lower.output[i]!),
  };
  return rebuildChain(
    p,
    chain,
    pruned,
    (e) => remap(e, map),
    (i) => map.get(i)!,
  );
}

/** A ref renumbered through `map` (old ordinal → new ordinal). */
function remap(e: BoundExpr, map: ReadonlyMap<number, number>): BoundExpr {
  return substituteRefs(e, (i, ref) => ({ ...(ref as BoundExpr & { kind: 'ref' }), index: map.get(i)! }));
}

/**
 * Column pruning (Spark's ColumnPruning) for Project(Join): each join side keeps only the columns
 * the projection, the join keys and the residual condition read, so joined rows are narrower.
 */
function pruneJoinColumns(p: BoundPlan & { kind: 'project' }): BoundPlan {
  const j = p.child;
  if (j.kind !== 'join') return p;
  const L = j.left.output.length;
  const R = j.right.output.length;
  const used = new Set<number>();
  for (const e of p.exprs) for (const i of references(e)) used.add(i);
  if (j.condition) for (const i of references(j.condition)) used.add(i);
  const leftUsed = new Set<number>();
  const rightUsed = new Set<number>();
  for (const i of used) (i < L ? leftUsed : rightUsed).add(i < L ? i : i - L);
  for (const k of j.leftKeys) for (const i of references(k)) leftUsed.add(i);
  for (const k of j.rightKeys) for (const i of references(k)) rightUsed.add(i);
  if (leftUsed.size === L && rightUsed.size === R) return p;
  const ln = [...leftUsed].sort((a, b) => a - b);
  const rn = [...rightUsed].sort((a, b) => a - b);
  const side = (child: BoundPlan, keep: number[]): BoundPlan =>
    keep.length === child.output.length
      ? child
      : {
          kind: 'project',
          child,
          exprs: keep.map(
            (i) =>
              ({
                kind: 'ref',
                index: i,
                name: child.output[i]!.name,
                qualifier: child.output[i]!.qualifier,
                sql: child.output[i]!.name,
                dataType: child.output[i]!.dataType,
                nullable: child.output[i]!.nullable,
              }) as BoundExpr,
          ),
          output: keep.map((i) => child.output[i]!),
        };
  const lmap = new Map(ln.map((i, k) => [i, k] as const));
  const rmap = new Map(rn.map((i, k) => [i, k] as const));
  const semi = j.joinType === 'semi' || j.joinType === 'anti';
  const jmap = new Map<number, number>([
    ...ln.map((i, k) => [i, k] as const),
    ...rn.map((i, k) => [L + i, ln.length + k] as const),
  ]);
  const output = semi
    ? ln.map((i) => j.output[i]!)
    : [...ln.map((i) => j.output[i]!), ...rn.map((i) => j.output[L + i]!)];
  const join: BoundPlan = {
    ...j,
    left: side(j.left, ln),
    right: side(j.right, rn),
    leftKeys: j.leftKeys.map((k) => remap(k, lmap)),
    rightKeys: j.rightKeys.map((k) => remap(k, rmap)),
    ...(j.condition ? { condition: remap(j.condition, jmap) } : {}),
    output,
  };
  return { ...p, child: join, exprs: p.exprs.map((e) => remap(e, jmap)) };
}
