/**
 * Binding of SQL operators: arithmetic (with Spark's overflow and divide-by-zero rules), comparisons,
 * three-valued AND/OR/NOT, bitwise operators, string concatenation and date/time arithmetic.
 */
import { AnalysisError } from '../errors.js';
import { addMonthsToDate, addMonthsToTimestamp } from '../functions/datetime-util.js';
import { castExpr, makeCall, typeMismatch } from '../functions/registry.js';
import type { DataType } from '../types/data-type.js';
import type { Decimal } from '../types/decimal.js';
import { Interval, MICROS_PER_DAY } from '../types/interval.js';
import {
  bigOf,
  canonicalLong,
  type Long,
  longAdd,
  longDiv,
  longMultiply,
  longNegate,
  longPmod,
  longRemainder,
  longSubtract,
} from '../types/long.js';
import { isIntegral, isNumeric, isPrimitiveComparable, sqlTypeName, T } from '../types/types.js';
import type { BoundExpr, CallImpl } from './bound.js';
import type { CodeGen } from './codegen.js';
import { type ArithmeticOp, comparisonType, decimalResultType, widerNumeric } from './coercion.js';
import { makeComparator } from './compare.js';
import { arithmeticOverflow, divideByZero, longOverflow, numericOutOfRange } from './runtime-errors.js';

const INT_BOUNDS: Record<string, [number, number, string]> = {
  byte: [-128, 127, 'tinyint'],
  short: [-32768, 32767, 'smallint'],
  int: [-2147483648, 2147483647, 'integer'],
};

function wrapTo(kind: string, v: number): number {
  if (kind === 'byte') return (v << 24) >> 24;
  if (kind === 'short') return (v << 16) >> 16;
  return v | 0;
}

const OP_HINT: Record<string, string> = {
  add: 'try_add',
  subtract: 'try_subtract',
  multiply: 'try_multiply',
  divide: 'try_divide',
  remainder: 'try_remainder',
  div: 'try_divide',
};

/** The implementation of an arithmetic operator on non-null values of the (already coerced) type t. */
export function arithmeticImpl(op: ArithmeticOp, t: DataType, ansi: boolean): CallImpl {
  const hint = OP_HINT[op] ?? 'try_add';
  if (t.kind === 'decimal') {
    const { precision, scale } = t;
    const fit = (d: Decimal): Decimal | null => {
      const r = d.toPrecision(precision, scale);
      if (r === null && ansi) throw numericOutOfRange(d.toString(), precision, scale);
      return r;
    };
    switch (op) {
      case 'add':
        return { fn: (a: Decimal, b: Decimal) => fit(a.add(b)) };
      case 'subtract':
        return { fn: (a: Decimal, b: Decimal) => fit(a.subtract(b)) };
      case 'multiply':
        return { fn: (a: Decimal, b: Decimal) => fit(a.multiply(b)) };
      case 'divide':
        return {
          fn: (a: Decimal, b: Decimal) => {
            if (b.signum() === 0) {
              if (ansi) throw divideByZero();
              return null;
            }
            return fit(a.divide(b, scale));
          },
        };
      case 'remainder':
        return {
          fn: (a: Decimal, b: Decimal) => {
            if (b.signum() === 0) {
              if (ansi) throw divideByZero();
              return null;
            }
            return fit(a.remainder(b));
          },
        };
      case 'pmod':
        return {
          fn: (a: Decimal, b: Decimal) => {
            if (b.signum() === 0) {
              if (ansi) throw divideByZero();
              return null;
            }
            let r = a.remainder(b);
            if (r.signum() < 0) r = r.add(b.abs());
            return fit(r);
          },
        };
      case 'div':
        return {
          fn: (a: Decimal, b: Decimal) => {
            if (b.signum() === 0) {
              if (ansi) throw divideByZero();
              return null;
            }
            return Number(a.quotient(b));
          },
        };
    }
  }
  const zeroCheck = (b: number): boolean => {
    if (b === 0) {
      if (ansi) throw divideByZero();
      return true;
    }
    return false;
  };
  if (t.kind === 'long' && (op === 'div' || op === 'remainder' || op === 'pmod')) {
    const overflow = longOverflow(ansi, hint);
    if (op === 'div')
      return { fn: (a: Long, b: Long) => (zeroCheck(b as number) ? null : longDiv(a, b, overflow)) };
    const f = op === 'pmod' ? longPmod : longRemainder;
    return { fn: (a: Long, b: Long) => (zeroCheck(b as number) ? null : f(a, b)) };
  }
  if (op === 'div') {
    return { fn: (a: number, b: number) => (zeroCheck(b) ? null : Math.trunc(a / b) || 0) };
  }
  if (op === 'divide') {
    return { fn: (a: number, b: number) => (zeroCheck(b) ? null : a / b) };
  }
  if (op === 'remainder' || op === 'pmod') {
    const f = t.kind === 'float' ? Math.fround : (x: number) => x;
    if (op === 'pmod')
      return {
        fn: (a: number, b: number) => {
          if (zeroCheck(b)) return null;
          const r = a % b;
          return f(r < 0 ? (r + b) % b : r) || 0;
        },
      };
    return { fn: (a: number, b: number) => (zeroCheck(b) ? null : f(a % b) || 0) };
  }
  const js = op === 'add' ? '+' : op === 'subtract' ? '-' : '*';
  switch (t.kind) {
    case 'double':
      return { inline: ([a, b]) => `(${a} ${js} ${b})` };
    case 'float':
      return { inline: ([a, b]) => `Math.fround(${a} ${js} ${b})` };
    case 'long': {
      // Exact 64-bit results (docs/decisions/0006-exact-longs.md): number fast path, BigInt beyond.
      const overflow = longOverflow(ansi, hint);
      const f = op === 'add' ? longAdd : op === 'subtract' ? longSubtract : longMultiply;
      const fn = (a: Long, b: Long) => f(a, b, overflow);
      return { inline: ([a, b], g) => `${g.constant(fn)}(${a}, ${b})` };
    }
    default: {
      const [lo, hi, name] = INT_BOUNDS[t.kind] ?? INT_BOUNDS.int!;
      const kind = t.kind;
      if (ansi) {
        const check = (r: number): number => {
          if (r > hi || r < lo) throw arithmeticOverflow(name, hint);
          return r;
        };
        return { inline: ([a, b], g) => `${g.constant(check)}(${a} ${js} ${b})` };
      }
      if (kind === 'int') {
        if (op === 'multiply') return { inline: ([a, b]) => `Math.imul(${a}, ${b})` };
        return { inline: ([a, b]) => `((${a} ${js} ${b}) | 0)` };
      }
      const wrap = (r: number) => wrapTo(kind, r);
      return {
        inline: ([a, b], g) =>
          op === 'multiply'
            ? `${g.constant(wrap)}(Math.imul(${a}, ${b}))`
            : `${g.constant(wrap)}(${a} ${js} ${b})`,
      };
    }
  }
}

const OP_NAMES: Record<string, ArithmeticOp> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '%': 'remainder',
  div: 'div',
};

function promoteStringForArithmetic(e: BoundExpr, other: BoundExpr, ansi: boolean): BoundExpr {
  if (e.dataType.kind !== 'string' && e.dataType.kind !== 'null') return e;
  if (e.dataType.kind === 'null')
    return castExpr(e, isNumeric(other.dataType) ? other.dataType : T.double, ansi);
  if (other.dataType.kind === 'interval') return castExpr(e, T.interval, ansi);
  if (other.dataType.kind === 'date' || other.dataType.kind === 'timestamp') {
    return castExpr(e, isNumeric(other.dataType) ? T.long : T.int, ansi);
  }
  return castExpr(e, ansi && isIntegral(other.dataType) ? T.long : T.double, ansi);
}

function binarySql(op: string, l: BoundExpr, r: BoundExpr): string {
  return `(${l.sql} ${op} ${r.sql})`;
}

/** `a + b`, `a - b`, `a * b`, `a / b`, `a % b`, `a div b` with Spark's typing. */
export function bindArithmetic(opText: string, l: BoundExpr, r: BoundExpr, ansi: boolean): BoundExpr {
  const op = OP_NAMES[opText]!;
  const sql = binarySql(opText, l, r);
  const lt = l.dataType.kind;
  const rt = r.dataType.kind;
  // Date and time arithmetic.
  if (op === 'add' || op === 'subtract') {
    const sign = op === 'add' ? 1 : -1;
    if (lt === 'date' && (isIntegral(r.dataType) || rt === 'null')) {
      const rr = castExpr(r, T.int, ansi);
      return makeCall(
        op === 'add' ? 'date_add' : 'date_sub',
        [l, rr],
        T.date,
        { inline: ([a, b]) => `(${a} ${op === 'add' ? '+' : '-'} ${b})` },
        { sql },
      );
    }
    if (op === 'add' && rt === 'date' && isIntegral(l.dataType)) {
      return makeCall(
        'date_add',
        [r, castExpr(l, T.int, ansi)],
        T.date,
        { inline: ([a, b]) => `(${a} + ${b})` },
        { sql },
      );
    }
    if ((lt === 'timestamp' || lt === 'date') && rt === 'interval') {
      const daysOnly = r.kind === 'literal' && r.value instanceof Interval && r.value.micros === 0;
      if (lt === 'date' && daysOnly) {
        const fn = (d: number, i: Interval) => addMonthsToDate(d, sign * i.months) + sign * i.days;
        return makeCall('date_add_interval', [l, r], T.date, { fn }, { sql });
      }
      const ll = castExpr(l, T.timestamp, ansi);
      const fn = (ts: number, i: Interval) =>
        addMonthsToTimestamp(ts, sign * i.months) + sign * (i.days * MICROS_PER_DAY + i.micros);
      return makeCall(
        sign === 1 ? 'timestamp_add_interval' : 'timestamp_sub_interval',
        [ll, r],
        T.timestamp,
        { fn },
        { sql },
      );
    }
    if (op === 'add' && lt === 'interval' && (rt === 'timestamp' || rt === 'date')) {
      return bindArithmetic('+', r, l, ansi);
    }
    if (lt === 'interval' && rt === 'interval') {
      const fn =
        op === 'add'
          ? (a: Interval, b: Interval) => a.add(b)
          : (a: Interval, b: Interval) => a.add(b.negate());
      return makeCall(op, [l, r], T.interval, { fn }, { sql });
    }
    if (op === 'subtract' && lt === 'timestamp' && (rt === 'timestamp' || rt === 'date')) {
      const rr = castExpr(r, T.timestamp, ansi);
      return makeCall(
        'timestamp_diff',
        [l, rr],
        T.interval,
        { fn: (a: number, b: number) => new Interval(0, 0, a - b) },
        { sql },
      );
    }
    if (op === 'subtract' && lt === 'date' && rt === 'timestamp') {
      return makeCall(
        'timestamp_diff',
        [castExpr(l, T.timestamp, ansi), r],
        T.interval,
        { fn: (a: number, b: number) => new Interval(0, 0, a - b) },
        { sql },
      );
    }
    if (op === 'subtract' && lt === 'date' && rt === 'date') {
      return makeCall(
        'date_diff',
        [l, r],
        T.interval,
        { fn: (a: number, b: number) => new Interval(0, a - b, 0) },
        { sql },
      );
    }
  }
  if ((op === 'multiply' || op === 'divide') && (lt === 'interval' || rt === 'interval')) {
    const [iv, n] = lt === 'interval' ? [l, r] : [r, l];
    if (isNumeric(n.dataType) && !(op === 'divide' && lt !== 'interval')) {
      const nn = castExpr(n, T.double, ansi);
      const fn =
        op === 'multiply'
          ? (i: Interval, k: number) =>
              new Interval(Math.trunc(i.months * k), Math.trunc(i.days * k), Math.round(i.micros * k))
          : (i: Interval, k: number) => {
              if (k === 0) {
                if (ansi) throw divideByZero();
                return null;
              }
              return new Interval(Math.trunc(i.months / k), Math.trunc(i.days / k), Math.round(i.micros / k));
            };
      return makeCall(op, [iv, nn], T.interval, { fn }, { sql });
    }
  }
  let a = promoteStringForArithmetic(l, r, ansi);
  let b = promoteStringForArithmetic(r, a, ansi);
  a = promoteStringForArithmetic(a, b, ansi);
  if (!isNumeric(a.dataType) || !isNumeric(b.dataType)) {
    if (a.dataType.kind === b.dataType.kind) {
      throw typeMismatch(
        sql,
        `the binary operator requires the input type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"), not "${sqlTypeName(a.dataType)}"`,
        'BINARY_OP_WRONG_TYPE',
      );
    }
    throw typeMismatch(
      sql,
      `the left and right operands of the binary operator have incompatible types ("${sqlTypeName(l.dataType)}" and "${sqlTypeName(r.dataType)}")`,
      'BINARY_OP_DIFF_TYPES',
    );
  }
  let operandType: DataType;
  let resultType: DataType;
  const anyDecimal = a.dataType.kind === 'decimal' || b.dataType.kind === 'decimal';
  const anyFloat =
    ['float', 'double'].includes(a.dataType.kind) || ['float', 'double'].includes(b.dataType.kind);
  if (anyDecimal && !anyFloat) {
    const ta = decimalOperandType(a);
    const tb = decimalOperandType(b);
    a = castExpr(a, ta, ansi);
    b = castExpr(b, tb, ansi);
    resultType = decimalResultType(op, ta, tb);
    if (op === 'div') {
      return makeCall('div', [a, b], T.long, arithmeticImpl('div', ta, ansi), { sql, nullable: true });
    }
    return makeCall(op, [a, b], resultType, arithmeticImpl(op, resultType, ansi), {
      sql,
      nullable: a.nullable || b.nullable || !ansi || op === 'divide' || op === 'remainder',
    });
  }
  if (op === 'divide') {
    operandType = T.double;
    resultType = T.double;
  } else if (op === 'div') {
    operandType = anyFloat ? T.double : T.long;
    resultType = T.long;
  } else {
    operandType = widerNumeric(a.dataType, b.dataType);
    resultType = operandType;
  }
  a = castExpr(a, operandType, ansi);
  b = castExpr(b, operandType, ansi);
  const nullable = !!(a.nullable || b.nullable || op === 'divide' || op === 'remainder' || op === 'div');
  return makeCall(op, [a, b], resultType, arithmeticImpl(op, operandType, ansi), {
    sql,
    nullable: nullable || (!ansi && false),
  });
}

function decimalOperandType(e: BoundExpr): DataType {
  if (e.dataType.kind === 'decimal') return e.dataType;
  if (e.kind === 'literal' && typeof e.value === 'number' && Number.isInteger(e.value)) {
    const digits = Math.abs(e.value).toString().length;
    return { kind: 'decimal', precision: Math.max(1, digits), scale: 0 };
  }
  switch (e.dataType.kind) {
    case 'byte':
      return { kind: 'decimal', precision: 3, scale: 0 };
    case 'short':
      return { kind: 'decimal', precision: 5, scale: 0 };
    case 'int':
      return { kind: 'decimal', precision: 10, scale: 0 };
    default:
      return { kind: 'decimal', precision: 20, scale: 0 };
  }
}

export type ComparisonOp = '=' | '<' | '<=' | '>' | '>=' | '!=' | '<=>';

const CMP_NAMES: Record<string, string> = {
  '=': 'equalto',
  '==': 'equalto',
  '<=>': 'equalnullsafe',
  '!=': 'notequal',
  '<>': 'notequal',
  '<': 'lessthan',
  '<=': 'lessthanorequal',
  '>': 'greaterthan',
  '>=': 'greaterthanorequal',
};

function cmpOp(op: string): string {
  return op === '==' ? '=' : op === '<>' ? '!=' : op;
}

/** The comparison `(a op b)` of non-null JS expressions a and b of type t. */
export function comparisonCode(op: string, t: DataType, a: string, b: string, g: CodeGen): string {
  const o = cmpOp(op);
  if (isPrimitiveComparable(t)) {
    if (o === '=' || o === '<=>') return `(${a} === ${b})`;
    if (o === '!=') return `(${a} !== ${b})`;
    return `(${a} ${o} ${b})`;
  }
  if (t.kind === 'float' || t.kind === 'double') {
    // A numeric literal on the right is never NaN: only the left side needs the NaN rule.
    if (/^\(?-?[0-9.e+]+\)?$/.test(b)) {
      switch (o) {
        case '=':
        case '<=>':
          return `(${a} === ${b})`;
        case '!=':
          return `(${a} !== ${b})`;
        case '<':
        case '<=':
          return `(${a} ${o} ${b})`;
        case '>':
        case '>=':
          return `(${a} ${o} ${b} || ${a} !== ${a})`;
      }
    }
    switch (o) {
      case '=':
      case '<=>':
        return `(${a} === ${b} || (${a} !== ${a} && ${b} !== ${b}))`;
      case '!=':
        return `!(${a} === ${b} || (${a} !== ${a} && ${b} !== ${b}))`;
      case '<':
        return `(${a} < ${b} || (${b} !== ${b} && ${a} === ${a}))`;
      case '<=':
        return `(${a} <= ${b} || ${b} !== ${b})`;
      case '>':
        return `(${a} > ${b} || (${a} !== ${a} && ${b} === ${b}))`;
      case '>=':
        return `(${a} >= ${b} || ${a} !== ${a})`;
    }
  }
  const cmp = g.constant(makeComparator(t));
  switch (o) {
    case '=':
    case '<=>':
      return `(${cmp}(${a}, ${b}) === 0)`;
    case '!=':
      return `(${cmp}(${a}, ${b}) !== 0)`;
    default:
      return `(${cmp}(${a}, ${b}) ${o} 0)`;
  }
}

/** Casts both sides of a comparison to their common type. */
export function coerceComparison(
  opText: string,
  l: BoundExpr,
  r: BoundExpr,
  ansi: boolean,
): [BoundExpr, BoundExpr, DataType] {
  const t = comparisonType(l.dataType, r.dataType, ansi);
  if (!t || t.kind === 'map') {
    throw typeMismatch(
      binarySql(opText, l, r),
      t
        ? `the binary operator requires the input type "ORDERABLE", not "${sqlTypeName(t)}"`
        : `the left and right operands of the binary operator have incompatible types ("${sqlTypeName(l.dataType)}" and "${sqlTypeName(r.dataType)}")`,
      t ? 'BINARY_OP_WRONG_TYPE' : 'BINARY_OP_DIFF_TYPES',
    );
  }
  return [castExpr(l, t, ansi), castExpr(r, t, ansi), t];
}

/** `a = b`, `a < b`, ..., `a <=> b`. */
export function bindComparison(opText: string, l: BoundExpr, r: BoundExpr, ansi: boolean): BoundExpr {
  const [a, b, t] = coerceComparison(opText, l, r, ansi);
  const sql = binarySql(opText === '==' ? '=' : opText, l, r);
  const name = CMP_NAMES[opText] ?? 'compare';
  if (opText === '<=>') {
    const impl: CallImpl = {
      gen: (g, [x, y]) => {
        const av = g.expr(x!);
        const bv = g.expr(y!);
        const v = g.fresh();
        g.emit(
          `const ${v} = (${av} === null || ${bv} === null) ? (${av} === ${bv}) : ${comparisonCode('=', t, av, bv, g)};`,
        );
        return v;
      },
    };
    return makeCall(name, [a, b], T.boolean, impl, { sql, nullable: false });
  }
  return makeCall(
    name,
    [a, b],
    T.boolean,
    { inline: ([x, y], g) => comparisonCode(opText, t, x!, y!, g) },
    { sql },
  );
}

function requireBoolean(e: BoundExpr, sql: string, ansi: boolean, position: string): BoundExpr {
  if (e.dataType.kind === 'boolean') return e;
  if (e.dataType.kind === 'null' || e.dataType.kind === 'string') return castExpr(e, T.boolean, ansi);
  throw typeMismatch(
    sql,
    `the binary operator requires the input type "BOOLEAN", not "${sqlTypeName(e.dataType)}"`,
    position === 'not' ? 'UNEXPECTED_INPUT_TYPE' : 'BINARY_OP_WRONG_TYPE',
  );
}

/** Three-valued AND / OR with short-circuit evaluation. */
export function bindLogical(op: 'and' | 'or', l: BoundExpr, r: BoundExpr, ansi: boolean): BoundExpr {
  const sql = `(${l.sql} ${op.toUpperCase()} ${r.sql})`;
  const a = requireBoolean(l, sql, ansi, op);
  const b = requireBoolean(r, sql, ansi, op);
  const stop = op === 'and' ? 'false' : 'true';
  const impl: CallImpl = {
    gen: (g, [x, y]) => {
      const v = g.fresh();
      const av = g.expr(x!);
      g.emit(`let ${v} = ${av};`);
      g.emit(`if (${v} !== ${stop}) {`);
      const bv = g.expr(y!);
      g.emit(
        `${v} = ${bv} === ${stop} ? ${stop} : (${v} === null || ${bv} === null) ? null : ${op === 'and' ? 'true' : 'false'};`,
      );
      g.emit('}');
      return v;
    },
  };
  return makeCall(op, [a, b], T.boolean, impl, { sql, nullable: a.nullable || b.nullable });
}

export function bindNot(e: BoundExpr, ansi: boolean): BoundExpr {
  const sql = `(NOT ${e.sql})`;
  const a = requireBoolean(e, sql, ansi, 'not');
  return makeCall('not', [a], T.boolean, { inline: ([x]) => `!${x}` }, { sql });
}

/** Unary minus with ANSI overflow of the minimum integral value. */
export function bindNegate(e: BoundExpr, ansi: boolean): BoundExpr {
  const sql = `(- ${e.sql})`;
  let a = e;
  if (a.dataType.kind === 'string' || a.dataType.kind === 'null') a = castExpr(a, T.double, ansi);
  switch (a.dataType.kind) {
    case 'decimal':
      return makeCall('negative', [a], a.dataType, { fn: (d: Decimal) => d.negate() }, { sql });
    case 'interval':
      return makeCall('negative', [a], a.dataType, { fn: (i: Interval) => i.negate() }, { sql });
    case 'double':
    case 'float':
      return makeCall('negative', [a], a.dataType, { inline: ([x]) => `(-${x})` }, { sql });
    case 'long': {
      const overflow = longOverflow(ansi, 'try_subtract');
      return makeCall('negative', [a], a.dataType, { fn: (x: Long) => longNegate(x, overflow) }, { sql });
    }
    case 'byte':
    case 'short':
    case 'int': {
      const kind = a.dataType.kind;
      const min = INT_BOUNDS[kind]![0];
      const name = INT_BOUNDS[kind]![2];
      const fn = (x: number) => {
        if (x === min) {
          if (ansi) throw arithmeticOverflow(name, 'try_subtract');
          return x;
        }
        return x === 0 ? 0 : -x;
      };
      return makeCall('negative', [a], a.dataType, { fn }, { sql });
    }
    default:
      throw typeMismatch(
        sql,
        `The first parameter requires the ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL") type, however "${e.sql}" has the type "${sqlTypeName(e.dataType)}"`,
      );
  }
}

/** `&`, `|`, `^`, `~` on integral types. */
export function bindBitwise(op: '&' | '|' | '^' | '~', l: BoundExpr, r: BoundExpr | null): BoundExpr {
  if (r === null) {
    if (!isIntegral(l.dataType))
      throw typeMismatch(
        `~${l.sql}`,
        `The first parameter requires the "INTEGRAL" type, however "${l.sql}" has the type "${sqlTypeName(l.dataType)}"`,
      );
    const isLong = l.dataType.kind === 'long';
    return makeCall(
      '~',
      [l],
      l.dataType,
      isLong ? { fn: (x: Long) => canonicalLong(~bigOf(x)) } : { inline: ([x]) => `(~${x})` },
      {
        sql: `~${l.sql}`,
      },
    );
  }
  const sql = binarySql(op, l, r);
  if (!isIntegral(l.dataType) || !isIntegral(r.dataType)) {
    throw typeMismatch(
      sql,
      `the binary operator requires the input type "INTEGRAL", not "${sqlTypeName(isIntegral(l.dataType) ? r.dataType : l.dataType)}"`,
      'BINARY_OP_WRONG_TYPE',
    );
  }
  const t = widerNumeric(l.dataType, r.dataType);
  const a = castExpr(l, t, false);
  const b = castExpr(r, t, false);
  if (t.kind === 'long') {
    const f =
      op === '&'
        ? (x: Long, y: Long) => canonicalLong(bigOf(x) & bigOf(y))
        : op === '|'
          ? (x: Long, y: Long) => canonicalLong(bigOf(x) | bigOf(y))
          : (x: Long, y: Long) => canonicalLong(bigOf(x) ^ bigOf(y));
    return makeCall(op, [a, b], t, { fn: f }, { sql });
  }
  return makeCall(op, [a, b], t, { inline: ([x, y]) => `(${x} ${op} ${y})` }, { sql });
}

export function unsupportedOperator(op: string): AnalysisError {
  return new AnalysisError('UNSUPPORTED_FEATURE', `The operator ${op} is not supported.`);
}
