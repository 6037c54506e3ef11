/** Miscellaneous functions: typeof, cast-named functions (int(x), string(x), ...), assert_true, raise_error, ids. */
import { ExecutionError } from '../errors.js';
import { canCast } from '../expr/cast.js';
import { bindCase, bindCoalesce, bindLike } from '../expr/conditional.js';
import { bindBitwise, bindComparison, bindNot } from '../expr/operators.js';
import type { DataType } from '../types/data-type.js';
import type { Decimal } from '../types/decimal.js';
import { decimalType, simpleString, sqlTypeName, T } from '../types/types.js';
import {
  castExpr,
  coerceArgs,
  constantArg,
  defineScalar,
  lookupFunction,
  makeCall,
  registerFunction,
  typeMismatch,
} from './registry.js';

registerFunction({
  name: 'typeof',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a]) => ({
    kind: 'literal',
    value: simpleString(a!.dataType),
    dataType: T.string,
    nullable: false,
    sql: `typeof(${a!.sql})`,
  }),
});

const CAST_FUNCTIONS: [string, DataType][] = [
  ['boolean', T.boolean],
  ['tinyint', T.byte],
  ['smallint', T.short],
  ['int', T.int],
  ['bigint', T.long],
  ['float', T.float],
  ['double', T.double],
  ['decimal', decimalType(10, 0)],
  ['date', T.date],
  ['timestamp', T.timestamp],
  ['binary', T.binary],
  ['string', T.string],
];

for (const [name, t] of CAST_FUNCTIONS) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 1,
    maxArgs: 1,
    bind: ([a], ctx) => {
      if (!canCast(a!.dataType, t, ctx.ansi)) {
        throw typeMismatch(
          `${name}(${a!.sql})`,
          `cannot cast "${sqlTypeName(a!.dataType)}" to "${sqlTypeName(t)}"`,
          'CAST_WITHOUT_SUGGESTION',
        );
      }
      return { ...castExpr(a!, t, ctx.ansi, true), sql: `${name}(${a!.sql})` };
    },
  });
}

registerFunction({
  name: 'assert_true',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 2,
  bind: (args) => {
    const fn = (v: boolean | null, msg?: string | null) => {
      if (v !== true) {
        throw new ExecutionError('USER_RAISED_EXCEPTION', msg ?? `'${args[0]!.sql}' is not true!`);
      }
      return null;
    };
    return makeCall(
      'assert_true',
      args,
      T.null,
      { fn, nulls: 'raw', nondeterministic: true },
      { nullable: true },
    );
  },
});

registerFunction({
  name: 'raise_error',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: (args) => {
    const fn = (msg: string | null) => {
      throw new ExecutionError('USER_RAISED_EXCEPTION', String(msg));
    };
    return makeCall(
      'raise_error',
      args,
      T.null,
      { fn, nulls: 'raw', nondeterministic: true },
      { nullable: true },
    );
  },
});

registerFunction({
  name: 'monotonically_increasing_id',
  kind: 'scalar',
  minArgs: 0,
  maxArgs: 0,
  bind: () => {
    let next = 0;
    return makeCall(
      'monotonically_increasing_id',
      [],
      T.long,
      { fn: () => next++, nondeterministic: true },
      { nullable: false },
    );
  },
});

defineScalar('spark_partition_id', { args: [], ret: T.int, nullable: false, fn: () => 0 });
defineScalar('input_file_name', { args: [], ret: T.string, nullable: false, fn: () => '' });
defineScalar(
  'current_schema',
  { args: [], ret: T.string, nullable: false, fn: () => 'default', sql: () => 'current_schema()' },
  'current_database',
);
defineScalar('current_catalog', { args: [], ret: T.string, nullable: false, fn: () => 'spark_catalog' });
defineScalar(
  'current_user',
  { args: [], ret: T.string, nullable: false, fn: () => process.env.USER ?? 'sluice' },
  'user',
  'session_user',
);
defineScalar('version', { args: [], ret: T.string, nullable: false, fn: () => '4.0.0 sluice' });

// ---------------- function forms of operators ----------------

for (const [name, kind] of [
  ['like', 'like'],
  ['ilike', 'ilike'],
  ['rlike', 'rlike'],
] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 2,
    maxArgs: kind === 'rlike' ? 2 : 3,
    bind: (args, ctx) => {
      const esc = args[2] ? String(constantArg(name, args[2])) : undefined;
      return bindLike(kind, args[0]!, args[1]!, esc, false, ctx.ansi);
    },
  });
}

registerFunction({
  name: 'not',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a], ctx) => bindNot(a!, ctx.ansi),
});

registerFunction({
  name: 'equal_null',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: ([a, b], ctx) => ({
    ...bindComparison('<=>', a!, b!, ctx.ansi),
    sql: `equal_null(${a!.sql}, ${b!.sql})`,
  }),
});

registerFunction({
  name: 'zeroifnull',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a], ctx) => ({
    ...bindCoalesce(
      [a!, { kind: 'literal', value: 0, dataType: T.int, nullable: false, sql: '0' }],
      ctx.ansi,
      'zeroifnull',
    ),
    sql: `zeroifnull(${a!.sql})`,
  }),
});

registerFunction({
  name: 'nullifzero',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a], ctx) => {
    const zero = castExpr(
      { kind: 'literal', value: 0, dataType: T.int, nullable: false, sql: '0' },
      a!.dataType,
      ctx.ansi,
    );
    const eq = bindComparison('=', a!, zero, ctx.ansi);
    const nul = castExpr(
      { kind: 'literal', value: null, dataType: T.null, nullable: true, sql: 'NULL' },
      a!.dataType,
      false,
    );
    return { ...bindCase([{ when: eq, value: nul }], a!, ctx.ansi, `nullifzero(${a!.sql})`), nullable: true };
  },
});

// ---------------- URLs ----------------

defineScalar('url_encode', {
  args: [T.string],
  ret: T.string,
  fn: (s: string) =>
    encodeURIComponent(s)
      .replace(/%20/g, '+')
      .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
});
defineScalar('url_decode', {
  args: [T.string],
  ret: T.string,
  fn: (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      throw new ExecutionError('CANNOT_DECODE_URL', `Cannot decode url : ${s}.`);
    }
  },
});

/** Spark's parse_url (java.net.URL parts): HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY, USERINFO; QUERY with a key. */
export function parseUrl(url: string, part: string, key?: string): string | null {
  const m =
    /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:([^@/?#]*)@)?([^/?#:]*)(?::(\d+))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(
      url,
    );
  if (!m) return null;
  const [, protocol, userinfo, host, port, path, query, ref] = m;
  switch (part) {
    case 'HOST':
      return host ?? null;
    case 'PATH':
      return path ?? '';
    case 'QUERY':
      if (query === undefined) return null;
      if (key === undefined) return query;
      for (const kv of query.split('&')) {
        const i = kv.indexOf('=');
        if ((i < 0 ? kv : kv.slice(0, i)) === key) return i < 0 ? null : kv.slice(i + 1);
      }
      return null;
    case 'REF':
      return ref ?? null;
    case 'PROTOCOL':
      return protocol ?? null;
    case 'FILE':
      return (path ?? '') + (query !== undefined ? `?${query}` : '');
    case 'AUTHORITY':
      return `${userinfo ? `${userinfo}@` : ''}${host ?? ''}${port ? `:${port}` : ''}`;
    case 'USERINFO':
      return userinfo ?? null;
    default:
      return null;
  }
}

defineScalar('parse_url', {
  args: [T.string, T.string, T.string],
  min: 2,
  max: 3,
  ret: T.string,
  nullable: true,
  fn: parseUrl,
});

// ---------------- names used by the DataFrame functions module ----------------

registerFunction({
  name: 'bitwise_not',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a]) => bindBitwise('~', a!, null),
});

registerFunction({
  name: 'create_map',
  kind: 'scalar',
  minArgs: 0,
  maxArgs: Number.POSITIVE_INFINITY,
  bind: (args, ctx) => lookupFunction('map')!.bind!(args, ctx, 'map'),
});

/** Spark's sentences(str[, lang, country]): sentences split at . ! ?, words at non-letters/digits. */
export function sentences(s: string): string[][] {
  return s
    .split(/(?<=[.!?])\s+/u)
    .map((sentence) => sentence.split(/[^\p{L}\p{N}']+/u).filter((w) => w.length > 0))
    .filter((ws) => ws.length > 0);
}

defineScalar('sentences', {
  args: [T.string, T.string, T.string],
  min: 1,
  max: 3,
  ret: {
    kind: 'array',
    elementType: { kind: 'array', elementType: T.string, containsNull: false },
    containsNull: false,
  },
  fn: (s: string) => sentences(s),
});

/** to_char / to_varchar: datetime → date_format; numbers with Spark's number format (`999`, `000.00`, `9,999`, `$`, `S`, `MI`). */
export function toCharNumber(v: Decimal, fmt: string): string {
  const f = fmt.toUpperCase();
  const dollar = f.includes('$');
  const sign = f.startsWith('S') || f.endsWith('S');
  const mi = f.endsWith('MI');
  const pr = f.endsWith('PR');
  const body = f.replace(/[$S]|MI$|PR$/g, '');
  const [intPat = '', fracPat = ''] = body.split(/[.D]/);
  const digits = intPat.replace(/[,G]/g, '');
  const scale = fracPat.length;
  const r = v.setScale(scale).abs().toString();
  const [ip0 = '0', fp = ''] = r.split('.');
  let ip = ip0;
  if (ip.length > digits.length) {
    return `${sign ? ' ' : ''}${'#'.repeat(intPat.length)}${scale > 0 ? `.${'#'.repeat(scale)}` : ''}`;
  }
  const firstZero = digits.indexOf('0');
  const minDigits = firstZero < 0 ? (ip === '0' && scale > 0 ? 0 : 1) : digits.length - firstZero;
  if (ip === '0' && minDigits === 0) ip = '';
  ip = ip.padStart(Math.max(minDigits, ip.length), '0');
  // Grouping separators at the pattern's positions, counted from the right of the integer part.
  let out = '';
  let di = ip.length - 1;
  for (let i = intPat.length - 1; i >= 0 && di >= 0; i--) {
    const c = intPat[i]!;
    if (c === ',' || c === 'G') out = `,${out}`;
    else out = ip[di--]! + out;
  }
  while (di >= 0) out = ip[di--]! + out;
  let text = (dollar ? '$' : '') + out + (scale > 0 ? `.${fp}` : '');
  const neg = v.signum() < 0;
  if (pr) text = neg ? `<${text}>` : text;
  else if (mi) text = neg ? `${text}-` : text;
  else if (sign) text = f.startsWith('S') ? `${neg ? '-' : '+'}${text}` : `${text}${neg ? '-' : '+'}`;
  else if (neg) text = `-${text}`;
  return text;
}

for (const name of ['to_char', 'to_varchar']) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 2,
    maxArgs: 2,
    bind: (raw, ctx) => {
      const a = raw[0]!;
      const [fmt] = coerceArgs(name, [raw[1]!], [T.string], ctx);
      if (a.dataType.kind === 'date' || a.dataType.kind === 'timestamp') {
        const d = lookupFunction('date_format')!.bind!([a, fmt!], ctx);
        return { ...d, sql: `to_char(${a.sql}, ${fmt!.sql})` };
      }
      if (a.dataType.kind === 'binary') {
        const fn = (b: Uint8Array, f: string) => {
          const k = f.toLowerCase();
          if (k === 'hex') return Buffer.from(b).toString('hex').toUpperCase();
          if (k === 'base64') return Buffer.from(b).toString('base64');
          if (k === 'utf-8' || k === 'utf8') return new TextDecoder().decode(b);
          throw new ExecutionError(
            'INVALID_PARAMETER_VALUE.BINARY_FORMAT',
            `The value of parameter(s) \`format\` in \`to_char\` is invalid: ${f}.`,
          );
        };
        return makeCall('to_char', [a, fmt!], T.string, { fn });
      }
      const [n] = coerceArgs(name, [a], [{ kind: 'decimal', precision: 38, scale: 10 }], ctx);
      return makeCall(
        'to_char',
        [n!, fmt!],
        T.string,
        { fn: toCharNumber },
        { sql: `to_char(${a.sql}, ${fmt!.sql})` },
      );
    },
  });
}

defineScalar('try_url_decode', {
  args: [T.string],
  ret: T.string,
  nullable: true,
  fn: (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  },
});
defineScalar('try_parse_url', {
  args: [T.string, T.string, T.string],
  min: 2,
  max: 3,
  ret: T.string,
  nullable: true,
  fn: parseUrl,
});

registerFunction(
  {
    name: 'bit_get',
    kind: 'scalar',
    minArgs: 2,
    maxArgs: 2,
    bind: (raw, ctx, calledName) => {
      const isLong = raw[0]!.dataType.kind === 'long';
      const args = coerceArgs('bit_get', raw, [isLong ? T.long : T.int, T.int], ctx);
      const bits = isLong ? 64 : 32;
      const fn = (v: number, pos: number) => {
        if (pos < 0 || pos >= bits) {
          throw new ExecutionError(
            'INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE',
            `The value of parameter(s) \`pos\` in \`bit_get\` is invalid: expects an integer value in [0, ${bits}), but got ${pos}.`,
          );
        }
        return Number((BigInt.asUintN(bits, BigInt(v)) >> BigInt(pos)) & 1n);
      };
      return makeCall(
        'bit_get',
        args,
        T.byte,
        { fn },
        { sql: `${calledName ?? 'bit_get'}(${raw.map((a) => a.sql).join(', ')})` },
      );
    },
  },
  'getbit',
);
