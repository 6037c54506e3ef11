import { CodeGen } from '../expr/index.js';
import { longOverflow } from '../expr/runtime-errors.js';
import type { BoundAggregate, BoundExpr, ScopeField } from '../plan/expr-api.js';
import { describe } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';
import { LONG_MAX, type Long, longAdd } from '../types/long.js';
import { compositeKey, type KeyValue } from './keys.js';
import { BaseExec, type PhysicalOperator } from './operator.js';
import { emitSteps, type PipelineStep } from './pipeline-codegen.js';
import { ScanExec } from './scan-exec.js';

export interface FusedAggregateConfig {
  /** The operator whose rows enter the pipeline. */
  readonly input: PhysicalOperator;
  /** Filters and projections between the input and the aggregate, bottom-up. */
  readonly steps: readonly PipelineStep[];
  readonly groupings: readonly BoundExpr[];
  readonly aggregates: readonly BoundAggregate[];
  readonly output: readonly ScopeField[];
  /** The unfused operator tree below the aggregate, for EXPLAIN. */
  readonly displayChild: PhysicalOperator;
}

const DIRECT = new Set(['boolean', 'byte', 'short', 'int', 'long', 'date', 'timestamp', 'string']);
const ORDERED_BY_JS = new Set(['boolean', 'byte', 'short', 'int', 'long', 'date', 'timestamp', 'string']);
const NUMERIC = new Set(['byte', 'short', 'int', 'long', 'float', 'double', 'date', 'timestamp']);

type Simple = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** The aggregate as one of the simple kinds the fused code inlines, or undefined. */
function simpleKind(a: BoundAggregate): Simple | undefined {
  if (a.distinct || a.filter) return undefined;
  const name = a.name.toLowerCase();
  const t = a.dataType.kind;
  const arg = a.args[0]?.dataType.kind;
  switch (name) {
    case 'count':
      return 'count';
    case 'sum':
      return a.args.length === 1 && (t === 'long' || t === 'double') && (arg === 'long' || arg === 'double')
        ? 'sum'
        : undefined;
    case 'avg':
    case 'mean':
      return a.args.length === 1 && t === 'double' && arg === 'double' ? 'avg' : undefined;
    case 'min':
    case 'max':
      return a.args.length === 1 &&
        arg !== undefined &&
        (ORDERED_BY_JS.has(arg) || arg === 'double' || arg === 'float')
        ? (name as Simple)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Whole-stage code generation for `HashAggregate(Filter/Project*(input))` when every aggregate is a
 * plain count/sum/avg/min/max over primitive values: one generated JavaScript function per query
 * evaluates the filters, projections (as locals, no intermediate row arrays), the grouping key and
 * the aggregate updates for each input row. Results equal HashAggregateExec's (same accumulation
 * rules, same ANSI overflow check for integral sums, same group order).
 */
export class FusedAggregateExec extends BaseExec {
  readonly name = 'FusedAggregateExec';
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  private readonly run: (row: null, rows: readonly Row[]) => void;
  private readonly holder: { map: Map<KeyValue, Record<string, unknown>> } = { map: new Map() };
  private readonly kinds: Simple[];

  constructor(readonly config: FusedAggregateConfig) {
    super();
    this.children = [config.displayChild];
    this.output = config.output;
    this.kinds = config.aggregates.map((a) => simpleKind(a)!);
    this.run = this.generate();
  }

  /** Whether the aggregate's functions can be fused. */
  static supports(aggregates: readonly BoundAggregate[]): boolean {
    return aggregates.every((a) => simpleKind(a) !== undefined);
  }

  display(): string {
    const keys = this.config.groupings.map(describe).join(', ');
    const fns = this.config.aggregates.map((a) => a.sql).join(', ');
    return `HashAggregate(keys=[${keys}], functions=[${fns}])`;
  }

  private generate(): (row: null, rows: readonly Row[]) => void {
    const g = new CodeGen();
    const holderName = g.constant(this.holder);
    // One loop over the input rows; a row failing a filter `continue`s.
    g.emit(`const M = ${holderName}.map;`);
    g.emit('for (let i = 0; i < outer.length; i++) {');
    g.emit('const row = outer[i];');
    const { bind } = emitSteps(g, this.config.steps);
    const keyVals = this.config.groupings.map((e) => g.expr(bind(e)));
    let keyExpr: string;
    if (keyVals.length === 0) keyExpr = '0';
    else if (keyVals.length === 1 && DIRECT.has(this.config.groupings[0]!.dataType.kind))
      keyExpr = keyVals[0]!;
    else {
      const kf = compositeKey(this.config.groupings.map((e) => e.dataType));
      keyExpr = `${g.constant(kf)}([${keyVals.join(', ')}])`;
    }
    // Numeric running values start at 0 with a `has` flag, so V8 keeps them as unboxed doubles.
    const numeric = (i: number) => NUMERIC.has(this.config.aggregates[i]!.args[0]?.dataType.kind ?? '');
    const fields = this.kinds.map((k, i) =>
      k === 'avg'
        ? `s${i}: 0, n${i}: 0`
        : k === 'count'
          ? `n${i}: 0`
          : `v${i}: ${numeric(i) ? '0' : 'null'}, h${i}: false`,
    );
    const make = new Function('keys', `return { keys, ${fields.join(', ')} };`) as (
      keys: unknown[],
    ) => Record<string, unknown>;
    const makeC = g.constant(make);
    g.emit(`const k = ${keyExpr};`);
    g.emit('let st = M.get(k);');
    g.emit(`if (st === undefined) { st = ${makeC}([${keyVals.join(', ')}]); M.set(k, st); }`);
    this.config.aggregates.forEach((a, i) => {
      const kind = this.kinds[i]!;
      const args = a.args.map((x) => g.expr(bind(x)));
      const nonNull = args.filter((_, j) => a.args[j]!.nullable).map((x) => `${x} !== null`);
      const guard = nonNull.length ? `if (${nonNull.join(' && ')}) ` : '';
      const x = args[0];
      switch (kind) {
        case 'count':
          g.emit(`${guard}st.n${i}++;`);
          break;
        case 'sum': {
          if (a.dataType.kind === 'long') {
            // Exact long sums (number fast path inside longAdd), Spark's overflow rule.
            const rule = longOverflow(isAnsiChecked(a), 'try_sum');
            const add = g.constant((s: Long, v: Long) => longAdd(s, v, rule));
            g.emit(`${guard}{ st.v${i} = ${add}(st.v${i}, ${x}); st.h${i} = true; }`);
          } else {
            g.emit(`${guard}{ st.v${i} += ${x}; st.h${i} = true; }`);
          }
          break;
        }
        case 'avg':
          g.emit(`${guard}{ st.s${i} += ${x}; st.n${i}++; }`);
          break;
        case 'min':
        case 'max': {
          const op = kind === 'max' ? '>' : '<';
          const t = a.args[0]!.dataType.kind;
          // Spark orders NaN above every other double.
          const nan =
            t === 'double' || t === 'float'
              ? kind === 'max'
                ? ` || (${x} !== ${x} && st.v${i} === st.v${i})`
                : ` || (st.v${i} !== st.v${i} && ${x} === ${x})`
              : '';
          g.emit(
            `${guard}{ if (!st.h${i} || ${x} ${op} st.v${i}${nan}) { st.v${i} = ${x}; st.h${i} = true; } }`,
          );
          break;
        }
      }
    });
    g.emit('}');
    return g.build<(row: null, rows: readonly Row[]) => void>('undefined');
  }

  override execute(): Row[] {
    const map = new Map<KeyValue, Record<string, unknown>>();
    this.holder.map = map;
    try {
      const input = this.config.input;
      this.run(null, input instanceof ScanExec ? input.rowsView() : input.execute());
    } finally {
      this.holder.map = new Map();
    }
    if (this.config.groupings.length === 0 && map.size === 0) map.set(0, { keys: [], ...this.emptyState() });
    const out: Row[] = [];
    for (const st of map.values()) {
      const row = (st.keys as unknown[]).slice();
      this.kinds.forEach((k, i) => {
        if (k === 'count') row.push(st[`n${i}`]);
        else if (k === 'avg')
          row.push((st[`n${i}`] as number) === 0 ? null : (st[`s${i}`] as number) / (st[`n${i}`] as number));
        else row.push(st[`h${i}`] ? st[`v${i}`] : null);
      });
      out.push(row);
    }
    return out;
  }

  private emptyState(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    this.kinds.forEach((k, i) => {
      if (k === 'avg') {
        o[`s${i}`] = 0;
        o[`n${i}`] = 0;
      } else if (k === 'count') o[`n${i}`] = 0;
      else o[`h${i}`] = false;
    });
    return o;
  }
}

/** Integral sums check for long overflow in ANSI mode (EXPR's SumNumberAcc does the same). */
function isAnsiChecked(a: BoundAggregate): boolean {
  // The aggregate carries no ANSI flag; probe a buffer: a sum near the limit throws only when checked.
  const b = a.create();
  try {
    const acc = (b as unknown as { acc?: { add(v: unknown[]): void } }).acc;
    if (!acc) return true;
    acc.add([LONG_MAX]);
    acc.add([1]);
    return false;
  } catch {
    return true;
  }
}
