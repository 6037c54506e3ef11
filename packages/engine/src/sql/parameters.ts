import type { Expr, SourceSpan } from '../expr/expression.js';
import type { DataType } from '../types/data-type.js';
import { Decimal, MAX_DECIMAL_PRECISION } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import { T } from '../types/types.js';
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';

/**
 * Parameterized SQL, as Spark's `spark.sql(sqlText, args)`: `:name` markers take values from an
 * object, `?` markers from an array, in order. Each JavaScript value becomes a literal:
 * integer → int (bigint when it does not fit), other number → double, bigint → bigint (decimal
 * beyond 64 bits), string, boolean, null, Date → timestamp, Uint8Array → binary, Decimal, Interval,
 * arrays → `array(...)` of those.
 */
export type SqlParameters = Readonly<Record<string, unknown>> | readonly unknown[];

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function lit(value: unknown, dataType: DataType, span: SourceSpan): Expr {
  return { type: 'literal', value, dataType, span };
}

/** The literal Expr for one argument value; undefined when the value has no SQL literal form. */
export function valueToExpr(value: unknown, span: SourceSpan): Expr | undefined {
  if (value === null) return lit(null, T.null, span);
  switch (typeof value) {
    case 'boolean':
      return lit(value, T.boolean, span);
    case 'string':
      return lit(value, T.string, span);
    case 'number':
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647)
        return lit(value, T.int, span);
      if (Number.isSafeInteger(value)) return lit(value, T.long, span);
      return lit(value, T.double, span);
    case 'bigint': {
      if (value >= LONG_MIN && value <= LONG_MAX) return lit(Number(value), T.long, span);
      const d = new Decimal(value, 0);
      if (d.precision > MAX_DECIMAL_PRECISION) return undefined;
      return lit(d, { kind: 'decimal', precision: d.precision, scale: 0 }, span);
    }
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : lit(ms * 1000, T.timestamp, span);
  }
  if (value instanceof Uint8Array) return lit(value, T.binary, span);
  if (value instanceof Decimal) {
    return lit(
      value,
      { kind: 'decimal', precision: Math.max(value.precision, value.scale), scale: value.scale },
      span,
    );
  }
  if (value instanceof Interval) return lit(value, T.interval, span);
  if (Array.isArray(value)) {
    const args: Expr[] = [];
    for (const v of value) {
      const e = valueToExpr(v, span);
      if (!e) return undefined;
      args.push(e);
    }
    return { type: 'function', name: 'array', args, span };
  }
  return undefined;
}

/** Parses a `?` or `:name` marker at the cursor (the `?`/`:` token is `t`). */
export function parameterMarker(p: Parser, t: Token): Expr {
  const args = p.parameters;
  let name: string;
  let value: unknown;
  let present: boolean;
  if (t.value === '?') {
    p.next();
    const index = p.positionalCount++;
    name = `_${index}`;
    if (args !== undefined && !Array.isArray(args)) {
      throw p.errorWith(
        'INVALID_QUERY_MIXED_QUERY_PARAMETERS',
        'Parameterized query must either use positional, or named parameters, but not both.',
        t,
      );
    }
    const list = (args ?? []) as readonly unknown[];
    present = index < list.length;
    value = list[index];
  } else {
    const id = p.peek(1);
    if ((id.kind !== 'word' && id.kind !== 'quoted') || id.start !== t.end) throw p.error(t);
    p.next();
    p.next();
    name = id.value;
    if (Array.isArray(args)) {
      throw p.errorWith(
        'INVALID_QUERY_MIXED_QUERY_PARAMETERS',
        'Parameterized query must either use positional, or named parameters, but not both.',
        t,
      );
    }
    const record = (args ?? {}) as Readonly<Record<string, unknown>>;
    present = Object.hasOwn(record, name);
    value = record[name];
  }
  if (!present || value === undefined) {
    throw p.errorWith(
      'UNBOUND_SQL_PARAMETER',
      `Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as \`map()\`, \`array()\`, \`struct()\`.`,
      t,
    );
  }
  const e = valueToExpr(value, p.span(t));
  if (!e) {
    throw p.errorWith(
      'INVALID_SQL_ARG',
      `The argument ${name} of \`sql()\` is invalid. Consider to replace it either by a SQL literal or by collection constructor functions such as \`map()\`, \`array()\`, \`struct()\`.`,
      t,
    );
  }
  return e;
}
