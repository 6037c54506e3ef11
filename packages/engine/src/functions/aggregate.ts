/**
 * Aggregate functions: count, sum, avg, min, max, first, last, collect_list, collect_set,
 * approx_count_distinct (HyperLogLog++), stddev/variance families, percentile_approx, percentile,
 * median, max_by, min_by, any/some/bool_or, every/bool_and, count_if.
 * Every accumulator's state is JSON-serializable (toState / fromState) for the state store.
 */
import { AnalysisError, ExecutionError } from '../errors.js';
import type { BoundExpr } from '../expr/bound.js';
import { makeComparator, valueKey } from '../expr/compare.js';
import { longOverflow, numericOutOfRange } from '../expr/runtime-errors.js';
import type { DataType } from '../types/data-type.js';
import { Decimal } from '../types/decimal.js';
import { valueFromJson, valueToJson } from '../types/format.js';
import { Interval } from '../types/interval.js';
import { type Long, type LongOverflow, longAdd } from '../types/long.js';
import { arrayType, decimalType, isNumeric, isPrimitiveComparable, sqlTypeName, T } from '../types/types.js';
import { xxhashValue } from './hash.js';
import {
  type Accumulator,
  type AggregateSpec,
  type BindContext,
  castExpr,
  coerceArg,
  constantArg,
  lookupFunction,
  registerFunction,
  typeMismatch,
} from './registry.js';

type AccFactory = () => Accumulator;

function spec(
  dataType: DataType,
  nullable: boolean,
  args: readonly BoundExpr[],
  create: AccFactory,
  restore: (s: unknown) => Accumulator,
  distinctInsensitive = false,
): AggregateSpec {
  return { dataType, nullable, args, create, fromState: restore, distinctInsensitive };
}

function defineAggregate(
  name: string,
  minArgs: number,
  maxArgs: number,
  bind: (args: BoundExpr[], ctx: BindContext) => AggregateSpec,
  ...aliases: string[]
): void {
  registerFunction({ name, kind: 'aggregate', minArgs, maxArgs, bindAggregate: bind }, ...aliases);
}

// ---------------- count ----------------

class CountAcc implements Accumulator {
  constructor(public n = 0) {}
  add(values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) if (values[i] === null) return;
    this.n++;
  }
  add1(v: unknown): void {
    if (v !== null) this.n++;
  }
  addRow(): void {
    this.n++;
  }
  merge(o: Accumulator): void {
    this.n += (o as CountAcc).n;
  }
  result(): unknown {
    return this.n;
  }
  toState(): unknown {
    return this.n;
  }
}

defineAggregate('count', 0, Number.POSITIVE_INFINITY, (args) =>
  spec(
    T.long,
    false,
    args,
    () => new CountAcc(),
    (s) => new CountAcc(s as number),
  ),
);

class CountIfAcc implements Accumulator {
  constructor(public n = 0) {}
  add(values: readonly unknown[]): void {
    if (values[0] === true) this.n++;
  }
  add1(v: unknown): void {
    if (v === true) this.n++;
  }
  merge(o: Accumulator): void {
    this.n += (o as CountIfAcc).n;
  }
  result(): unknown {
    return this.n;
  }
  toState(): unknown {
    return this.n;
  }
}

defineAggregate('count_if', 1, 1, (args, ctx) => {
  const a = coerceArg('count_if', args, 0, T.boolean, ctx);
  return spec(
    T.long,
    false,
    [a],
    () => new CountIfAcc(),
    (s) => new CountIfAcc(s as number),
  );
});

// ---------------- sum / avg ----------------

/** sum over doubles. */
class SumNumberAcc implements Accumulator {
  constructor(public sum: number | null = null) {}
  add(values: readonly unknown[]): void {
    this.add1(values[0] ?? null);
  }
  add1(value: unknown): void {
    if (value === null) return;
    const v = value as number;
    this.sum = this.sum === null ? v : this.sum + v;
  }
  merge(o: Accumulator): void {
    const s = (o as SumNumberAcc).sum;
    if (s !== null) this.add([s]);
  }
  result(): unknown {
    return this.sum;
  }
  toState(): unknown {
    return valueToJson(this.sum, T.double);
  }
}

/** sum over integral values: an exact long (docs/decisions/0006-exact-longs.md). */
class SumLongAcc implements Accumulator {
  constructor(
    private readonly overflow: LongOverflow,
    public sum: Long | null = null,
  ) {}
  add(values: readonly unknown[]): void {
    this.add1(values[0] ?? null);
  }
  add1(value: unknown): void {
    if (value === null) return;
    this.sum = this.sum === null ? (value as Long) : longAdd(this.sum, value as Long, this.overflow);
  }
  merge(o: Accumulator): void {
    const s = (o as SumLongAcc).sum;
    if (s !== null) this.add1(s);
  }
  result(): unknown {
    return this.sum;
  }
  toState(): unknown {
    return valueToJson(this.sum, T.long);
  }
}

class SumDecimalAcc implements Accumulator {
  constructor(
    private readonly precision: number,
    private readonly scale: number,
    private readonly ansi: boolean,
    public sum: Decimal | null = null,
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] as Decimal | null;
    if (v === null) return;
    this.sum = this.sum === null ? v : this.sum.add(v);
  }
  merge(o: Accumulator): void {
    const s = (o as SumDecimalAcc).sum;
    if (s !== null) this.add([s]);
  }
  result(): unknown {
    if (this.sum === null) return null;
    const r = this.sum.toPrecision(this.precision, this.scale);
    if (r === null && this.ansi) throw numericOutOfRange(this.sum.toString(), this.precision, this.scale);
    return r;
  }
  toState(): unknown {
    return this.sum?.toString() ?? null;
  }
}

function numericArg(name: string, args: BoundExpr[], ctx: BindContext): BoundExpr {
  const a = args[0]!;
  if (a.dataType.kind === 'interval') return a;
  return coerceArg(name, args, 0, 'numeric', ctx);
}

defineAggregate('sum', 1, 1, (args, ctx) => {
  const a = numericArg('sum', args, ctx);
  const t = a.dataType;
  if (t.kind === 'decimal') {
    const p = Math.min(38, t.precision + 10);
    const mk = () => new SumDecimalAcc(p, t.scale, ctx.ansi);
    return spec(
      decimalType(p, t.scale),
      true,
      [a],
      mk,
      (s) => new SumDecimalAcc(p, t.scale, ctx.ansi, s === null ? null : Decimal.parse(s as string)),
    );
  }
  if (t.kind === 'interval') {
    return spec(
      T.interval,
      true,
      [a],
      () => new IntervalSumAcc(false),
      (s) => IntervalSumAcc.restore(false, s),
    );
  }
  const integral = t.kind === 'byte' || t.kind === 'short' || t.kind === 'int' || t.kind === 'long';
  if (integral) {
    const overflow = longOverflow(ctx.ansi, 'try_sum');
    return spec(
      T.long,
      true,
      [castExpr(a, T.long, ctx.ansi)],
      () => new SumLongAcc(overflow),
      (s) => new SumLongAcc(overflow, valueFromJson(s, T.long) as Long | null),
    );
  }
  return spec(
    T.double,
    true,
    [castExpr(a, T.double, ctx.ansi)],
    () => new SumNumberAcc(),
    (s) => new SumNumberAcc(valueFromJson(s, T.double) as number | null),
  );
});

/** sum / avg of intervals (Spark sums CalendarIntervals field by field). */
class IntervalSumAcc implements Accumulator {
  constructor(
    private readonly avg: boolean,
    public sum: Interval | null = null,
    public n = 0,
  ) {}
  static restore(avg: boolean, s: unknown): IntervalSumAcc {
    const [v, n] = s as [unknown, number];
    return new IntervalSumAcc(avg, valueFromJson(v, T.interval) as Interval | null, n);
  }
  add(values: readonly unknown[]): void {
    const v = values[0] as Interval | null;
    if (v === null) return;
    this.sum = this.sum === null ? v : this.sum.add(v);
    this.n++;
  }
  merge(o: Accumulator): void {
    const b = o as IntervalSumAcc;
    if (b.sum === null) return;
    this.sum = this.sum === null ? b.sum : this.sum.add(b.sum);
    this.n += b.n;
  }
  result(): unknown {
    if (this.sum === null) return null;
    if (!this.avg) return this.sum;
    const s = this.sum;
    return new Interval(
      Math.trunc(s.months / this.n),
      Math.trunc(s.days / this.n),
      Math.round(s.micros / this.n),
    );
  }
  toState(): unknown {
    return [valueToJson(this.sum, T.interval), this.n];
  }
}

class AvgAcc implements Accumulator {
  constructor(
    public sum = 0,
    public n = 0,
  ) {}
  add(values: readonly unknown[]): void {
    this.add1(values[0] ?? null);
  }
  add1(v: unknown): void {
    if (v === null) return;
    this.sum += v as number;
    this.n++;
  }
  merge(o: Accumulator): void {
    this.sum += (o as AvgAcc).sum;
    this.n += (o as AvgAcc).n;
  }
  result(): unknown {
    return this.n === 0 ? null : this.sum / this.n;
  }
  toState(): unknown {
    return [valueToJson(this.sum, T.double), this.n];
  }
}

class AvgDecimalAcc implements Accumulator {
  constructor(
    private readonly precision: number,
    private readonly scale: number,
    public sum: Decimal = Decimal.ZERO,
    public n = 0,
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] as Decimal | null;
    if (v === null) return;
    this.sum = this.sum.add(v);
    this.n++;
  }
  merge(o: Accumulator): void {
    this.sum = this.sum.add((o as AvgDecimalAcc).sum);
    this.n += (o as AvgDecimalAcc).n;
  }
  result(): unknown {
    if (this.n === 0) return null;
    return this.sum
      .divide(new Decimal(BigInt(this.n), 0), this.scale)
      .toPrecision(this.precision, this.scale);
  }
  toState(): unknown {
    return [this.sum.toString(), this.n];
  }
}

defineAggregate(
  'avg',
  1,
  1,
  (args, ctx) => {
    const a = numericArg('avg', args, ctx);
    const t = a.dataType;
    if (t.kind === 'interval') {
      return spec(
        T.interval,
        true,
        [a],
        () => new IntervalSumAcc(true),
        (s) => IntervalSumAcc.restore(true, s),
      );
    }
    if (t.kind === 'decimal') {
      const p = Math.min(38, t.precision + 4);
      const s = Math.min(38, t.scale + 4);
      return spec(
        decimalType(p, s),
        true,
        [a],
        () => new AvgDecimalAcc(p, s),
        (st) => {
          const [sum, n] = st as [string, number];
          return new AvgDecimalAcc(p, s, Decimal.parse(sum)!, n);
        },
      );
    }
    const arg = castExpr(a, T.double, ctx.ansi);
    return spec(
      T.double,
      true,
      [arg],
      () => new AvgAcc(),
      (st) => {
        const [sum, n] = st as [unknown, number];
        return new AvgAcc(valueFromJson(sum, T.double) as number, n);
      },
    );
  },
  'mean',
);

// ---------------- min / max / first / last / any_value ----------------

/** The buffer of max / min: one kept value; subclasses decide in `add1` whether a new value wins. */
abstract class KeptValueAcc implements Accumulator {
  constructor(
    private readonly t: DataType,
    public value: unknown = null,
  ) {}
  abstract add1(v: unknown): void;
  add(values: readonly unknown[]): void {
    this.add1(values[0] ?? null);
  }
  merge(o: Accumulator): void {
    this.add1((o as KeptValueAcc).value);
  }
  result(): unknown {
    return this.value;
  }
  toState(): unknown {
    return valueToJson(this.value, this.t);
  }
}

class ExtremumAcc extends KeptValueAcc {
  constructor(
    private readonly cmp: (a: unknown, b: unknown) => number,
    private readonly sign: number,
    t: DataType,
    value: unknown = null,
  ) {
    super(t, value);
  }
  add1(v: unknown): void {
    if (v === null) return;
    if (this.value === null || this.sign * this.cmp(v, this.value) > 0) this.value = v;
  }
}

/** max / min over numbers, strings, dates and timestamps: plain `>` / `<` (no NaN in these types). */
class MaxPrimitiveAcc extends KeptValueAcc {
  add1(v: unknown): void {
    if (v !== null && (this.value === null || (v as number) > (this.value as number))) this.value = v;
  }
}

class MinPrimitiveAcc extends KeptValueAcc {
  add1(v: unknown): void {
    if (v !== null && (this.value === null || (v as number) < (this.value as number))) this.value = v;
  }
}

for (const [name, sign] of [
  ['max', 1],
  ['min', -1],
] as const) {
  defineAggregate(name, 1, 1, (args) => {
    const a = args[0]!;
    if (a.dataType.kind === 'map') {
      throw typeMismatch(
        `${name}(${a.sql})`,
        `The ${name} does not support ordering on type "${sqlTypeName(a.dataType)}"`,
        'INVALID_ORDERING_TYPE',
      );
    }
    if (isPrimitiveComparable(a.dataType)) {
      const Acc = sign > 0 ? MaxPrimitiveAcc : MinPrimitiveAcc;
      return spec(
        a.dataType,
        true,
        [a],
        () => new Acc(a.dataType),
        (s) => new Acc(a.dataType, valueFromJson(s, a.dataType)),
        true,
      );
    }
    const cmp = makeComparator(a.dataType);
    return spec(
      a.dataType,
      true,
      [a],
      () => new ExtremumAcc(cmp, sign, a.dataType),
      (s) => new ExtremumAcc(cmp, sign, a.dataType, valueFromJson(s, a.dataType)),
      true,
    );
  });
}

class FirstLastAcc implements Accumulator {
  constructor(
    private readonly last: boolean,
    private readonly ignoreNulls: boolean,
    private readonly t: DataType,
    public has = false,
    public value: unknown = null,
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] ?? null;
    if (this.ignoreNulls && v === null) return;
    if (this.last || !this.has) {
      this.value = v;
      this.has = true;
    }
  }
  merge(o: Accumulator): void {
    const x = o as FirstLastAcc;
    if (x.has) this.add([x.value]);
  }
  result(): unknown {
    return this.value;
  }
  toState(): unknown {
    return [this.has, valueToJson(this.value, this.t)];
  }
}

for (const [name, last] of [
  ['first', false],
  ['last', true],
  ['any_value', false],
] as const) {
  defineAggregate(
    name,
    1,
    2,
    (args) => {
      const a = args[0]!;
      const ignoreNulls = args[1] ? constantArg(name, args[1]) === true : false;
      const mk = () => new FirstLastAcc(last, ignoreNulls, a.dataType);
      return spec(a.dataType, true, [a], mk, (s) => {
        const [has, v] = s as [boolean, unknown];
        return new FirstLastAcc(last, ignoreNulls, a.dataType, has, valueFromJson(v, a.dataType));
      });
    },
    ...(name === 'first' ? ['first_value'] : name === 'last' ? ['last_value'] : []),
  );
}

// ---------------- boolean aggregates ----------------

class BoolAcc implements Accumulator {
  constructor(
    private readonly isAnd: boolean,
    public value: boolean | null = null,
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] as boolean | null;
    if (v === null) return;
    this.value = this.value === null ? v : this.isAnd ? this.value && v : this.value || v;
  }
  merge(o: Accumulator): void {
    this.add([(o as BoolAcc).value]);
  }
  result(): unknown {
    return this.value;
  }
  toState(): unknown {
    return this.value;
  }
}

for (const [names, isAnd] of [
  [['every', 'bool_and'], true],
  [['any', 'some', 'bool_or'], false],
] as const) {
  defineAggregate(
    names[0],
    1,
    1,
    (args, ctx) => {
      const a = coerceArg(names[0], args, 0, T.boolean, ctx);
      return spec(
        T.boolean,
        true,
        [a],
        () => new BoolAcc(isAnd),
        (s) => new BoolAcc(isAnd, s as boolean | null),
        true,
      );
    },
    ...names.slice(1),
  );
}

// ---------------- collect_list / collect_set ----------------

class CollectAcc implements Accumulator {
  private readonly keys = new Set<unknown>();
  constructor(
    private readonly isSet: boolean,
    private readonly t: DataType,
    public items: unknown[] = [],
  ) {
    if (isSet) for (const i of items) this.keys.add(valueKey(i, t));
  }
  add(values: readonly unknown[]): void {
    const v = values[0] ?? null;
    if (v === null) return;
    if (this.isSet) {
      const k = valueKey(v, this.t);
      if (this.keys.has(k)) return;
      this.keys.add(k);
    }
    this.items.push(v);
  }
  merge(o: Accumulator): void {
    for (const i of (o as CollectAcc).items) this.add([i]);
  }
  result(): unknown {
    return this.items.slice();
  }
  toState(): unknown {
    return this.items.map((i) => valueToJson(i, this.t));
  }
}

for (const [name, isSet, aliases] of [
  ['collect_list', false, ['array_agg']],
  ['collect_set', true, []],
] as const) {
  defineAggregate(
    name,
    1,
    1,
    (args) => {
      const a = args[0]!;
      if (isSet && a.dataType.kind === 'map') {
        throw typeMismatch(
          `${name}(${a.sql})`,
          `The collect_set does not support the "${sqlTypeName(a.dataType)}" type`,
          'UNSUPPORTED_INPUT_TYPE',
        );
      }
      return spec(
        arrayType(a.dataType, false),
        false,
        [a],
        () => new CollectAcc(isSet, a.dataType),
        (s) =>
          new CollectAcc(
            isSet,
            a.dataType,
            (s as unknown[]).map((j) => valueFromJson(j, a.dataType)),
          ),
      );
    },
    ...aliases,
  );
}

// ---------------- variance / stddev (Welford) ----------------

class MomentsAcc implements Accumulator {
  constructor(
    private readonly kind: 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop',
    public n = 0,
    public mean = 0,
    public m2 = 0,
  ) {}
  add(values: readonly unknown[]): void {
    const x = values[0] as number | null;
    if (x === null) return;
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  merge(o: Accumulator): void {
    const b = o as MomentsAcc;
    if (b.n === 0) return;
    if (this.n === 0) {
      this.n = b.n;
      this.mean = b.mean;
      this.m2 = b.m2;
      return;
    }
    const n = this.n + b.n;
    const d = b.mean - this.mean;
    this.mean += (d * b.n) / n;
    this.m2 += b.m2 + (d * d * this.n * b.n) / n;
    this.n = n;
  }
  result(): unknown {
    if (this.n === 0) return null;
    const samp = this.kind === 'var_samp' || this.kind === 'stddev_samp';
    if (samp && this.n === 1) return null;
    const v = this.m2 / (samp ? this.n - 1 : this.n);
    return this.kind.startsWith('stddev') ? Math.sqrt(v) : v;
  }
  toState(): unknown {
    return [this.n, this.mean, this.m2];
  }
}

for (const [kind, aliases] of [
  ['var_samp', ['variance']],
  ['var_pop', []],
  ['stddev_samp', ['stddev', 'std']],
  ['stddev_pop', []],
] as const) {
  defineAggregate(
    kind,
    1,
    1,
    (args, ctx) => {
      const a = coerceArg(kind, args, 0, T.double, ctx);
      return spec(
        T.double,
        true,
        [a],
        () => new MomentsAcc(kind),
        (s) => {
          const [n, mean, m2] = s as [number, number, number];
          return new MomentsAcc(kind, n, mean, m2);
        },
      );
    },
    ...aliases,
  );
}

class CovAcc implements Accumulator {
  constructor(
    private readonly kind: 'covar_pop' | 'covar_samp' | 'corr',
    public s: number[] = [0, 0, 0, 0, 0, 0],
  ) {}
  // s = [n, meanX, meanY, c2 (co-moment), m2x, m2y]
  add(values: readonly unknown[]): void {
    const x = values[0] as number | null;
    const y = values[1] as number | null;
    if (x === null || y === null) return;
    const s = this.s;
    const n = s[0]! + 1;
    const dx = x - s[1]!;
    const dy = y - s[2]!;
    s[1] = s[1]! + dx / n;
    s[2] = s[2]! + dy / n;
    s[3] = s[3]! + dx * (y - s[2]!);
    s[4] = s[4]! + dx * (x - s[1]!);
    s[5] = s[5]! + dy * (y - s[2]!);
    s[0] = n;
  }
  merge(o: Accumulator): void {
    const a = this.s;
    const b = (o as CovAcc).s;
    if (b[0] === 0) return;
    if (a[0] === 0) {
      this.s = b.slice();
      return;
    }
    const n = a[0]! + b[0]!;
    const dx = b[1]! - a[1]!;
    const dy = b[2]! - a[2]!;
    const f = (a[0]! * b[0]!) / n;
    this.s = [
      n,
      a[1]! + (dx * b[0]!) / n,
      a[2]! + (dy * b[0]!) / n,
      a[3]! + b[3]! + dx * dy * f,
      a[4]! + b[4]! + dx * dx * f,
      a[5]! + b[5]! + dy * dy * f,
    ];
  }
  result(): unknown {
    const [n, , , c2, m2x, m2y] = this.s as [number, number, number, number, number, number];
    if (n === 0) return null;
    if (this.kind === 'covar_pop') return c2 / n;
    if (this.kind === 'covar_samp') return n === 1 ? null : c2 / (n - 1);
    if (n === 1) return null;
    return c2 / Math.sqrt(m2x * m2y);
  }
  toState(): unknown {
    return this.s.map((x) => valueToJson(x, T.double));
  }
}

for (const kind of ['covar_pop', 'covar_samp', 'corr'] as const) {
  defineAggregate(kind, 2, 2, (args, ctx) => {
    const a = coerceArg(kind, args, 0, T.double, ctx);
    const b = coerceArg(kind, args, 1, T.double, ctx);
    return spec(
      T.double,
      true,
      [a, b],
      () => new CovAcc(kind),
      (s) =>
        new CovAcc(
          kind,
          (s as unknown[]).map((x) => valueFromJson(x, T.double) as number),
        ),
    );
  });
}

// ---------------- max_by / min_by ----------------

class ByAcc implements Accumulator {
  constructor(
    private readonly cmp: (a: unknown, b: unknown) => number,
    private readonly sign: number,
    private readonly vt: DataType,
    private readonly ot: DataType,
    public value: unknown = null,
    public ord: unknown = null,
  ) {}
  add(values: readonly unknown[]): void {
    const o = values[1] ?? null;
    if (o === null) return;
    if (this.ord === null || this.sign * this.cmp(o, this.ord) > 0) {
      this.ord = o;
      this.value = values[0] ?? null;
    }
  }
  merge(o: Accumulator): void {
    const b = o as ByAcc;
    this.add([b.value, b.ord]);
  }
  result(): unknown {
    return this.value;
  }
  toState(): unknown {
    return [valueToJson(this.value, this.vt), valueToJson(this.ord, this.ot)];
  }
}

for (const [name, sign] of [
  ['max_by', 1],
  ['min_by', -1],
] as const) {
  defineAggregate(name, 2, 2, (args) => {
    const [v, o] = args as [BoundExpr, BoundExpr];
    const cmp = makeComparator(o.dataType);
    return spec(
      v.dataType,
      true,
      [v, o],
      () => new ByAcc(cmp, sign, v.dataType, o.dataType),
      (s) => {
        const [a, b] = s as [unknown, unknown];
        return new ByAcc(
          cmp,
          sign,
          v.dataType,
          o.dataType,
          valueFromJson(a, v.dataType),
          valueFromJson(b, o.dataType),
        );
      },
    );
  });
}

// ---------------- approx_count_distinct (HyperLogLog++) ----------------

/** HLL++ thresholds for switching from linear counting (Heule et al., by precision 4..18). */
const HLL_THRESHOLDS = [10, 20, 40, 80, 220, 400, 900, 1800, 3100, 6500, 11500, 20000, 50000, 120000, 350000];

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let prev: number;
  do {
    x *= x;
    prev = z;
    z += x * y;
    y += y;
  } while (z !== prev);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let prev: number;
  do {
    x = Math.sqrt(x);
    prev = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
  } while (z !== prev);
  return z / 3;
}

class HllAcc implements Accumulator {
  readonly m: number;
  constructor(
    private readonly p: number,
    private readonly t: DataType,
    public registers: number[] = new Array(1 << p).fill(0),
  ) {
    this.m = 1 << p;
  }
  add(values: readonly unknown[]): void {
    const v = values[0] ?? null;
    if (v === null) return;
    const h = xxhashValue(v, this.t, 42n);
    const idx = Number(h >> BigInt(64 - this.p));
    const w = ((h << BigInt(this.p)) & ((1n << 64n) - 1n)) | (1n << BigInt(this.p - 1));
    // number of leading zeros of the 64-bit w, plus one
    const bits = w.toString(2).length;
    const rho = 64 - bits + 1;
    if (rho > this.registers[idx]!) this.registers[idx] = rho;
  }
  merge(o: Accumulator): void {
    const r = (o as HllAcc).registers;
    for (let i = 0; i < this.m; i++) if (r[i]! > this.registers[i]!) this.registers[i] = r[i]!;
  }
  result(): unknown {
    const m = this.m;
    const q = 64 - this.p;
    const counts = new Array<number>(q + 2).fill(0);
    for (const r of this.registers) counts[Math.min(r, q + 1)]!++;
    const zeros = counts[0]!;
    // Small cardinalities: linear counting below Spark's HLL++ threshold (exact for a handful of values).
    if (zeros > 0) {
      const lc = m * Math.log(m / zeros);
      if (lc <= (HLL_THRESHOLDS[this.p - 4] ?? 0)) return Math.round(lc);
    }
    // Otherwise Ertl's improved estimator (2017), unbiased over the whole range without empirical
    // bias tables (Spark uses HLL++'s tables; results agree within the sketch's error).
    let z = m * tau(1 - counts[q + 1]! / m);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + counts[k]!);
    z += m * sigma(zeros / m);
    return Math.round((m * m) / (2 * Math.LN2 * z));
  }
  toState(): unknown {
    return this.registers.slice();
  }
}

defineAggregate('approx_count_distinct', 1, 2, (args) => {
  const a = args[0]!;
  const rsd = args[1] ? Number(constantArg('approx_count_distinct', args[1])) : 0.05;
  if (!(rsd > 0)) throw new AnalysisError('INVALID_PARAMETER_VALUE', 'The relativeSD must be positive.');
  const p = Math.min(18, Math.max(4, Math.ceil(2 * Math.log2(1.106 / rsd))));
  return spec(
    T.long,
    false,
    [a],
    () => new HllAcc(p, a.dataType),
    (s) => new HllAcc(p, a.dataType, (s as number[]).slice()),
  );
});

// ---------------- percentiles ----------------

class ValuesAcc implements Accumulator {
  constructor(
    private readonly finish: (sorted: unknown[]) => unknown,
    private readonly cmp: (a: unknown, b: unknown) => number,
    private readonly t: DataType,
    public values: unknown[] = [],
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] ?? null;
    if (v !== null) this.values.push(v);
  }
  merge(o: Accumulator): void {
    for (const v of (o as ValuesAcc).values) this.values.push(v);
  }
  result(): unknown {
    if (this.values.length === 0) return null;
    return this.finish(this.values.slice().sort(this.cmp));
  }
  toState(): unknown {
    return this.values.map((v) => valueToJson(v, this.t));
  }
}

function percentages(name: string, e: BoundExpr): { list: number[]; isArray: boolean } {
  const v = constantArg(name, e);
  const list = (Array.isArray(v) ? v : [v]).map((x) => (x instanceof Decimal ? x.toNumber() : Number(x)));
  for (const p of list) {
    if (!(p >= 0 && p <= 1)) {
      throw typeMismatch(
        `${name}`,
        `The percentage(s) must be between 0.0 and 1.0, but got ${p}`,
        'VALUE_OUT_OF_RANGE',
      );
    }
  }
  return { list, isArray: Array.isArray(v) };
}

/**
 * A bounded weighted quantile summary: exact while it holds at most `limit` values, then compressed
 * into buckets of equal weight, so the rank error stays below 2 / limit (limit = 2 × accuracy, as
 * Spark's `accuracy` bounds the relative rank error by 1 / accuracy).
 */
class QuantileAcc implements Accumulator {
  constructor(
    private readonly finish: (at: (p: number) => unknown) => unknown,
    private readonly cmp: (a: unknown, b: unknown) => number,
    private readonly t: DataType,
    private readonly limit: number,
    public values: unknown[] = [],
    public weights: number[] = [],
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] ?? null;
    if (v === null) return;
    this.values.push(v);
    this.weights.push(1);
    if (this.values.length > 2 * this.limit) this.compress();
  }
  private sorted(): [unknown[], number[]] {
    const idx = this.values.map((_, i) => i).sort((a, b) => this.cmp(this.values[a], this.values[b]));
    return [idx.map((i) => this.values[i]), idx.map((i) => this.weights[i]!)];
  }
  private compress(): void {
    const [vs, ws] = this.sorted();
    const total = ws.reduce((a, b) => a + b, 0);
    const bucket = total / this.limit;
    const outV: unknown[] = [];
    const outW: number[] = [];
    let acc = 0;
    for (let i = 0; i < vs.length; i++) {
      acc += ws[i]!;
      if (acc >= bucket || i === vs.length - 1) {
        outV.push(vs[i]);
        outW.push(acc);
        acc = 0;
      }
    }
    this.values = outV;
    this.weights = outW;
  }
  merge(o: Accumulator): void {
    const b = o as QuantileAcc;
    for (let i = 0; i < b.values.length; i++) {
      this.values.push(b.values[i]);
      this.weights.push(b.weights[i]!);
    }
    if (this.values.length > 2 * this.limit) this.compress();
  }
  result(): unknown {
    if (this.values.length === 0) return null;
    const [vs, ws] = this.sorted();
    const total = ws.reduce((a, b) => a + b, 0);
    const at = (p: number) => {
      const rank = Math.max(1, Math.ceil(p * total));
      let acc = 0;
      for (let i = 0; i < vs.length; i++) {
        acc += ws[i]!;
        if (acc >= rank) return vs[i];
      }
      return vs[vs.length - 1];
    };
    return this.finish(at);
  }
  toState(): unknown {
    return [this.values.map((v) => valueToJson(v, this.t)), this.weights];
  }
}

for (const name of ['percentile_approx', 'approx_percentile']) {
  defineAggregate(name, 2, 3, (args) => {
    const a = args[0]!;
    if (!isNumeric(a.dataType) && a.dataType.kind !== 'date' && a.dataType.kind !== 'timestamp') {
      throw typeMismatch(
        `${name}(${a.sql})`,
        `The first parameter requires the ("NUMERIC" or "DATE" or "TIMESTAMP") type, however "${a.sql}" has the type "${sqlTypeName(a.dataType)}"`,
      );
    }
    const { list, isArray } = percentages(name, args[1]!);
    const accuracy = args[2] ? Number(constantArg(name, args[2])) : 10000;
    if (!(accuracy > 0)) {
      throw typeMismatch(
        `${name}(${a.sql})`,
        `The accuracy provided must be a literal between (0, 2147483647] (current value = ${accuracy})`,
        'VALUE_OUT_OF_RANGE',
      );
    }
    const limit = Math.max(64, Math.min(2 * accuracy, 1_000_000));
    const cmp = makeComparator(a.dataType);
    // The smallest value whose rank reaches ceil(p * n), as Spark's ApproximatePercentile answers.
    const finish = (at: (p: number) => unknown) => (isArray ? list.map(at) : at(list[0]!));
    const rt = isArray ? arrayType(a.dataType, false) : a.dataType;
    return spec(
      rt,
      true,
      [a],
      () => new QuantileAcc(finish, cmp, a.dataType, limit),
      (s) => {
        const [vs, ws] = s as [unknown[], number[]];
        return new QuantileAcc(
          finish,
          cmp,
          a.dataType,
          limit,
          vs.map((j) => valueFromJson(j, a.dataType)),
          ws.slice(),
        );
      },
    );
  });
}

/**
 * Exact percentile over value counts (Spark's Percentile: position (n - 1) × p on the sorted values,
 * linear interpolation between neighbours; an optional frequency column weights each row).
 */
class CountsAcc implements Accumulator {
  constructor(
    private readonly finish: (at: (p: number) => number | null) => unknown,
    public counts: Map<number, number> = new Map(),
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] as number | null;
    if (v === null) return;
    const f = values.length > 1 ? (values[1] as number | null) : 1;
    if (f === null || f === 0) return;
    if (f < 0) {
      throw new ExecutionError(
        'INVALID_PARAMETER_VALUE.FREQUENCY',
        `Negative values found in the frequency expression: ${f}.`,
      );
    }
    const key = v === 0 ? 0 : v;
    this.counts.set(key, (this.counts.get(key) ?? 0) + f);
  }
  merge(o: Accumulator): void {
    for (const [v, c] of (o as CountsAcc).counts) this.counts.set(v, (this.counts.get(v) ?? 0) + c);
  }
  result(): unknown {
    if (this.counts.size === 0) return null;
    const sorted = [...this.counts].sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : Number.isNaN(a[0]) ? 1 : -1,
    );
    const cum: number[] = [];
    let total = 0;
    for (const [, c] of sorted) {
      total += c;
      cum.push(total);
    }
    const valueAt = (pos: number): number => {
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > pos) hi = mid;
        else lo = mid + 1;
      }
      return sorted[lo]![0];
    };
    const at = (p: number): number => {
      const position = (total - 1) * p;
      const lower = Math.floor(position);
      const higher = Math.ceil(position);
      const lv = valueAt(lower);
      if (higher === lower) return lv;
      const hv = valueAt(higher);
      return (higher - position) * lv + (position - lower) * hv;
    };
    return this.finish(at);
  }
  toState(): unknown {
    return [...this.counts].map(([v, c]) => [valueToJson(v, T.double), c]);
  }
}

function restoreCounts(finish: (at: (p: number) => number | null) => unknown, s: unknown): CountsAcc {
  return new CountsAcc(
    finish,
    new Map((s as [unknown, number][]).map(([v, c]) => [valueFromJson(v, T.double) as number, c])),
  );
}

defineAggregate(
  'percentile',
  2,
  3,
  (args, ctx) => {
    const a = coerceArg('percentile', args, 0, T.double, ctx);
    const { list, isArray } = percentages('percentile', args[1]!);
    const freq = args[2] ? coerceArg('percentile', args, 2, T.long, ctx) : null;
    const finish = (at: (p: number) => number | null) => (isArray ? list.map(at) : at(list[0]!));
    const rt = isArray ? arrayType(T.double, false) : T.double;
    return spec(
      rt,
      true,
      freq ? [a, freq] : [a],
      () => new CountsAcc(finish),
      (s) => restoreCounts(finish, s),
    );
  },
  'percentile_cont',
); // percentile_cont(p) WITHIN GROUP (ORDER BY x) parses to percentile_cont(x, p): Spark's PercentileCont is Percentile.

defineAggregate('median', 1, 1, (args, ctx) => {
  const a = coerceArg('median', args, 0, T.double, ctx);
  const finish = (at: (p: number) => number | null) => at(0.5);
  return spec(
    T.double,
    true,
    [a],
    () => new CountsAcc(finish),
    (s) => restoreCounts(finish, s),
  );
});

defineAggregate('mode', 1, 1, (args) => {
  const a = args[0]!;
  const cmp = makeComparator(a.dataType);
  const finish = (sorted: unknown[]) => {
    let best: unknown = null;
    let bestN = 0;
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j < sorted.length && cmp(sorted[j], sorted[i]) === 0) j++;
      if (j - i > bestN) {
        bestN = j - i;
        best = sorted[i];
      }
      i = j;
    }
    return best;
  };
  return spec(
    a.dataType,
    true,
    [a],
    () => new ValuesAcc(finish, cmp, a.dataType),
    (s) =>
      new ValuesAcc(
        finish,
        cmp,
        a.dataType,
        (s as unknown[]).map((j) => valueFromJson(j, a.dataType)),
      ),
  );
});

// ---------------- try_sum / try_avg ----------------

class TryAcc implements Accumulator {
  constructor(
    readonly inner: Accumulator,
    public failed = false,
  ) {}
  add(values: readonly unknown[]): void {
    if (this.failed) return;
    try {
      this.inner.add(values);
    } catch {
      this.failed = true;
    }
  }
  merge(o: Accumulator): void {
    const b = o as TryAcc;
    if (b.failed) this.failed = true;
    if (this.failed) return;
    try {
      this.inner.merge(b.inner);
    } catch {
      this.failed = true;
    }
  }
  result(): unknown {
    if (this.failed) return null;
    try {
      return this.inner.result();
    } catch {
      return null;
    }
  }
  toState(): unknown {
    return [this.failed, this.inner.toState()];
  }
}

for (const [name, base] of [
  ['try_sum', 'sum'],
  ['try_avg', 'avg'],
] as const) {
  defineAggregate(name, 1, 1, (args, ctx) => {
    const s = lookupFunction(base)!.bindAggregate!(args, {
      ansi: true,
      now: ctx.now,
      bind: (e) => ctx.bind(e),
      bindLambda: (e, ps) => ctx.bindLambda(e, ps),
    });
    return spec(
      s.dataType,
      true,
      s.args,
      () => new TryAcc(s.create()),
      (st) => {
        const [failed, inner] = st as [boolean, unknown];
        return new TryAcc(s.fromState(inner), failed);
      },
    );
  });
}

// ---------------- bitwise aggregates ----------------

class BitAcc implements Accumulator {
  constructor(
    private readonly op: 'and' | 'or' | 'xor',
    public value: bigint | null = null,
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] as number | null;
    if (v === null) return;
    const b = BigInt(v);
    if (this.value === null) this.value = b;
    else this.value = this.op === 'and' ? this.value & b : this.op === 'or' ? this.value | b : this.value ^ b;
  }
  merge(o: Accumulator): void {
    const v = (o as BitAcc).value;
    if (v !== null) this.add([Number(v)]);
  }
  result(): unknown {
    return this.value === null ? null : Number(BigInt.asIntN(64, this.value));
  }
  toState(): unknown {
    return this.value === null ? null : this.value.toString();
  }
}

for (const op of ['and', 'or', 'xor'] as const) {
  defineAggregate(`bit_${op}`, 1, 1, (args, ctx) => {
    const a = coerceArg(`bit_${op}`, args, 0, 'integral', ctx);
    return spec(
      a.dataType,
      true,
      [a],
      () => new BitAcc(op),
      (s) => new BitAcc(op, s === null ? null : BigInt(s as string)),
      false,
    );
  });
}

// ---------------- skewness / kurtosis ----------------

class HigherMomentsAcc implements Accumulator {
  constructor(
    private readonly kind: 'skewness' | 'kurtosis',
    public s: number[] = [0, 0, 0, 0, 0],
  ) {}
  // s = [n, mean, m2, m3, m4] (Terriberry's online update)
  add(values: readonly unknown[]): void {
    const x = values[0] as number | null;
    if (x === null) return;
    const [n0, mean, m2, m3, m4] = this.s as [number, number, number, number, number];
    const n = n0 + 1;
    const delta = x - mean;
    const dn = delta / n;
    const dn2 = dn * dn;
    const t1 = delta * dn * n0;
    this.s = [
      n,
      mean + dn,
      m2 + t1,
      m3 + t1 * dn * (n - 2) - 3 * dn * m2,
      m4 + t1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * m2 - 4 * dn * m3,
    ];
  }
  merge(o: Accumulator): void {
    const [na, ma, a2, a3, a4] = this.s as [number, number, number, number, number];
    const [nb, mb, b2, b3, b4] = (o as HigherMomentsAcc).s as [number, number, number, number, number];
    if (nb === 0) return;
    if (na === 0) {
      this.s = [nb, mb, b2, b3, b4];
      return;
    }
    const n = na + nb;
    const d = mb - ma;
    const d2 = d * d;
    const m2 = a2 + b2 + (d2 * na * nb) / n;
    const m3 = a3 + b3 + (d * d2 * na * nb * (na - nb)) / (n * n) + (3 * d * (na * b2 - nb * a2)) / n;
    const m4 =
      a4 +
      b4 +
      (d2 * d2 * na * nb * (na * na - na * nb + nb * nb)) / (n * n * n) +
      (6 * d2 * (na * na * b2 + nb * nb * a2)) / (n * n) +
      (4 * d * (na * b3 - nb * a3)) / n;
    this.s = [n, ma + (d * nb) / n, m2, m3, m4];
  }
  result(): unknown {
    const [n, , m2, m3, m4] = this.s as [number, number, number, number, number];
    if (n === 0) return null;
    if (m2 === 0) return null;
    if (this.kind === 'skewness') return (Math.sqrt(n) * m3) / Math.sqrt(m2 * m2 * m2);
    return (n * m4) / (m2 * m2) - 3;
  }
  toState(): unknown {
    return this.s.map((x) => valueToJson(x, T.double));
  }
}

for (const kind of ['skewness', 'kurtosis'] as const) {
  defineAggregate(kind, 1, 1, (args, ctx) => {
    const a = coerceArg(kind, args, 0, T.double, ctx);
    return spec(
      T.double,
      true,
      [a],
      () => new HigherMomentsAcc(kind),
      (s) =>
        new HigherMomentsAcc(
          kind,
          (s as unknown[]).map((x) => valueFromJson(x, T.double) as number),
        ),
    );
  });
}

// ---------------- listagg / string_agg ----------------

class ListAggAcc implements Accumulator {
  constructor(
    private readonly delimiter: string,
    public items: string[] = [],
  ) {}
  add(values: readonly unknown[]): void {
    const v = values[0] as string | null;
    if (v !== null) this.items.push(v);
  }
  merge(o: Accumulator): void {
    for (const i of (o as ListAggAcc).items) this.items.push(i);
  }
  result(): unknown {
    return this.items.length === 0 ? null : this.items.join(this.delimiter);
  }
  toState(): unknown {
    return this.items.slice();
  }
}

defineAggregate(
  'listagg',
  1,
  2,
  (args, ctx) => {
    const a = coerceArg('listagg', args, 0, T.string, ctx);
    const d = args[1] ? constantArg('listagg', args[1]) : null;
    const delimiter = d === null ? '' : String(d);
    return spec(
      T.string,
      true,
      [a],
      () => new ListAggAcc(delimiter),
      (s) => new ListAggAcc(delimiter, (s as string[]).slice()),
    );
  },
  'string_agg',
);

// ---------------- product / regr_count ----------------

class ProductAcc implements Accumulator {
  constructor(public value: number | null = null) {}
  add(values: readonly unknown[]): void {
    this.add1(values[0] ?? null);
  }
  add1(v: unknown): void {
    if (v === null) return;
    this.value = this.value === null ? (v as number) : this.value * (v as number);
  }
  merge(o: Accumulator): void {
    this.add1((o as ProductAcc).value);
  }
  result(): unknown {
    return this.value;
  }
  toState(): unknown {
    return valueToJson(this.value, T.double);
  }
}

defineAggregate('product', 1, 1, (args, ctx) => {
  const a = coerceArg('product', args, 0, T.double, ctx);
  return spec(
    T.double,
    true,
    [a],
    () => new ProductAcc(),
    (s) => new ProductAcc(valueFromJson(s, T.double) as number | null),
  );
});

defineAggregate('regr_count', 2, 2, (args, ctx) => {
  const a = coerceArg('regr_count', args, 0, 'numeric', ctx);
  const b = coerceArg('regr_count', args, 1, 'numeric', ctx);
  return spec(
    T.long,
    false,
    [a, b],
    () => new CountAcc(),
    (s) => new CountAcc(s as number),
  );
});
