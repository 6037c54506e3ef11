/**
 * Collection functions: constructors (array, map, struct, named_struct), access (size, element_at,
 * get), array set operations, sorting, sequence, maps, and the higher-order functions with lambdas
 * (transform, filter, exists, forall, aggregate/reduce, zip_with, array_sort with a comparator,
 * map_filter, transform_keys, transform_values).
 */
import { AnalysisError, ExecutionError } from '../errors.js';
import { mapGetter } from '../expr/access.js';
import type { BoundExpr, BoundLambda } from '../expr/bound.js';
import { findWiderType, findWiderTypeOfAll } from '../expr/coercion.js';
import { makeComparator, makeEquals, valueKey } from '../expr/compare.js';
import { invalidArrayIndex } from '../expr/runtime-errors.js';
import type { DataType, StructField } from '../types/data-type.js';
import { type Interval, MICROS_PER_DAY } from '../types/interval.js';
import { arrayType, isIntegral, mapType, sameType, sqlTypeName, structType, T } from '../types/types.js';
import { addMonthsToDate, addMonthsToTimestamp } from './datetime-util.js';
import { checkCollectionSize } from './limits.js';
import {
  type BindContext,
  castExpr,
  coerceArg,
  coerceArgs,
  constantArg,
  defaultSql,
  makeCall,
  registerFunction,
  typeMismatch,
} from './registry.js';

function requireArray(name: string, args: readonly BoundExpr[], i = 0): Extract<DataType, { kind: 'array' }> {
  const t = args[i]!.dataType;
  if (t.kind === 'array') return t;
  if (t.kind === 'null') return { kind: 'array', elementType: T.null, containsNull: true };
  throw typeMismatch(
    defaultSql(name, args),
    `The ${['first', 'second', 'third'][i] ?? `${i + 1}th`} parameter requires the "ARRAY" type, however "${args[i]!.sql}" has the type "${sqlTypeName(t)}"`,
  );
}

function requireMap(name: string, args: readonly BoundExpr[], i = 0): Extract<DataType, { kind: 'map' }> {
  const t = args[i]!.dataType;
  if (t.kind === 'map') return t;
  throw typeMismatch(
    defaultSql(name, args),
    `The ${['first', 'second', 'third'][i] ?? `${i + 1}th`} parameter requires the "MAP" type, however "${args[i]!.sql}" has the type "${sqlTypeName(t)}"`,
  );
}

function scalar(
  name: string,
  minArgs: number,
  maxArgs: number,
  bind: (args: BoundExpr[], ctx: BindContext) => BoundExpr,
  ...aliases: string[]
): void {
  registerFunction({ name, kind: 'scalar', minArgs, maxArgs, bind }, ...aliases);
}

// ---------------- constructors ----------------

scalar('array', 0, Number.POSITIVE_INFINITY, (args, ctx) => {
  const t =
    args.length === 0
      ? T.string
      : findWiderTypeOfAll(
          args.map((a) => a.dataType),
          ctx.ansi,
        );
  if (!t) {
    throw typeMismatch(
      defaultSql('array', args),
      `Input to function \`array\` should all be the same type, but it's [${args.map((a) => `"${sqlTypeName(a.dataType)}"`).join(', ')}]`,
      'DATA_DIFF_TYPES',
    );
  }
  const cs = args.map((a) => castExpr(a, t, ctx.ansi));
  return makeCall(
    'array',
    cs,
    arrayType(
      t,
      cs.some((c) => c.nullable),
    ),
    { nulls: 'raw', inline: (vs) => `[${vs.join(', ')}]` },
    { nullable: false },
  );
});

function buildMap(keyType: DataType) {
  const key = (k: unknown) => valueKey(k, keyType);
  return (keys: readonly unknown[], values: readonly unknown[]): Map<unknown, unknown> => {
    const m = new Map<unknown, unknown>();
    const seen = new Set<unknown>();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] ?? null;
      if (k === null) throw new ExecutionError('NULL_MAP_KEY', 'Cannot use null as map key.');
      const kk = key(k);
      if (seen.has(kk)) {
        throw new ExecutionError(
          'DUPLICATED_MAP_KEY',
          `Duplicate map key ${String(k)} was found, please check the input data. If you want to remove the duplicated keys, you can set "spark.sql.mapKeyDedupPolicy" to "LAST_WIN" so that the key inserted at last takes precedence.`,
        );
      }
      seen.add(kk);
      m.set(k, values[i] ?? null);
    }
    return m;
  };
}

scalar('map', 0, Number.POSITIVE_INFINITY, (args, ctx) => {
  if (args.length % 2 !== 0) {
    throw new AnalysisError(
      'WRONG_NUM_ARGS.WITHOUT_SUGGESTION',
      `The \`map\` requires 2n (n > 0) parameters but the actual number is ${args.length}.`,
    );
  }
  const ks = args.filter((_, i) => i % 2 === 0);
  const vs = args.filter((_, i) => i % 2 === 1);
  const kt =
    ks.length === 0
      ? T.string
      : findWiderTypeOfAll(
          ks.map((k) => k.dataType),
          ctx.ansi,
        );
  const vt =
    vs.length === 0
      ? T.string
      : findWiderTypeOfAll(
          vs.map((v) => v.dataType),
          ctx.ansi,
        );
  if (!kt || !vt)
    throw typeMismatch(
      defaultSql('map', args),
      'The keys or values of function `map` should all be the same type',
      'MAP_FUNCTION_DIFF_TYPES',
    );
  const cast = args.map((a, i) => castExpr(a, i % 2 === 0 ? kt : vt, ctx.ansi));
  const build = buildMap(kt);
  const fn = (...xs: unknown[]) =>
    build(
      xs.filter((_, i) => i % 2 === 0),
      xs.filter((_, i) => i % 2 === 1),
    );
  return makeCall(
    'map',
    cast,
    mapType(
      kt,
      vt,
      cast.some((c, i) => i % 2 === 1 && c.nullable),
    ),
    { fn, nulls: 'raw' },
    { nullable: false },
  );
});

function fieldName(e: BoundExpr, i: number): string {
  if (e.alias !== undefined) return e.alias;
  if (e.kind === 'ref' || e.kind === 'outerRef' || e.kind === 'lambdaVar') return e.name;
  if (e.kind === 'call' && e.name === 'getfield') return e.sql.slice(e.sql.lastIndexOf('.') + 1);
  return `col${i + 1}`;
}

scalar('struct', 0, Number.POSITIVE_INFINITY, (args) => {
  const fields: StructField[] = args.map((a, i) => ({
    name: fieldName(a, i),
    dataType: a.dataType,
    nullable: a.nullable,
  }));
  return makeCall(
    'struct',
    args,
    structType(fields),
    { nulls: 'raw', inline: (vs) => `[${vs.join(', ')}]` },
    { nullable: false },
  );
});

scalar('named_struct', 0, Number.POSITIVE_INFINITY, (args) => {
  if (args.length % 2 !== 0) {
    throw new AnalysisError(
      'WRONG_NUM_ARGS.WITHOUT_SUGGESTION',
      `The \`named_struct\` requires 2n (n > 0) parameters but the actual number is ${args.length}.`,
    );
  }
  const names: string[] = [];
  const values: BoundExpr[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const n = constantArg('named_struct', args[i]!);
    if (typeof n !== 'string')
      throw typeMismatch(
        defaultSql('named_struct', args),
        `Only foldable "STRING" expressions are allowed to appear at odd position, got: ${args[i]!.sql}`,
        'CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING',
      );
    names.push(n);
    values.push(args[i + 1]!);
  }
  const fields = values.map((v, i) => ({ name: names[i]!, dataType: v.dataType, nullable: v.nullable }));
  return makeCall(
    'named_struct',
    values,
    structType(fields),
    { nulls: 'raw', inline: (vs) => `[${vs.join(', ')}]` },
    {
      nullable: false,
      sql: defaultSql('named_struct', args),
    },
  );
});

// ---------------- access ----------------

scalar(
  'size',
  1,
  1,
  (args, ctx) => {
    const t = args[0]!.dataType;
    if (t.kind !== 'array' && t.kind !== 'map' && t.kind !== 'null') {
      throw typeMismatch(
        defaultSql('size', args),
        `The first parameter requires the ("ARRAY" or "MAP") type, however "${args[0]!.sql}" has the type "${sqlTypeName(t)}"`,
      );
    }
    const fn = ctx.ansi
      ? (v: unknown[] | Map<unknown, unknown> | null) =>
          v === null ? null : Array.isArray(v) ? v.length : v.size
      : (v: unknown[] | Map<unknown, unknown> | null) =>
          v === null ? -1 : Array.isArray(v) ? v.length : v.size;
    return makeCall('size', args, T.int, { fn, nulls: 'raw' }, { nullable: ctx.ansi && args[0]!.nullable });
  },
  'cardinality',
);

for (const [name, tryMode] of [
  ['element_at', false],
  ['try_element_at', true],
] as const) {
  scalar(name, 2, 2, (args, ctx) => {
    const t = args[0]!.dataType;
    if (t.kind === 'map') {
      const k = castExpr(args[1]!, t.keyType, ctx.ansi);
      return makeCall(name, [args[0]!, k], t.valueType, { fn: mapGetter(t.keyType) }, { nullable: true });
    }
    const at = requireArray(name, args);
    const i = coerceArg(name, args, 1, T.int, ctx);
    const ansi = ctx.ansi && !tryMode;
    const fn = (a: unknown[], idx: number) => {
      if (idx === 0) {
        throw new ExecutionError(
          'INVALID_INDEX_OF_ZERO',
          'The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).',
        );
      }
      const j = idx > 0 ? idx - 1 : a.length + idx;
      if (j < 0 || j >= a.length) {
        if (ansi) throw invalidArrayIndex(idx, a.length, true);
        return null;
      }
      return a[j] ?? null;
    };
    return makeCall(name, [args[0]!, i], at.elementType, { fn }, { nullable: true });
  });
}

scalar('get', 2, 2, (args, ctx) => {
  const at = requireArray('get', args);
  const i = coerceArg('get', args, 1, T.int, ctx);
  return makeCall(
    'get',
    [args[0]!, i],
    at.elementType,
    { fn: (a: unknown[], k: number) => (k < 0 || k >= a.length ? null : (a[k] ?? null)) },
    { nullable: true },
  );
});

// ---------------- arrays ----------------

function elementCoerce(name: string, args: BoundExpr[], ctx: BindContext): [BoundExpr, BoundExpr, DataType] {
  const at = requireArray(name, args);
  const t = findWiderType(at.elementType, args[1]!.dataType, ctx.ansi);
  if (!t) {
    throw typeMismatch(
      defaultSql(name, args),
      `Input to function \`${name}\` should have been "ARRAY" followed by a value with same element type, but it's ["${sqlTypeName(at)}", "${sqlTypeName(args[1]!.dataType)}"]`,
      'ARRAY_FUNCTION_DIFF_TYPES',
    );
  }
  return [castExpr(args[0]!, arrayType(t, at.containsNull), ctx.ansi), castExpr(args[1]!, t, ctx.ansi), t];
}

scalar('array_contains', 2, 2, (args, ctx) => {
  const [a, v, t] = elementCoerce('array_contains', args, ctx);
  const eq = makeEquals(t);
  const fn = (arr: unknown[], x: unknown) => {
    let sawNull = false;
    for (const e of arr) {
      if (e === null) sawNull = true;
      else if (eq(e, x)) return true;
    }
    return sawNull ? null : false;
  };
  return makeCall('array_contains', [a, v], T.boolean, { fn }, { nullable: true });
});

scalar('array_position', 2, 2, (args, ctx) => {
  const [a, v, t] = elementCoerce('array_position', args, ctx);
  const eq = makeEquals(t);
  return makeCall('array_position', [a, v], T.long, {
    fn: (arr: unknown[], x: unknown) => {
      for (let i = 0; i < arr.length; i++) if (arr[i] !== null && eq(arr[i], x)) return i + 1;
      return 0;
    },
  });
});

scalar('array_remove', 2, 2, (args, ctx) => {
  const [a, v, t] = elementCoerce('array_remove', args, ctx);
  const eq = makeEquals(t);
  return makeCall('array_remove', [a, v], a.dataType, {
    fn: (arr: unknown[], x: unknown) => arr.filter((e) => e === null || !eq(e, x)),
  });
});

function distinctBy(t: DataType, arr: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const e of arr) {
    const k = e === null ? '\u0000null' : valueKey(e, t);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e ?? null);
  }
  return out;
}

scalar('array_distinct', 1, 1, (args) => {
  const at = requireArray('array_distinct', args);
  return makeCall('array_distinct', args, at, { fn: (arr: unknown[]) => distinctBy(at.elementType, arr) });
});

function twoArrays(
  name: string,
  args: BoundExpr[],
  ctx: BindContext,
): [BoundExpr, BoundExpr, Extract<DataType, { kind: 'array' }>] {
  const a = requireArray(name, args, 0);
  const b = requireArray(name, args, 1);
  const t = findWiderType(a, b, ctx.ansi);
  if (t?.kind !== 'array') {
    throw typeMismatch(
      defaultSql(name, args),
      `Input to function \`${name}\` should have been two "ARRAY" with same element type, but it's ["${sqlTypeName(a)}", "${sqlTypeName(b)}"]`,
      'BINARY_ARRAY_DIFF_TYPES',
    );
  }
  return [castExpr(args[0]!, t, ctx.ansi), castExpr(args[1]!, t, ctx.ansi), t];
}

scalar('array_union', 2, 2, (args, ctx) => {
  const [a, b, t] = twoArrays('array_union', args, ctx);
  return makeCall('array_union', [a, b], t, {
    fn: (x: unknown[], y: unknown[]) => distinctBy(t.elementType, [...x, ...y]),
  });
});

scalar('array_intersect', 2, 2, (args, ctx) => {
  const [a, b, t] = twoArrays('array_intersect', args, ctx);
  const key = (e: unknown) => (e === null ? '\u0000null' : valueKey(e, t.elementType));
  return makeCall('array_intersect', [a, b], t, {
    fn: (x: unknown[], y: unknown[]) => {
      const inY = new Set(y.map(key));
      return distinctBy(
        t.elementType,
        x.filter((e) => inY.has(key(e))),
      );
    },
  });
});

scalar('array_except', 2, 2, (args, ctx) => {
  const [a, b, t] = twoArrays('array_except', args, ctx);
  const key = (e: unknown) => (e === null ? '\u0000null' : valueKey(e, t.elementType));
  return makeCall('array_except', [a, b], t, {
    fn: (x: unknown[], y: unknown[]) => {
      const inY = new Set(y.map(key));
      return distinctBy(
        t.elementType,
        x.filter((e) => !inY.has(key(e))),
      );
    },
  });
});

scalar('arrays_overlap', 2, 2, (args, ctx) => {
  const [a, b, t] = twoArrays('arrays_overlap', args, ctx);
  return makeCall(
    'arrays_overlap',
    [a, b],
    T.boolean,
    {
      fn: (x: unknown[], y: unknown[]) => {
        const ys = new Set(y.filter((e) => e !== null).map((e) => valueKey(e, t.elementType)));
        let sawNull = y.some((e) => e === null);
        for (const e of x) {
          if (e === null) sawNull = true;
          else if (ys.has(valueKey(e, t.elementType))) return true;
        }
        return sawNull && x.length > 0 && y.length > 0 ? null : false;
      },
    },
    { nullable: true },
  );
});

scalar('array_join', 2, 3, (args, ctx) => {
  requireArray('array_join', args);
  const arr = castExpr(args[0]!, arrayType(T.string), ctx.ansi);
  const rest = coerceArgs('array_join', args.slice(1), [T.string, T.string], ctx);
  return makeCall('array_join', [arr, ...rest], T.string, {
    fn: (a: (string | null)[], d: string, nullRep?: string) =>
      a
        .filter((e) => e !== null || nullRep !== undefined)
        .map((e) => (e === null ? nullRep! : e))
        .join(d),
  });
});

for (const [name, sign] of [
  ['array_max', 1],
  ['array_min', -1],
] as const) {
  scalar(name, 1, 1, (args) => {
    const at = requireArray(name, args);
    const cmp = makeComparator(at.elementType);
    return makeCall(
      name,
      args,
      at.elementType,
      {
        fn: (a: unknown[]) => {
          let best: unknown = null;
          for (const e of a) if (e !== null && (best === null || sign * cmp(e, best) > 0)) best = e;
          return best;
        },
      },
      { nullable: true },
    );
  });
}

scalar('sort_array', 1, 2, (args) => {
  const at = requireArray('sort_array', args);
  const asc = args[1] ? constantArg('sort_array', args[1]) !== false : true;
  const cmp = makeComparator(at.elementType);
  const fn = (a: unknown[]) =>
    a.slice().sort((x, y) => {
      if (x === null || y === null) return x === y ? 0 : x === null ? (asc ? -1 : 1) : asc ? 1 : -1;
      return asc ? cmp(x, y) : -cmp(x, y);
    });
  return makeCall('sort_array', [args[0]!], at, { fn }, { sql: defaultSql('sort_array', args) });
});

registerFunction({
  name: 'array_sort',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 2,
  bindRaw: (raw, ctx) => {
    const arr = ctx.bind(raw[0]!);
    const at = requireArray('array_sort', [arr]);
    if (raw.length === 1) {
      const cmp = makeComparator(at.elementType);
      const fn = (a: unknown[]) =>
        a
          .slice()
          .sort((x, y) => (x === null || y === null ? (x === y ? 0 : x === null ? 1 : -1) : cmp(x, y)));
      return makeCall('array_sort', [arr], at, { fn });
    }
    const el = { dataType: at.elementType, nullable: at.containsNull };
    const lambda = ctx.bindLambda(raw[1]!, [el, el]);
    const body = castExpr(lambda.body, T.int, ctx.ansi);
    const l: BoundLambda = { ...lambda, body, dataType: T.int };
    const fn = (a: unknown[], f: (x: unknown, y: unknown) => number | null) =>
      a.slice().sort((x, y) => {
        const r = f(x, y);
        if (r === null)
          throw new ExecutionError(
            'COMPARATOR_RETURNS_NULL',
            `The comparator has returned a NULL for a comparison between ${String(x)} and ${String(y)}.`,
          );
        return r;
      });
    return makeCall('array_sort', [arr, l], at, { fn });
  },
});

scalar('reverse', 1, 1, (args, ctx) => {
  const t = args[0]!.dataType;
  if (t.kind === 'array') return makeCall('reverse', args, t, { fn: (a: unknown[]) => a.slice().reverse() });
  const [s] = coerceArgs('reverse', args, [T.string], ctx);
  return makeCall('reverse', [s!], T.string, { fn: (x: string) => [...x].reverse().join('') });
});

scalar('flatten', 1, 1, (args) => {
  const at = requireArray('flatten', args);
  if (at.elementType.kind !== 'array') {
    throw typeMismatch(
      defaultSql('flatten', args),
      `The first parameter requires the "ARRAY<ARRAY>" type, however "${args[0]!.sql}" has the type "${sqlTypeName(at)}"`,
    );
  }
  const inner = at.elementType;
  return makeCall(
    'flatten',
    args,
    inner,
    {
      fn: (a: (unknown[] | null)[]) =>
        a.some((x) => x === null) ? null : ([] as unknown[]).concat(...(a as unknown[][])),
    },
    { nullable: true },
  );
});

scalar('slice', 3, 3, (args, ctx) => {
  const at = requireArray('slice', args);
  const [s, l] = coerceArgs('slice', args.slice(1), [T.int, T.int], ctx);
  const fn = (a: unknown[], start: number, len: number) => {
    if (start === 0)
      throw new ExecutionError(
        'INVALID_PARAMETER_VALUE.START',
        'The value of parameter(s) `start` in `slice` is invalid: Expects a positive or a negative value for `start`, but got 0.',
      );
    if (len < 0)
      throw new ExecutionError(
        'INVALID_PARAMETER_VALUE.LENGTH',
        `The value of parameter(s) \`length\` in \`slice\` is invalid: Expects \`length\` greater than or equal to 0, but got ${len}.`,
      );
    const i = start > 0 ? start - 1 : a.length + start;
    if (i < 0 || i >= a.length) return [];
    return a.slice(i, i + len);
  };
  return makeCall('slice', [args[0]!, s!, l!], at, { fn });
});

scalar('array_repeat', 2, 2, (args, ctx) => {
  const [n] = coerceArgs('array_repeat', [args[1]!], [T.int], ctx);
  const e = args[0]!;
  return makeCall(
    'array_repeat',
    [e, n!],
    arrayType(e.dataType, e.nullable),
    {
      nulls: 'raw',
      fn: (v: unknown, k: number | null) => {
        if (k === null) return null;
        checkCollectionSize('array_repeat', 'count', k);
        return new Array(Math.max(0, k)).fill(v);
      },
    },
    { nullable: n!.nullable },
  );
});

scalar('array_append', 2, 2, (args, ctx) => {
  const [a, v, t] = elementCoerce('array_append', args, ctx);
  return makeCall(
    'array_append',
    [a, v],
    arrayType(t, true),
    { nulls: 'raw', fn: (arr: unknown[] | null, x: unknown) => (arr === null ? null : [...arr, x]) },
    { nullable: a.nullable },
  );
});

scalar('array_prepend', 2, 2, (args, ctx) => {
  const [a, v, t] = elementCoerce('array_prepend', args, ctx);
  return makeCall(
    'array_prepend',
    [a, v],
    arrayType(t, true),
    { nulls: 'raw', fn: (arr: unknown[] | null, x: unknown) => (arr === null ? null : [x, ...arr]) },
    { nullable: a.nullable },
  );
});

scalar('array_compact', 1, 1, (args) => {
  const at = requireArray('array_compact', args);
  return makeCall('array_compact', args, arrayType(at.elementType, false), {
    fn: (a: unknown[]) => a.filter((x) => x !== null),
  });
});

scalar('array_insert', 3, 3, (args, ctx) => {
  const at = requireArray('array_insert', args);
  const t = findWiderType(at.elementType, args[2]!.dataType, ctx.ansi) ?? at.elementType;
  const arr = castExpr(args[0]!, arrayType(t, true), ctx.ansi);
  const [pos] = coerceArgs('array_insert', [args[1]!], [T.int], ctx);
  const v = castExpr(args[2]!, t, ctx.ansi);
  const fn = (a: unknown[] | null, p: number | null, x: unknown) => {
    if (a === null || p === null) return null;
    if (p === 0)
      throw new ExecutionError(
        'INVALID_INDEX_OF_ZERO',
        'The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).',
      );
    const out = a.slice();
    if (p > 0) {
      while (out.length < p - 1) out.push(null);
      out.splice(p - 1, 0, x);
    } else {
      const i = out.length + p + 1;
      if (i < 0) {
        const pad: unknown[] = new Array(-i).fill(null);
        return [x, ...pad, ...out];
      }
      out.splice(i, 0, x);
    }
    return out;
  };
  return makeCall(
    'array_insert',
    [arr, pos!, v],
    arrayType(t, true),
    { fn, nulls: 'raw' },
    { nullable: true },
  );
});

scalar('arrays_zip', 1, Number.POSITIVE_INFINITY, (args) => {
  const ats = args.map((_, i) => requireArray('arrays_zip', args, i));
  const fields = args.map((a, i) => ({
    name: a.kind === 'ref' ? a.name : String(i),
    dataType: ats[i]!.elementType,
    nullable: true,
  }));
  const fn = (...as: unknown[][]) => {
    const n = Math.max(0, ...as.map((a) => a.length));
    const out: unknown[][] = [];
    for (let i = 0; i < n; i++) out.push(as.map((a) => a[i] ?? null));
    return out;
  };
  return makeCall('arrays_zip', args, arrayType(structType(fields), false), { fn });
});

scalar('shuffle', 1, 2, (args) => {
  const at = requireArray('shuffle', args);
  const fn = (a: unknown[]) => {
    const out = a.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return makeCall('shuffle', [args[0]!], at, { fn, nondeterministic: true });
});

scalar('sequence', 2, 3, (args, ctx) => {
  const a = args[0]!;
  const b = args[1]!;
  if ((a.dataType.kind === 'date' || a.dataType.kind === 'timestamp') && args[2]) {
    const t = a.dataType.kind === 'date' && b.dataType.kind === 'date' ? T.date : T.timestamp;
    const [s, e] = [castExpr(a, t, ctx.ansi), castExpr(b, t, ctx.ansi)];
    const step = castExpr(args[2], T.interval, ctx.ansi);
    const fn = (x: number, y: number, i: Interval) => {
      const advance = (v: number, k: number) =>
        t.kind === 'date'
          ? addMonthsToDate(x, k * i.months) + k * i.days + Math.trunc((k * i.micros) / MICROS_PER_DAY)
          : addMonthsToTimestamp(x, k * i.months) + k * (i.days * MICROS_PER_DAY + i.micros) + 0 * v;
      const out: number[] = [];
      const up = y >= x;
      for (let k = 0; ; k++) {
        const v = advance(x, k);
        if (up ? v > y : v < y) break;
        if (k > 0 && v === out[out.length - 1])
          throw new ExecutionError('INVALID_PARAMETER_VALUE', 'The step of sequence must not be zero.');
        checkCollectionSize('sequence', 'step', k + 1);
        out.push(v);
      }
      return out;
    };
    return makeCall('sequence', [s, e, step], arrayType(t, false), { fn });
  }
  if (a.dataType.kind === 'date' && b.dataType.kind === 'date') {
    return makeCall('sequence', [a, b], arrayType(T.date, false), {
      fn: (x: number, y: number) => {
        const out: number[] = [];
        const st = y >= x ? 1 : -1;
        checkCollectionSize('sequence', 'start, stop', Math.abs(y - x) + 1);
        for (let v = x; st > 0 ? v <= y : v >= y; v += st) out.push(v);
        return out;
      },
    });
  }
  const wide = findWiderTypeOfAll(
    args.map((x) => x.dataType),
    ctx.ansi,
  );
  if (!wide || !isIntegral(wide)) {
    throw typeMismatch(
      defaultSql('sequence', args),
      'Input to function `sequence` should be integral, date or timestamp values',
      'SEQUENCE_WRONG_INPUT_TYPES',
    );
  }
  const cs = args.map((x) => castExpr(x, wide, ctx.ansi));
  const fn = (x: number, y: number, step?: number) => {
    const st = step ?? (y >= x ? 1 : -1);
    if (st === 0 || (st > 0 && x > y) || (st < 0 && x < y)) {
      if (x === y) return [x];
      throw new ExecutionError(
        'INVALID_PARAMETER_VALUE',
        `Illegal sequence boundaries: ${x} to ${y} by ${st}`,
      );
    }
    const n = Math.floor((y - x) / st) + 1;
    checkCollectionSize('sequence', 'start, stop, step', n);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = x + i * st;
    return out;
  };
  return makeCall('sequence', cs, arrayType(wide, false), { fn });
});

// ---------------- maps ----------------

scalar('map_keys', 1, 1, (args) => {
  const mt = requireMap('map_keys', args);
  return makeCall('map_keys', args, arrayType(mt.keyType, false), {
    fn: (m: Map<unknown, unknown>) => [...m.keys()],
  });
});
scalar('map_values', 1, 1, (args) => {
  const mt = requireMap('map_values', args);
  return makeCall('map_values', args, arrayType(mt.valueType, mt.valueContainsNull), {
    fn: (m: Map<unknown, unknown>) => [...m.values()],
  });
});
scalar('map_entries', 1, 1, (args) => {
  const mt = requireMap('map_entries', args);
  const st = structType([
    { name: 'key', dataType: mt.keyType, nullable: false },
    { name: 'value', dataType: mt.valueType, nullable: mt.valueContainsNull },
  ]);
  return makeCall('map_entries', args, arrayType(st, false), {
    fn: (m: Map<unknown, unknown>) => [...m].map(([k, v]) => [k, v]),
  });
});
scalar('map_from_arrays', 2, 2, (args) => {
  const k = requireArray('map_from_arrays', args, 0);
  const v = requireArray('map_from_arrays', args, 1);
  const build = buildMap(k.elementType);
  return makeCall('map_from_arrays', args, mapType(k.elementType, v.elementType, v.containsNull), {
    fn: (ks: unknown[], vs: unknown[]) => {
      if (ks.length !== vs.length)
        throw new ExecutionError(
          'INVALID_PARAMETER_VALUE',
          'The key array and value array of MapData must have the same length.',
        );
      return build(ks, vs);
    },
  });
});
scalar('map_from_entries', 1, 1, (args) => {
  const at = requireArray('map_from_entries', args);
  const st = at.elementType;
  if (st.kind !== 'struct' || st.fields.length !== 2) {
    throw typeMismatch(
      defaultSql('map_from_entries', args),
      `The first parameter requires the "ARRAY<STRUCT<key, value>>" type, however "${args[0]!.sql}" has the type "${sqlTypeName(at)}"`,
    );
  }
  const build = buildMap(st.fields[0]!.dataType);
  return makeCall(
    'map_from_entries',
    args,
    mapType(st.fields[0]!.dataType, st.fields[1]!.dataType),
    {
      fn: (a: (unknown[] | null)[]) =>
        a.some((e) => e === null)
          ? null
          : build(
              a.map((e) => e![0]),
              a.map((e) => e![1]),
            ),
    },
    { nullable: true },
  );
});
scalar('map_concat', 0, Number.POSITIVE_INFINITY, (args, ctx) => {
  for (let i = 0; i < args.length; i++) requireMap('map_concat', args, i);
  const t =
    args.length === 0
      ? mapType(T.string, T.string)
      : findWiderTypeOfAll(
          args.map((a) => a.dataType),
          ctx.ansi,
        );
  if (t?.kind !== 'map')
    throw typeMismatch(
      defaultSql('map_concat', args),
      'The maps of function `map_concat` should all be the same type',
      'DATA_DIFF_TYPES',
    );
  const cs = args.map((a) => castExpr(a, t, ctx.ansi));
  const build = buildMap(t.keyType);
  return makeCall('map_concat', cs, t, {
    fn: (...ms: Map<unknown, unknown>[]) => {
      const ks: unknown[] = [];
      const vs: unknown[] = [];
      for (const m of ms)
        for (const [k, v] of m) {
          ks.push(k);
          vs.push(v);
        }
      return build(ks, vs);
    },
  });
});
scalar('map_contains_key', 2, 2, (args, ctx) => {
  const mt = requireMap('map_contains_key', args);
  const k = castExpr(args[1]!, mt.keyType, ctx.ansi);
  const get = mapGetter(mt.keyType);
  return makeCall('map_contains_key', [args[0]!, k], T.boolean, {
    fn: (m: Map<unknown, unknown>, key: unknown) => m.has(key) || get(m, key) !== null,
  });
});
scalar('str_to_map', 1, 3, (args, ctx) => {
  const cs = coerceArgs('str_to_map', args, [T.string, T.string, T.string], ctx);
  const build = buildMap(T.string);
  return makeCall('str_to_map', cs, mapType(T.string, T.string), {
    fn: (s: string, pairDelim = ',', kvDelim = ':') => {
      const pairs = s.split(new RegExp(pairDelim));
      const ks: string[] = [];
      const vs: (string | null)[] = [];
      for (const p of pairs) {
        const m = new RegExp(kvDelim).exec(p);
        if (m) {
          ks.push(p.slice(0, m.index));
          vs.push(p.slice(m.index + m[0].length));
        } else {
          ks.push(p);
          vs.push(null);
        }
      }
      return build(ks, vs);
    },
  });
});

// ---------------- higher-order functions ----------------

function hof(
  name: string,
  minArgs: number,
  maxArgs: number,
  bindRaw: (
    raw: readonly import('../expr/expression.js').Expr[],
    ctx: BindContext,
    calledName?: string,
  ) => BoundExpr,
  ...aliases: string[]
): void {
  registerFunction({ name, kind: 'scalar', minArgs, maxArgs, bindRaw }, ...aliases);
}

function hofSql(name: string, arr: BoundExpr, lambda: BoundLambda): string {
  return `${name}(${arr.sql}, ${lambda.sql})`;
}

hof('transform', 2, 2, (raw, ctx) => {
  const arr = ctx.bind(raw[0]!);
  const at = requireArray('transform', [arr]);
  const lambda = ctx.bindLambda(raw[1]!, [
    { dataType: at.elementType, nullable: at.containsNull },
    { dataType: T.int, nullable: false },
  ]);
  return makeCall(
    'transform',
    [arr, lambda],
    arrayType(lambda.dataType, lambda.nullable),
    {
      fn: (a: unknown[], f: (x: unknown, i: number) => unknown) => a.map((x, i) => f(x, i)),
    },
    { sql: hofSql('transform', arr, lambda) },
  );
});

hof('filter', 2, 2, (raw, ctx) => {
  const arr = ctx.bind(raw[0]!);
  const at = requireArray('filter', [arr]);
  const lambda = ctx.bindLambda(raw[1]!, [
    { dataType: at.elementType, nullable: at.containsNull },
    { dataType: T.int, nullable: false },
  ]);
  if (lambda.dataType.kind !== 'boolean') {
    throw typeMismatch(
      hofSql('filter', arr, lambda),
      `The lambda function requires the "BOOLEAN" type, however "${lambda.body.sql}" has the type "${sqlTypeName(lambda.dataType)}"`,
    );
  }
  return makeCall(
    'filter',
    [arr, lambda],
    at,
    {
      fn: (a: unknown[], f: (x: unknown, i: number) => unknown) => a.filter((x, i) => f(x, i) === true),
    },
    { sql: hofSql('filter', arr, lambda) },
  );
});

for (const [name, isExists] of [
  ['exists', true],
  ['forall', false],
] as const) {
  hof(name, 2, 2, (raw, ctx) => {
    const arr = ctx.bind(raw[0]!);
    const at = requireArray(name, [arr]);
    const lambda = ctx.bindLambda(raw[1]!, [{ dataType: at.elementType, nullable: at.containsNull }]);
    if (lambda.dataType.kind !== 'boolean') {
      throw typeMismatch(
        hofSql(name, arr, lambda),
        `The lambda function requires the "BOOLEAN" type, however "${lambda.body.sql}" has the type "${sqlTypeName(lambda.dataType)}"`,
      );
    }
    const fn = (a: unknown[], f: (x: unknown) => boolean | null) => {
      let sawNull = false;
      for (const x of a) {
        const r = f(x);
        if (r === null) sawNull = true;
        else if (r === isExists) return isExists;
      }
      return sawNull ? null : !isExists;
    };
    return makeCall(
      name,
      [arr, lambda],
      T.boolean,
      { fn },
      { nullable: true, sql: hofSql(name, arr, lambda) },
    );
  });
}

hof(
  'aggregate',
  3,
  4,
  (raw, ctx, calledName) => {
    const arr = ctx.bind(raw[0]!);
    const at = requireArray('aggregate', [arr]);
    let zero = ctx.bind(raw[1]!);
    const el = { dataType: at.elementType, nullable: at.containsNull };
    let merge = ctx.bindLambda(raw[2]!, [{ dataType: zero.dataType, nullable: true }, el]);
    if (!sameType(merge.dataType, zero.dataType)) {
      const wide = findWiderType(zero.dataType, merge.dataType, ctx.ansi);
      if (!wide) {
        throw typeMismatch(
          `aggregate(${arr.sql})`,
          `The argument "${zero.sql}" of the merge function has the type "${sqlTypeName(zero.dataType)}", but the merge result has the type "${sqlTypeName(merge.dataType)}"`,
        );
      }
      zero = castExpr(zero, wide, ctx.ansi);
      merge = ctx.bindLambda(raw[2]!, [{ dataType: wide, nullable: true }, el]);
      merge = { ...merge, body: castExpr(merge.body, wide, ctx.ansi), dataType: wide };
    }
    const args: BoundExpr[] = [arr, zero, merge];
    let rt = zero.dataType;
    if (raw[3]) {
      const finish = ctx.bindLambda(raw[3], [{ dataType: zero.dataType, nullable: true }]);
      args.push(finish);
      rt = finish.dataType;
    }
    const fn = (
      a: unknown[] | null,
      z: unknown,
      m: (acc: unknown, x: unknown) => unknown,
      f?: (acc: unknown) => unknown,
    ) => {
      if (a === null) return null;
      let acc = z;
      for (const x of a) acc = m(acc, x);
      return f ? f(acc) : acc;
    };
    return makeCall(
      'aggregate',
      args,
      rt,
      { fn, nulls: 'raw' },
      {
        nullable: true,
        sql: `${calledName ?? 'aggregate'}(${arr.sql}, ${zero.sql}, ${merge.sql}, ${args[3]?.sql ?? 'lambdafunction(namedlambdavariable(), namedlambdavariable())'})`,
      },
    );
  },
  'reduce',
);

hof('zip_with', 3, 3, (raw, ctx) => {
  const a = ctx.bind(raw[0]!);
  const b = ctx.bind(raw[1]!);
  const at = requireArray('zip_with', [a, b], 0);
  const bt = requireArray('zip_with', [a, b], 1);
  const lambda = ctx.bindLambda(raw[2]!, [
    { dataType: at.elementType, nullable: true },
    { dataType: bt.elementType, nullable: true },
  ]);
  const fn = (x: unknown[], y: unknown[], f: (p: unknown, q: unknown) => unknown) => {
    const n = Math.max(x.length, y.length);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(f(x[i] ?? null, y[i] ?? null));
    return out;
  };
  return makeCall('zip_with', [a, b, lambda], arrayType(lambda.dataType, lambda.nullable), { fn });
});

hof('map_filter', 2, 2, (raw, ctx) => {
  const m = ctx.bind(raw[0]!);
  const mt = requireMap('map_filter', [m]);
  const lambda = ctx.bindLambda(raw[1]!, [
    { dataType: mt.keyType, nullable: false },
    { dataType: mt.valueType, nullable: mt.valueContainsNull },
  ]);
  return makeCall('map_filter', [m, lambda], mt, {
    fn: (x: Map<unknown, unknown>, f: (k: unknown, v: unknown) => unknown) =>
      new Map([...x].filter(([k, v]) => f(k, v) === true)),
  });
});

hof('transform_values', 2, 2, (raw, ctx) => {
  const m = ctx.bind(raw[0]!);
  const mt = requireMap('transform_values', [m]);
  const lambda = ctx.bindLambda(raw[1]!, [
    { dataType: mt.keyType, nullable: false },
    { dataType: mt.valueType, nullable: mt.valueContainsNull },
  ]);
  return makeCall('transform_values', [m, lambda], mapType(mt.keyType, lambda.dataType, lambda.nullable), {
    fn: (x: Map<unknown, unknown>, f: (k: unknown, v: unknown) => unknown) =>
      new Map([...x].map(([k, v]) => [k, f(k, v)])),
  });
});

hof('transform_keys', 2, 2, (raw, ctx) => {
  const m = ctx.bind(raw[0]!);
  const mt = requireMap('transform_keys', [m]);
  const lambda = ctx.bindLambda(raw[1]!, [
    { dataType: mt.keyType, nullable: false },
    { dataType: mt.valueType, nullable: mt.valueContainsNull },
  ]);
  const build = buildMap(lambda.dataType);
  return makeCall(
    'transform_keys',
    [m, lambda],
    mapType(lambda.dataType, mt.valueType, mt.valueContainsNull),
    {
      fn: (x: Map<unknown, unknown>, f: (k: unknown, v: unknown) => unknown) => {
        const es = [...x];
        return build(
          es.map(([k, v]) => f(k, v)),
          es.map(([, v]) => v),
        );
      },
    },
  );
});

scalar('array_size', 1, 1, (args) => {
  requireArray('array_size', args);
  return makeCall('array_size', args, T.int, { fn: (a: unknown[]) => a.length });
});
