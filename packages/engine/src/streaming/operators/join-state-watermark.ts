import type { BoundExpr } from '../../expr/bound.js';
import type { BoundJoin } from '../../plan/bound-plan.js';
import type { EventTimeColumn } from './event-time.js';
import { eventTimeOf } from './event-time.js';

/**
 * When a stream-stream join may forget a side's buffered rows (Spark's state watermarks,
 * StreamingSymmetricHashJoinHelper / StreamingJoinHelper):
 *  - `key`: a join key carries event time (a watermarked timestamp or a window over one): a key
 *    at or below the watermark can never match again, on either side;
 *  - `value`: this side has a watermarked column and the condition bounds this side's time by
 *    the other side's watermarked time (`ts_click <= ts_impr + interval 5 minutes`): the state
 *    watermark is solved from the condition, and rows whose watermarked column is at or below it go.
 */
export type SideStateWatermark =
  | { readonly kind: 'key'; readonly keyIndex: number; readonly column: EventTimeColumn }
  | {
      readonly kind: 'value';
      /** This side's watermarked column (ordinal in the side's row). */
      readonly column: number;
      readonly eventKind: EventTimeColumn['kind'];
      /** One linear bound per usable conjunct; the state watermark is their minimum. */
      readonly bounds: readonly LinearBound[];
    };

/** `stateWatermarkMs = trunc((sign · watermarkMs · 1000 + constantMicros) / 1000) − adjust`. */
export interface LinearBound {
  readonly watermarkSign: 1 | -1;
  readonly constantMicros: number;
  /** 1 for a non-strict inequality: `t >= W` may drop `t <= W − 1` only. */
  readonly adjust: 0 | 1;
}

/** The state watermark (ms) of a value bound for an eviction watermark. */
export function stateValueWatermarkMs(bounds: readonly LinearBound[], watermarkMs: number): number {
  let min = Infinity;
  for (const b of bounds) {
    const v = Math.trunc((b.watermarkSign * watermarkMs * 1000 + b.constantMicros) / 1000) - b.adjust;
    if (v < min) min = v;
  }
  return min;
}

/** Which join key ordinal carries event time (Spark's findJoinKeyOrdinalForWatermark). */
export function joinKeyOrdinalForWatermark(
  join: BoundJoin,
): { index: number; column: EventTimeColumn } | undefined {
  const keyEventTime = (keys: readonly BoundExpr[], side: BoundJoin['left']) => {
    for (let i = 0; i < keys.length; i++) {
      const k = unalias(keys[i]!);
      if (k.kind !== 'ref') continue;
      const c = eventTimeOf(side, k.index);
      if (c) return { index: i, column: c };
    }
    return undefined;
  };
  return keyEventTime(join.leftKeys, join.left) ?? keyEventTime(join.rightKeys, join.right);
}

/** The first watermarked column of a side (Spark's findEventTimeColumn). */
export function sideEventTime(
  side: BoundJoin['left'],
): { index: number; column: EventTimeColumn } | undefined {
  for (let i = 0; i < side.output.length; i++) {
    const c = eventTimeOf(side, i);
    if (c) return { index: i, column: c };
  }
  return undefined;
}

/** The state watermark rules of both sides of a stream-stream join. */
export function joinStateWatermarks(join: BoundJoin): {
  left?: SideStateWatermark;
  right?: SideStateWatermark;
} {
  const keyOrdinal = joinKeyOrdinalForWatermark(join);
  const side = (which: 'left' | 'right'): SideStateWatermark | undefined => {
    const own = which === 'left' ? join.left : join.right;
    if (keyOrdinal) return { kind: 'key', keyIndex: keyOrdinal.index, column: keyOrdinal.column };
    const et = sideEventTime(own);
    if (!et) return undefined;
    const bounds = stateValueBounds(join, which);
    if (bounds.length === 0) return undefined;
    return { kind: 'value', column: et.index, eventKind: et.column.kind, bounds };
  };
  const left = side('left');
  const right = side('right');
  return { ...(left ? { left } : {}), ...(right ? { right } : {}) };
}

/**
 * Spark's StreamingJoinHelper.getStateValueWatermark: the conjuncts of the condition of the form
 * `thisTime + c1 < otherWatermarkedTime + c2` (or <=, >, >=), each solved for `thisTime`. Empty
 * when no conjunct can be solved (or the other side has no watermark).
 */
export function stateValueBounds(join: BoundJoin, which: 'left' | 'right'): LinearBound[] {
  if (!join.condition) return [];
  const nLeft = join.left.output.length;
  const isThis = (i: number) => (which === 'left' ? i < nLeft : i >= nLeft);
  const other = which === 'left' ? join.right : join.left;
  const otherOffset = which === 'left' ? nLeft : 0;
  const otherWatermarked = (i: number) => {
    const c = eventTimeOf(other, i - otherOffset);
    return c !== undefined && c.kind === 'timestamp';
  };
  if (!other.output.some((_, i) => eventTimeOf(other, i)?.kind === 'timestamp')) return [];
  const out: LinearBound[] = [];
  for (const conjunct of conjuncts(join.condition)) {
    if (conjunct.kind === 'call' && conjunct.name === 'between' && conjunct.args.length === 4) {
      // `x BETWEEN lo AND hi` is `x >= lo AND x <= hi` (Spark's parser writes it so); the bound
      // call holds x twice, as each comparison coerced it.
      const [xLo, lo, xHi, hi] = conjunct.args as [BoundExpr, BoundExpr, BoundExpr, BoundExpr];
      for (const solved of [
        solveLessThan(lo, xLo, isThis, otherWatermarked, 1),
        solveLessThan(xHi, hi, isThis, otherWatermarked, 1),
      ])
        if (solved) out.push(solved);
      continue;
    }
    if (conjunct.kind !== 'call' || conjunct.args.length !== 2) continue;
    const [a, b] = conjunct.args as [BoundExpr, BoundExpr];
    let solved: LinearBound | undefined;
    switch (conjunct.name) {
      case 'lessthan':
        solved = solveLessThan(a, b, isThis, otherWatermarked, 0);
        break;
      case 'lessthanorequal':
        solved = solveLessThan(a, b, isThis, otherWatermarked, 1);
        break;
      case 'greaterthan':
        solved = solveLessThan(b, a, isThis, otherWatermarked, 0);
        break;
      case 'greaterthanorequal':
        solved = solveLessThan(b, a, isThis, otherWatermarked, 1);
        break;
      default:
        break;
    }
    if (solved) out.push(solved);
  }
  return out;
}

/** The AND-ed parts of a condition. */
export function conjuncts(e: BoundExpr): BoundExpr[] {
  if (e.kind === 'call' && e.name === 'and' && e.args.length === 2)
    return [...conjuncts(e.args[0]!), ...conjuncts(e.args[1]!)];
  return [e];
}

interface Term {
  readonly negated: boolean;
  /** A column (ordinal in the joined row) or a constant in microseconds. */
  readonly ref?: number;
  readonly micros?: number;
}

/**
 * `l < r` solved for this side's time: `l − r < 0` as a sum of terms; exactly one term is this
 * side's time and it must be negated (`… − thisTime < 0` ⇒ `thisTime > …`); every other column term
 * must be the other side's watermarked time, replaced by the watermark.
 */
function solveLessThan(
  l: BoundExpr,
  r: BoundExpr,
  isThis: (i: number) => boolean,
  otherWatermarked: (i: number) => boolean,
  adjust: 0 | 1,
): LinearBound | undefined {
  const terms = collectTerms(l, false).concat(collectTerms(r, true));
  if (terms.some((t) => t === undefined)) return undefined;
  const ts = terms as Term[];
  const refs = ts.filter((t) => t.ref !== undefined);
  const thisRefs = new Set(refs.filter((t) => isThis(t.ref!)).map((t) => t.ref));
  const otherRefs = new Set(refs.filter((t) => !isThis(t.ref!)).map((t) => t.ref));
  if (thisRefs.size > 1 || otherRefs.size > 1) return undefined;
  const constraint = refs.filter((t) => isThis(t.ref!));
  if (constraint.length !== 1 || !constraint[0]!.negated) return undefined;
  let watermarkSign: 1 | -1 | undefined;
  let constantMicros = 0;
  for (const t of ts) {
    if (t === constraint[0]) continue;
    if (t.ref !== undefined) {
      if (!otherWatermarked(t.ref) || watermarkSign !== undefined) return undefined;
      watermarkSign = t.negated ? -1 : 1;
    } else {
      constantMicros += t.negated ? -t.micros! : t.micros!;
    }
  }
  if (watermarkSign === undefined) return undefined;
  return { watermarkSign, constantMicros, adjust };
}

const DAY_MICROS = 86_400_000_000;

/** Spark's collectTerms: a sum of column and constant terms, or undefined parts when it is not one. */
function collectTerms(e: BoundExpr, negate: boolean): (Term | undefined)[] {
  const x = unalias(e);
  switch (x.kind) {
    case 'ref':
      if (x.dataType.kind !== 'timestamp' && !isNumeric(x.dataType.kind)) return [undefined];
      return [{ negated: negate, ref: x.index }];
    case 'literal': {
      const v = x.value;
      if (v === null || v === undefined) return [undefined];
      if (x.dataType.kind === 'interval') {
        const i = v as { months: number; days: number; micros: number };
        // Months and years have no fixed length: no watermark from them (Spark's rule).
        if (i.months !== 0) return [undefined];
        return [{ negated: negate, micros: i.days * DAY_MICROS + i.micros }];
      }
      if (x.dataType.kind === 'timestamp') return [{ negated: negate, micros: v as number }];
      if (isNumeric(x.dataType.kind) && typeof v === 'number')
        return [{ negated: negate, micros: v * 1_000_000 }];
      return [undefined];
    }
    case 'call':
      switch (x.name) {
        case 'add':
        case 'timestamp_add_interval':
          return [...collectTerms(x.args[0]!, negate), ...collectTerms(x.args[1]!, negate)];
        case 'subtract':
        case 'timestamp_sub_interval':
          return [...collectTerms(x.args[0]!, negate), ...collectTerms(x.args[1]!, !negate)];
        case 'negative':
        case 'unaryminus':
          return collectTerms(x.args[0]!, !negate);
        case 'cast':
          if (x.dataType.kind === 'timestamp' || isNumeric(x.dataType.kind))
            return collectTerms(x.args[0]!, negate);
          return [undefined];
        default:
          return [undefined];
      }
    default:
      return [undefined];
  }
}

function isNumeric(kind: string): boolean {
  return ['byte', 'short', 'int', 'long', 'float', 'double', 'decimal'].includes(kind);
}

function unalias(e: BoundExpr): BoundExpr {
  return e.kind === 'call' && e.name === 'alias' && e.args[0] ? unalias(e.args[0]) : e;
}
