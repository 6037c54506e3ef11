import { compileKeys } from '../../exec/keys.js';
import { bindLogical } from '../../expr/operators.js';
import type { BoundJoin } from '../../plan/bound-plan.js';
import { type BoundExpr, compilePredicate } from '../../plan/expr-api.js';
import { isDeterministic, references, substituteRefs } from '../../plan/optimizer.js';
import type { DataType, Row, StructField } from '../../types/data-type.js';
import type { StateOperatorProgress } from '../progress.js';
import type { StateSchema } from '../state-source/spark-schema.js';
import { type EventTimeColumn, eventTimeMicros } from './event-time.js';
import { type JoinSide, openJoinSide } from './join-side-state.js';
import {
  conjuncts,
  joinStateWatermarks,
  type SideStateWatermark,
  sideEventTime,
  stateValueWatermarkMs,
} from './join-state-watermark.js';
import type { ShardedMetrics } from './sharded-state.js';
import {
  type BatchInfo,
  type RowSource,
  type StatefulOperator,
  type StatefulOperatorContext,
  stateProgress,
} from './stateful-operator.js';

export type StreamJoinType = 'inner' | 'left' | 'right' | 'full' | 'semi';

/** Config of a stream-stream join (Spark's StreamingSymmetricHashJoinExec). */
export interface StreamStreamJoinConfig {
  readonly operatorId: number;
  readonly joinType: StreamJoinType;
  readonly leftKeys: readonly BoundExpr[];
  readonly rightKeys: readonly BoundExpr[];
  readonly leftFields: readonly StructField[];
  readonly rightFields: readonly StructField[];
  /** Conjuncts over the left row only / the right row only (pre-join filters), and the rest. */
  readonly leftOnly?: BoundExpr;
  readonly rightOnly?: BoundExpr;
  /** Over `left ++ right`. */
  readonly bothSides?: BoundExpr;
  readonly conditionSql?: string;
  /** Each side's watermarked column: its rows at or below the previous watermark are late. */
  readonly leftEventTime?: { readonly index: number; readonly column: EventTimeColumn };
  readonly rightEventTime?: { readonly index: number; readonly column: EventTimeColumn };
  readonly leftState?: SideStateWatermark;
  readonly rightState?: SideStateWatermark;
}

/** The stream-stream join config of a bound join with streams on both sides. */
export function streamStreamJoinConfig(p: BoundJoin, operatorId: number): StreamStreamJoinConfig {
  const joinType = p.joinType as StreamJoinType;
  const nLeft = p.left.output.length;
  const split = splitCondition(p.condition, nLeft);
  const wm = joinStateWatermarks(p);
  const le = sideEventTime(p.left);
  const re = sideEventTime(p.right);
  return {
    operatorId,
    joinType,
    leftKeys: p.leftKeys,
    rightKeys: p.rightKeys,
    leftFields: p.left.output.map(toField),
    rightFields: p.right.output.map(toField),
    ...split,
    ...(p.condition ? { conditionSql: p.condition.sql } : {}),
    ...(le ? { leftEventTime: le } : {}),
    ...(re ? { rightEventTime: re } : {}),
    ...(wm.left ? { leftState: wm.left } : {}),
    ...(wm.right ? { rightState: wm.right } : {}),
  };
}

function toField(f: { name: string; dataType: DataType; nullable: boolean }): StructField {
  return { name: f.name, dataType: f.dataType, nullable: f.nullable };
}

/**
 * Spark's JoinConditionSplitPredicates: deterministic conjuncts over one side only filter that
 * side's rows before the join; the others are checked on each joined pair.
 */
function splitCondition(
  condition: BoundExpr | undefined,
  nLeft: number,
): { leftOnly?: BoundExpr; rightOnly?: BoundExpr; bothSides?: BoundExpr } {
  if (!condition) return {};
  const left: BoundExpr[] = [];
  const right: BoundExpr[] = [];
  const both: BoundExpr[] = [];
  for (const c of conjuncts(condition)) {
    const refs = [...references(c)];
    if (!isDeterministic(c)) both.push(c);
    else if (refs.every((i) => i < nLeft)) left.push(c);
    else if (refs.every((i) => i >= nLeft))
      right.push(
        substituteRefs(c, (i, ref) => ({ ...(ref as BoundExpr & { kind: 'ref' }), index: i - nLeft })),
      );
    else both.push(c);
  }
  const and = (es: BoundExpr[]): BoundExpr | undefined =>
    es.length === 0 ? undefined : es.reduce((a, b) => andOf(a, b));
  const l = and(left);
  const r = and(right);
  const b = and(both);
  return { ...(l ? { leftOnly: l } : {}), ...(r ? { rightOnly: r } : {}), ...(b ? { bothSides: b } : {}) };
}

function andOf(a: BoundExpr, b: BoundExpr): BoundExpr {
  return bindLogical('and', a, b, false);
}

/**
 * Spark's StreamingSymmetricHashJoinExec: each side's rows are buffered in state; a new row joins
 * the other side's buffered rows (left input first, then right input, so that new×new pairs come
 * out once), then is buffered itself. Rows are forgotten when the state watermark passes them
 * (join keys with event time, or a time-range condition against the other side's watermark);
 * an outer side's rows that never matched come out with NULLs at that moment. Left semi emits a
 * left row once, at its first match. Append output mode only (the checker's rule).
 */
export class StreamStreamJoinExec implements StatefulOperator {
  readonly name = 'symmetricHashJoin';
  private left: JoinSide | undefined;
  private right: JoinSide | undefined;
  private info: BatchInfo | undefined;
  private updateTimeMs = 0;
  private removalTimeMs = 0;
  private droppedByWatermark = 0;
  private cleanupRemoved = 0;
  private lastEvictionWatermarkMs = 0;
  private numShards = 1;
  private readonly leftKey: (row: Row) => unknown[];
  private readonly rightKey: (row: Row) => unknown[];
  private readonly leftFilter: (row: Row) => boolean;
  private readonly rightFilter: (row: Row) => boolean;
  private readonly bothFilter: (row: Row) => boolean;
  private readonly nullLeft: Row;
  private readonly nullRight: Row;
  /** This batch's state watermarks (ms), or undefined: nothing is evicted on that side. */
  private leftStateWm: number | undefined;
  private rightStateWm: number | undefined;

  constructor(readonly config: StreamStreamJoinConfig) {
    this.leftKey = compileKeys(config.leftKeys).values;
    this.rightKey = compileKeys(config.rightKeys).values;
    const pred = (e: BoundExpr | undefined) => {
      if (!e) return () => true;
      const f = compilePredicate(e);
      return (row: Row) => f(row) === true;
    };
    this.leftFilter = pred(config.leftOnly);
    this.rightFilter = pred(config.rightOnly);
    this.bothFilter = pred(config.bothSides);
    this.nullLeft = config.leftFields.map(() => null);
    this.nullRight = config.rightFields.map(() => null);
  }

  get operatorId(): number {
    return this.config.operatorId;
  }

  display(): string {
    const c = this.config;
    const keys = (ks: readonly BoundExpr[]) => `[${ks.map((k) => k.sql).join(', ')}]`;
    const side = (s: SideStateWatermark | undefined) =>
      s === undefined ? 'null' : s.kind === 'key' ? `key predicate (key ${s.keyIndex})` : 'value predicate';
    return `StreamingSymmetricHashJoin ${keys(c.leftKeys)}, ${keys(c.rightKeys)}, ${joinTypeName(c.joinType)}, condition = [ ${c.conditionSql ?? 'null'} ], state info [operatorId = ${this.operatorId}], state cleanup [ left ${side(c.leftState)}, right ${side(c.rightState)} ]`;
  }

  /** The four stores with their key/value schemas, for the state data source. */
  stateSchemas(): { storeName: string; schema: StateSchema }[] {
    const c = this.config;
    const keyFields: StructField[] = c.leftKeys.map((k, i) => ({
      name: `field${i}`,
      dataType: k.dataType,
      nullable: k.nullable,
    }));
    const out: { storeName: string; schema: StateSchema }[] = [];
    for (const [side, fields] of [
      ['left', c.leftFields],
      ['right', c.rightFields],
    ] as const) {
      out.push({
        storeName: `${side}-keyToNumValues`,
        schema: {
          key: { kind: 'struct', fields: keyFields },
          value: { kind: 'struct', fields: [{ name: 'value', dataType: { kind: 'long' }, nullable: true }] },
        },
      });
      out.push({
        storeName: `${side}-keyWithIndexToValue`,
        schema: {
          key: {
            kind: 'struct',
            fields: [...keyFields, { name: 'index', dataType: { kind: 'long' }, nullable: true }],
          },
          value: {
            kind: 'struct',
            fields: [...fields, { name: 'matched', dataType: { kind: 'boolean' }, nullable: true }],
          },
        },
      });
    }
    return out;
  }

  open(ctx: StatefulOperatorContext): void {
    this.left = openJoinSide(ctx, this.operatorId, 'left');
    this.right = openJoinSide(ctx, this.operatorId, 'right');
    this.left.timeOf = ruleTime(this.config.leftState);
    this.right.timeOf = ruleTime(this.config.rightState);
    this.numShards = ctx.numShards;
    this.lastEvictionWatermarkMs = ctx.lastWatermarkMs;
  }

  startBatch(info: BatchInfo): void {
    this.info = info;
    this.left!.load(info.batchId);
    this.right!.load(info.batchId);
    this.updateTimeMs = 0;
    this.removalTimeMs = 0;
    this.droppedByWatermark = 0;
    this.cleanupRemoved = 0;
    const wm = info.watermarkMs;
    const sideWm = (s: SideStateWatermark | undefined) =>
      !info.hasWatermark || s === undefined
        ? undefined
        : s.kind === 'key'
          ? wm
          : stateValueWatermarkMs(s.bounds, wm);
    this.leftStateWm = sideWm(this.config.leftState);
    this.rightStateWm = sideWm(this.config.rightState);
  }

  /** Input 0 is the left side, input 1 the right side (all of the left is processed first). */
  processChunk(rows: RowSource, emit: (row: Row) => void, input = 0): void {
    const start = performance.now();
    const c = this.config;
    const isLeft = input === 0;
    const info = this.info!;
    const et = isLeft ? c.leftEventTime : c.rightEventTime;
    const late =
      et && info.hasWatermark && info.lateWatermarkMs > 0 ? info.lateWatermarkMs * 1000 : undefined;
    const keyOf = isLeft ? this.leftKey : this.rightKey;
    const preFilter = isLeft ? this.leftFilter : this.rightFilter;
    const own = isLeft ? this.left! : this.right!;
    const other = isLeft ? this.right! : this.left!;
    const joinType = c.joinType;
    const outerHere = isLeft
      ? joinType === 'left' || joinType === 'full'
      : joinType === 'right' || joinType === 'full';
    const semi = joinType === 'semi';
    rows((row) => {
      if (late !== undefined) {
        const t = eventTimeMicros(row[et!.index], et!.column.kind);
        if (t !== null && t <= late) {
          this.droppedByWatermark++;
          return;
        }
      }
      if (!preFilter(row)) {
        // Can never match: an outer side's row comes out with NULLs now, and is not buffered.
        if (outerHere) emit(isLeft ? [...row, ...this.nullRight] : [...this.nullLeft, ...row]);
        return;
      }
      const key = keyOf(row);
      const nullKey = key.some((v) => v === null || v === undefined);
      let matched = false;
      if (!nullKey) {
        for (const o of other.get(key)) {
          // Left semi: a buffered left row that already came out is not emitted again.
          if (semi && !isLeft && o.matched) continue;
          const joined = isLeft ? [...row, ...o.row] : [...o.row, ...row];
          if (!this.bothFilter(joined)) continue;
          if (!o.matched) other.setMatched(key, o.index, o.row);
          if (semi) {
            if (!isLeft) emit(o.row.slice());
            else if (!matched) emit(row);
          } else {
            emit(joined);
          }
          matched = true;
        }
      }
      let add: boolean;
      if (semi && isLeft && matched) add = false;
      else if (isLeft) add = true;
      else
        add =
          !this.evictsNow(c.rightState, this.rightStateWm, key, row) ||
          ((joinType === 'right' || joinType === 'full') && !matched);
      if (add) own.append(key, row, matched);
    });
    this.updateTimeMs += performance.now() - start;
  }

  /** Whether a row (with its join key) is at or below its side's state watermark. */
  private evictsNow(
    rule: SideStateWatermark | undefined,
    stateWm: number | undefined,
    key: Row,
    row: Row,
  ): boolean {
    if (rule === undefined || stateWm === undefined) return false;
    const limit = stateWm * 1000;
    if (rule.kind === 'key') {
      const t = eventTimeMicros(key[rule.keyIndex], rule.column.kind);
      return t !== null && t <= limit;
    }
    const t = eventTimeMicros(row[rule.column], rule.eventKind);
    return t !== null && t <= limit;
  }

  finishBatch(emit: (row: Row) => void): void {
    const r0 = performance.now();
    const c = this.config;
    const evict = (side: 'left' | 'right') => {
      const state = side === 'left' ? this.left! : this.right!;
      const rule = side === 'left' ? c.leftState : c.rightState;
      const wm = side === 'left' ? this.leftStateWm : this.rightStateWm;
      if (rule === undefined || wm === undefined) return [];
      // Nothing buffered is at or below the limit: no scan (Spark scans the whole state each batch).
      if (state.minTime > wm * 1000) return [];
      return state.removeWhere(
        (key) => rule.kind === 'key' && this.evictsNow(rule, wm, key, []),
        (row) => rule.kind === 'value' && this.evictsNow(rule, wm, [], row),
      );
    };
    const jt = c.joinType;
    // Outer sides: rows leaving state that never matched come out with NULLs.
    if (jt === 'left' || jt === 'full')
      for (const r of evict('left')) if (!r.matched) emit([...r.row, ...this.nullRight]);
    if (jt === 'right' || jt === 'full')
      for (const r of evict('right')) if (!r.matched) emit([...this.nullLeft, ...r.row]);
    if (jt === 'inner' || jt === 'semi' || jt === 'right') this.cleanupRemoved += evict('left').length;
    if (jt === 'inner' || jt === 'semi' || jt === 'left') this.cleanupRemoved += evict('right').length;
    this.removalTimeMs = performance.now() - r0;
    this.lastEvictionWatermarkMs = this.info!.watermarkMs;
  }

  needsNoDataBatch(nextWatermarkMs: number): boolean {
    const c = this.config;
    return (
      (c.leftState !== undefined || c.rightState !== undefined) &&
      nextWatermarkMs > this.lastEvictionWatermarkMs
    );
  }

  commit(): StateOperatorProgress {
    const l = this.left!;
    const r = this.right!;
    const appended = l.appended + r.appended;
    const numRows = l.numRows + r.numRows;
    const ms: ShardedMetrics[] = [...l.commit(), ...r.commit()];
    const custom: Record<string, number> = {};
    for (const m of ms) for (const [k, v] of Object.entries(m.custom)) custom[k] = (custom[k] ?? 0) + v;
    const progress = stateProgress(
      this.name,
      {
        numKeys: numRows,
        numUpdated: appended,
        numRemoved: this.cleanupRemoved,
        memoryUsedBytes: ms.reduce((a, m) => a + m.memoryUsedBytes, 0),
        commitTimeMs: ms.reduce((a, m) => a + m.commitTimeMs, 0),
        custom,
      },
      this.numShards,
      {
        updatesMs: this.updateTimeMs,
        removalsMs: this.removalTimeMs,
        droppedByWatermark: this.droppedByWatermark,
      },
    );
    // Four stores per state partition (Spark counts each store instance).
    return { ...progress, numStateStoreInstances: 4 * this.numShards };
  }

  abort(): void {
    this.left?.abort();
    this.right?.abort();
  }

  close(): void {
    this.left?.close();
    this.right?.close();
    this.left = undefined;
    this.right = undefined;
  }
}

function joinTypeName(t: StreamJoinType): string {
  return { inner: 'Inner', left: 'LeftOuter', right: 'RightOuter', full: 'FullOuter', semi: 'LeftSemi' }[t];
}

/** What a side's state-cleanup rule compares with its limit: a key's or a row's event time (µs). */
function ruleTime(rule: SideStateWatermark | undefined): ((key: Row, row: Row) => number | null) | undefined {
  if (rule === undefined) return undefined;
  if (rule.kind === 'key') return (key) => eventTimeMicros(key[rule.keyIndex], rule.column.kind);
  return (_key, row) => eventTimeMicros(row[rule.column], rule.eventKind);
}
