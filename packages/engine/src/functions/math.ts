/** Math functions with Spark's result types and rounding (HALF_UP for round, HALF_EVEN for bround). */
import { ExecutionError } from '../errors.js';
import type { BoundExpr } from '../expr/bound.js';
import { compileExpr } from '../expr/codegen.js';
import { bindArithmetic, bindNegate } from '../expr/operators.js';
import { Decimal } from '../types/decimal.js';
import { canonicalLong, type Long, longAbs, longOverflowRule, longPmod } from '../types/long.js';
import { decimalType, isIntegral, T } from '../types/types.js';
import {
  coerceArgs,
  constantArg,
  defineScalar,
  intConstantArg,
  makeCall,
  registerFunction,
} from './registry.js';

const dbl = T.double;

function unaryDouble(name: string, f: (x: number) => number | null, ...aliases: string[]): void {
  defineScalar(
    name,
    {
      args: [dbl],
      ret: dbl,
      fn: f,
      nullable: (a) => a.some((x) => x.nullable) || f(-1) === null || f(0) === null,
    },
    ...aliases,
  );
}

unaryDouble('sqrt', Math.sqrt);
unaryDouble('cbrt', Math.cbrt);
unaryDouble('exp', Math.exp);
unaryDouble('expm1', Math.expm1);
unaryDouble('ln', (x) => (x <= 0 ? null : Math.log(x)));
unaryDouble('log10', (x) => (x <= 0 ? null : Math.log10(x)));
unaryDouble('log2', (x) => (x <= 0 ? null : Math.log2(x)));
unaryDouble('log1p', (x) => (x <= -1 ? null : Math.log1p(x)));
unaryDouble('sin', Math.sin);
unaryDouble('cos', Math.cos);
unaryDouble('tan', Math.tan);
unaryDouble('asin', Math.asin);
unaryDouble('acos', Math.acos);
unaryDouble('atan', Math.atan);
unaryDouble('sinh', Math.sinh);
unaryDouble('cosh', Math.cosh);
unaryDouble('tanh', Math.tanh);
unaryDouble('asinh', Math.asinh);
unaryDouble('acosh', Math.acosh);
unaryDouble('atanh', Math.atanh);
unaryDouble('cot', (x) => 1 / Math.tan(x));
unaryDouble('sec', (x) => 1 / Math.cos(x));
unaryDouble('csc', (x) => 1 / Math.sin(x));
unaryDouble('degrees', (x) => (x * 180) / Math.PI);
unaryDouble('radians', (x) => (x * Math.PI) / 180);
unaryDouble('rint', (x) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
});

defineScalar('log', {
  args: [dbl, dbl],
  min: 1,
  max: 2,
  ret: dbl,
  nullable: true,
  fn: (a: number, b?: number) => {
    if (b === undefined) return a <= 0 ? null : Math.log(a);
    if (a <= 0 || b <= 0) return null;
    return Math.log(b) / Math.log(a);
  },
});
defineScalar('pow', { args: [dbl, dbl], ret: dbl, fn: Math.pow }, 'power');
defineScalar('atan2', { args: [dbl, dbl], ret: dbl, fn: Math.atan2 });
defineScalar('hypot', { args: [dbl, dbl], ret: dbl, fn: Math.hypot });
defineScalar('pi', { args: [], ret: dbl, fn: () => Math.PI, nullable: false });
defineScalar('e', { args: [], ret: dbl, fn: () => Math.E, nullable: false });
defineScalar(
  'signum',
  { args: [dbl], ret: dbl, fn: (x: number) => (Number.isNaN(x) ? Number.NaN : Math.sign(x) || 0) },
  'sign',
);
defineScalar('isnan', {
  args: [dbl],
  ret: T.boolean,
  nulls: 'raw',
  nullable: false,
  fn: (x: number | null) => x !== null && Number.isNaN(x),
});

registerFunction({
  name: 'abs',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: (raw, ctx) => {
    const [a] = coerceArgs('abs', raw, ['numeric'], ctx);
    const t = a!.dataType;
    if (t.kind === 'decimal') return makeCall('abs', [a!], t, { fn: (d: Decimal) => d.abs() });
    if (t.kind === 'long') {
      const overflow = longOverflowRule(
        ctx.ansi,
        () =>
          new ExecutionError(
            'ARITHMETIC_OVERFLOW',
            'long overflow. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.',
          ),
      );
      return makeCall('abs', [a!], t, { fn: (x: Long) => longAbs(x, overflow) });
    }
    if (isIntegral(t) && ctx.ansi) {
      const min = t.kind === 'int' ? -2147483648 : t.kind === 'short' ? -32768 : -128;
      return makeCall('abs', [a!], t, {
        fn: (x: number) => {
          if (x === min)
            throw new ExecutionError(
              'ARITHMETIC_OVERFLOW',
              `${t.kind} overflow. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
            );
          return Math.abs(x);
        },
      });
    }
    return makeCall('abs', [a!], t, { inline: ([x]) => `Math.abs(${x})` });
  },
});

for (const [name, mode] of [
  ['ceil', 'ceil'],
  ['ceiling', 'ceil'],
  ['floor', 'floor'],
] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 1,
    maxArgs: 2,
    bind: (raw, ctx) => {
      const [a] = coerceArgs(name, [raw[0]!], ['numeric'], ctx);
      const t = a!.dataType;
      // Rounding at 10^400 already gives 0 for every double, long and decimal, and no double has more
      // than 1100 decimal places: a scale beyond these bounds changes nothing but the cost (2^31 would
      // ask for a BigInt of two billion digits).
      const scale = Math.min(1100, Math.max(-400, raw[1] ? intConstantArg(name, raw[1]) : 0));
      const f = mode === 'ceil' ? Math.ceil : Math.floor;
      if (t.kind === 'decimal') {
        const s = Math.min(scale, t.scale);
        const rt = decimalType(Math.min(38, t.precision - t.scale + 1 + Math.max(s, 0)), Math.max(s, 0));
        const fn = (d: Decimal) => {
          const down = d.setScaleDown(Math.max(s, 0));
          const needs = d.compare(down) !== 0 && (mode === 'ceil' ? d.signum() > 0 : d.signum() < 0);
          const r = needs ? down.add(new Decimal(mode === 'ceil' ? 1n : -1n, down.scale)) : down;
          return r.setScale(rt.kind === 'decimal' ? rt.scale : 0);
        };
        return makeCall(name, [a!], rt, { fn });
      }
      if (raw[1] && scale !== 0) {
        const k = 10 ** scale;
        return makeCall(name, [castTo(a!, dbl, ctx.ansi)], dbl, { fn: (x: number) => f(x * k) / k });
      }
      if (isIntegral(t))
        return makeCall(name, [castTo(a!, T.long, ctx.ansi)], T.long, { fn: (x: number) => x });
      return makeCall(name, [castTo(a!, dbl, ctx.ansi)], T.long, {
        inline: ([x]) => `(${f === Math.ceil ? 'Math.ceil' : 'Math.floor'}(${x}) || 0)`,
      });
    },
  });
}

function castTo(e: BoundExpr, t: typeof dbl | typeof T.long, ansi: boolean): BoundExpr {
  return coerceArgs('cast', [e], [t], { ansi })[0]!;
}

/** round / bround: HALF_UP or HALF_EVEN on the exact decimal text of the value (as Spark's BigDecimal). */
function roundDecimal(d: Decimal, scale: number, halfEven: boolean): Decimal {
  if (scale >= d.scale) return d;
  const down = d.setScaleDown(scale);
  const diff = d.subtract(down).abs();
  const half = new Decimal(5n, scale + 1);
  const c = diff.compare(half);
  const away = () => down.add(new Decimal(BigInt(d.signum()), scale));
  if (c > 0 || (c === 0 && !halfEven)) return away();
  if (c < 0) return down;
  return down.unscaled % 2n === 0n ? down : away();
}

for (const [name, halfEven] of [
  ['round', false],
  ['bround', true],
] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 1,
    maxArgs: 2,
    bind: (raw, ctx) => {
      const [a] = coerceArgs(name, [raw[0]!], ['numeric'], ctx);
      // Rounding at 10^400 already gives 0 for every double, long and decimal, and no double has more
      // than 1100 decimal places: a scale beyond these bounds changes nothing but the cost (2^31 would
      // ask for a BigInt of two billion digits).
      const scale = Math.min(1100, Math.max(-400, raw[1] ? intConstantArg(name, raw[1]) : 0));
      const t = a!.dataType;
      const sql = `${name}(${raw[0]!.sql}, ${raw[1]?.sql ?? '0'})`;
      if (t.kind === 'decimal') {
        const intDigits = t.precision - t.scale + 1;
        const rt =
          scale < 0
            ? decimalType(Math.min(38, Math.max(intDigits, -scale + 1)), 0)
            : decimalType(Math.min(38, intDigits + Math.min(t.scale, scale)), Math.min(t.scale, scale));
        const s = rt.kind === 'decimal' ? rt.scale : 0;
        const fn = (d: Decimal) => {
          if (scale < 0) {
            const shifted = new Decimal(d.unscaled, d.scale - scale);
            const r = roundDecimal(shifted, 0, halfEven);
            return new Decimal(r.unscaled, -scale).setScale(0);
          }
          return roundDecimal(d, scale, halfEven).setScale(s);
        };
        return makeCall(name, [a!], rt, { fn }, { sql });
      }
      if (isIntegral(t)) {
        if (scale >= 0) return makeCall(name, [a!], t, { inline: ([x]) => x! }, { sql });
        const fn = (x: number) => {
          if (scale < -19) return 0; // past every digit of a long
          const r = roundDecimal(new Decimal(BigInt(x), -scale), 0, halfEven);
          return Number(r.unscaled) * 10 ** -scale;
        };
        return makeCall(name, [a!], t, { fn }, { sql });
      }
      const fn = (x: number) => {
        if (!Number.isFinite(x)) return x;
        const r = roundDecimal(Decimal.fromNumber(x), Math.max(scale, 0), halfEven);
        if (scale >= 0) return r.toNumber();
        if (scale < -309) return 0; // past every digit of a double
        const shifted = new Decimal(Decimal.fromNumber(x).unscaled, Decimal.fromNumber(x).scale - scale);
        return roundDecimal(shifted, 0, halfEven).toNumber() * 10 ** -scale;
      };
      return makeCall(name, [a!], t.kind === 'float' ? T.float : dbl, { fn }, { sql });
    },
  });
}

registerFunction({
  name: 'pmod',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (args, ctx) => {
    const r = bindArithmetic('%', args[0]!, args[1]!, ctx.ansi);
    if (r.kind !== 'call') return r;
    const t = r.args[0]!.dataType;
    const fn =
      t.kind === 'decimal'
        ? (a: Decimal, b: Decimal) => {
            if (b.signum() === 0) return null;
            // Spark's Pmod: r = a % n; r < 0 ? (r + n) % n : r (n keeps its sign).
            const m = a.remainder(b);
            return m.signum() < 0 ? m.add(b).remainder(b) : m;
          }
        : t.kind === 'long'
          ? (a: Long, b: Long) => (b === 0 ? null : longPmod(a, b))
          : (a: number, b: number) => {
              if (b === 0) return null;
              const m = a % b;
              return (m < 0 ? (m + b) % b : m) || 0;
            };
    return makeCall(
      'pmod',
      r.args,
      r.dataType,
      { fn },
      { nullable: true, sql: `pmod(${args[0]!.sql}, ${args[1]!.sql})` },
    );
  },
});

registerFunction({
  name: 'mod',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (args, ctx) =>
    ({
      ...bindArithmetic('%', args[0]!, args[1]!, ctx.ansi),
      sql: `mod(${args[0]!.sql}, ${args[1]!.sql})`,
    }) as BoundExpr,
});

for (const [name, op] of [
  ['try_add', '+'],
  ['try_subtract', '-'],
  ['try_multiply', '*'],
  ['try_divide', '/'],
  ['try_mod', '%'],
] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 2,
    maxArgs: 2,
    bind: (args) => {
      const [l, r] = args as [BoundExpr, BoundExpr];
      const ref = (i: number, e: BoundExpr): BoundExpr => ({
        kind: 'ref',
        index: i,
        name: `_${i}`,
        qualifier: [],
        dataType: e.dataType,
        nullable: true,
        sql: e.sql,
      });
      const inner = bindArithmetic(op, ref(0, l), ref(1, r), true);
      const f = compileExpr(inner);
      const fn = (a: unknown, b: unknown) => {
        try {
          return f([a, b]);
        } catch (e) {
          if (e instanceof ExecutionError) return null;
          throw e;
        }
      };
      return makeCall(name, [l, r], inner.dataType, { fn, nulls: 'raw' }, { nullable: true });
    },
  });
}

registerFunction({
  name: 'positive',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: (args, ctx) => {
    const [a] = coerceArgs('positive', args, ['numeric'], ctx);
    return { ...a!, sql: `(+ ${args[0]!.sql})` } as BoundExpr;
  },
});
registerFunction({
  name: 'negative',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a], ctx) => ({ ...bindNegate(a!, ctx.ansi), sql: `negative(${a!.sql})` }) as BoundExpr,
});

defineScalar('factorial', {
  args: [T.int],
  ret: T.long,
  nullable: true,
  fn: (n: number) => {
    if (n < 0 || n > 20) return null;
    let r = 1n;
    for (let i = 2n; i <= BigInt(n); i++) r *= i;
    return Number(r);
  },
});

for (const [name, op] of [
  ['shiftleft', (a: bigint, b: bigint, bits: number) => BigInt.asIntN(bits, a << b)],
  ['shiftright', (a: bigint, b: bigint) => a >> b],
  [
    'shiftrightunsigned',
    (a: bigint, b: bigint, bits: number) => BigInt.asIntN(bits, BigInt.asUintN(bits, a) >> b),
  ],
] as const) {
  // Spark keeps int for int input and bigint for bigint input; the shift count is taken modulo the width.
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 2,
    maxArgs: 2,
    bind: (raw, ctx) => {
      const isLong = raw[0]!.dataType.kind === 'long' || raw[0]!.dataType.kind === 'string';
      const t = isLong ? T.long : T.int;
      const args = coerceArgs(name, raw, [t, T.int], ctx);
      const bits = isLong ? 64 : 32;
      const fn = (a: Long, b: number) => canonicalLong(op(BigInt(a), BigInt(b & (bits - 1)), bits));
      return makeCall(name, args, t, { fn });
    },
  });
}
defineScalar('bit_count', {
  args: [T.long],
  ret: T.int,
  fn: (a: Long) => BigInt.asUintN(64, BigInt(a)).toString(2).replace(/0/g, '').length,
});

defineScalar('conv', {
  args: [T.string, T.int, T.int],
  ret: T.string,
  nullable: true,
  fn: (s: string, from: number, to: number) => {
    const fb = Math.abs(from);
    const tb = Math.abs(to);
    if (fb < 2 || fb > 36 || tb < 2 || tb > 36) return null;
    const m = /^(-?)([0-9a-z]+)/i.exec(s.trim());
    if (!m) return null;
    let v = 0n;
    for (const c of m[2]!.toLowerCase()) {
      const d = Number.parseInt(c, 36);
      if (d >= fb) break;
      v = v * BigInt(fb) + BigInt(d);
    }
    v = BigInt.asUintN(64, m[1] ? -v : v);
    if (to < 0 && BigInt.asIntN(64, v) < 0n) return `-${(-BigInt.asIntN(64, v)).toString(tb).toUpperCase()}`;
    return v.toString(tb).toUpperCase();
  },
});

defineScalar('width_bucket', {
  args: [dbl, dbl, dbl, T.long],
  ret: T.long,
  nullable: true,
  fn: (v: number, min: number, max: number, n: number) => {
    if (n <= 0 || min === max || !Number.isFinite(v) || !Number.isFinite(min) || !Number.isFinite(max))
      return null;
    if (min < max) {
      if (v < min) return 0;
      if (v >= max) return n + 1;
      return Math.floor(((v - min) * n) / (max - min)) + 1;
    }
    if (v > min) return 0;
    if (v <= max) return n + 1;
    return Math.floor(((min - v) * n) / (min - max)) + 1;
  },
});

/** A small seeded PRNG (SplitMix32) so `rand(seed)` is reproducible within Sluice (not Spark's XORShift stream). */
function seeded(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}

for (const [name, gauss] of [
  ['rand', false],
  ['random', false],
  ['randn', true],
] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 0,
    maxArgs: 1,
    bind: (args) => {
      const seed = args[0] ? Number(constantArg(name, args[0])) : Math.floor(Math.random() * 2 ** 31);
      const next = seeded(seed);
      const fn = gauss
        ? () => {
            const u = next() || 1e-12;
            const v = next();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
          }
        : next;
      return makeCall(
        name,
        [],
        dbl,
        { fn, nondeterministic: true },
        { nullable: false, sql: args[0] ? `rand(${seed})` : `${name === 'randn' ? 'randn' : 'rand'}()` },
      );
    },
  });
}
