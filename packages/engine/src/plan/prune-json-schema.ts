/**
 * Spark's OptimizeCsvJsonExprs for `from_json`: when everything above a projection reads a parsed
 * record only through struct fields (`e.bid.price`), the parse converts just those fields. A
 * Kafka query over an envelope of several record kinds (Nexmark's person/auction/bid) then stops
 * building the kinds it never reads.
 */
import { extractField } from '../expr/access.js';
import type { DataType, StructField, StructType } from '../types/data-type.js';
import type { BoundPlan } from './bound-plan.js';
import type { BoundExpr } from './expr-api.js';
import { mapBound } from './optimizer.js';
import { projectionBelow, rebuildChain } from './projection-chain.js';

type Call = BoundExpr & { kind: 'call' };
/** The fields read of a struct: a field read whole maps to `true`, one read by its fields to a subtree. */
type Reads = Map<string, Reads | true>;

/** The ref at the bottom of a `getfield` chain over ref `index`, with the chain's names (outermost last). */
function fieldChain(e: BoundExpr, index: number): string[] | undefined {
  const names: string[] = [];
  let x = e;
  while (x.kind === 'call' && x.name === 'getfield' && x.fieldName !== undefined) {
    names.unshift(x.fieldName);
    x = x.args[0]!;
  }
  return names.length > 0 && x.kind === 'ref' && x.index === index ? names : undefined;
}

/** Records the fields `e` reads of ref `index`; false when it uses the whole value somewhere. */
function collectReads(e: BoundExpr, index: number, reads: Reads): boolean {
  const chain = fieldChain(e, index);
  if (chain) {
    let node = reads;
    for (let i = 0; i < chain.length; i++) {
      const name = chain[i]!;
      const prev = node.get(name);
      if (prev === true) return true;
      if (i === chain.length - 1) {
        node.set(name, true);
        return true;
      }
      const next: Reads = prev ?? new Map();
      node.set(name, next);
      node = next;
    }
    return true;
  }
  if (e.kind === 'ref') return e.index !== index;
  let ok = true;
  mapBound(e, (c) => {
    if (ok && !collectReads(c, index, reads)) ok = false;
    return c;
  });
  return ok;
}

function pruneType(t: StructType, reads: Reads): StructType {
  const fields: StructField[] = [];
  for (const f of t.fields) {
    const r = reads.get(f.name);
    if (r === undefined) continue;
    fields.push(
      r === true || f.dataType.kind !== 'struct' ? f : { ...f, dataType: pruneType(f.dataType, r) },
    );
  }
  return { kind: 'struct', fields };
}

/** `e` with every field chain over ref `index` re-extracted by name from `ref` (the narrower type). */
function rebase(e: BoundExpr, index: number, ref: BoundExpr): BoundExpr {
  const chain = fieldChain(e, index);
  if (chain) return chain.reduce((base, name) => extractField(base, name, true), ref);
  return mapBound(e, (c) => rebase(c, index, ref));
}

/**
 * Project(Filter/EventTimeWatermark*(Project(..., from_json(...) AS e, ...))) where the nodes above
 * read only fields of `e`: the lower projection parses into the fields read. Undefined when nothing
 * can be pruned.
 */
export function pruneJsonSchemas(p: BoundPlan & { kind: 'project' }): BoundPlan | undefined {
  const chain = projectionBelow(p);
  if (!chain) return undefined;
  const conditions = chain.between.flatMap((b) => (b.kind === 'filter' ? [b.condition] : []));
  let lower = chain.lower;
  // Each pruned parse: its ordinal and the narrower ref the field reads are re-extracted from.
  const rebased: { index: number; ref: BoundExpr }[] = [];
  lower.exprs.forEach((e, i) => {
    if (e.kind !== 'call' || e.name !== 'from_json' || !e.withJsonSchema) return;
    if (e.dataType.kind !== 'struct') return;
    const reads: Reads = new Map();
    if (![...p.exprs, ...conditions].every((u) => collectReads(u, i, reads))) return;
    const narrow = pruneType(e.dataType, reads);
    if (sameShape(narrow, e.dataType)) return;
    const name = lower.output[i]!.name;
    lower = {
      ...lower,
      exprs: lower.exprs.map((x, j) => (j === i ? (e as Call).withJsonSchema!(e.args, narrow) : x)),
      output: lower.output.map((f, j) => (j === i ? { ...f, dataType: narrow } : f)),
    };
    rebased.push({
      index: i,
      ref: { kind: 'ref', index: i, name, qualifier: [], dataType: narrow, nullable: true, sql: name },
    });
  });
  if (rebased.length === 0) return undefined;
  return rebuildChain(p, chain, lower, (e) => rebased.reduce((x, r) => rebase(x, r.index, r.ref), e));
}

function sameShape(a: DataType, b: DataType): boolean {
  if (a.kind !== 'struct' || b.kind !== 'struct') return true;
  return (
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f.name === b.fields[i]!.name && sameShape(f.dataType, b.fields[i]!.dataType))
  );
}
