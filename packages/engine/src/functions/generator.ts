/** Generators: explode, explode_outer, posexplode, posexplode_outer, inline, inline_outer, stack, json_tuple. */

import { AnalysisError } from '../errors.js';
import type { ScopeField } from '../expr/bound.js';
import { findWiderTypeOfAll } from '../expr/coercion.js';
import type { DataType, Row } from '../types/data-type.js';
import { sqlTypeName, T } from '../types/types.js';
import { jsonTupleValues } from './json.js';
import { checkCollectionSize } from './limits.js';
import { castExpr, coerceArgs, constantArg, registerFunction, typeMismatch } from './registry.js';

function field(name: string, dataType: DataType, nullable = true): ScopeField {
  return { name, qualifier: [], dataType, nullable };
}

for (const name of ['explode', 'explode_outer', 'posexplode', 'posexplode_outer']) {
  const withPos = name.startsWith('pos');
  registerFunction({
    name,
    kind: 'generator',
    minArgs: 1,
    maxArgs: 1,
    bindGenerator: (args) => {
      const a = args[0]!;
      const t = a.dataType;
      const pos = withPos ? [field('pos', T.int, false)] : [];
      if (t.kind === 'array') {
        return {
          args,
          outputFields: [...pos, field('col', t.elementType, t.containsNull)],
          generate: ([v]) => {
            if (v === null || v === undefined) return [];
            const arr = v as unknown[];
            return withPos ? arr.map((x, i) => [i, x]) : arr.map((x) => [x]);
          },
        };
      }
      if (t.kind === 'map') {
        return {
          args,
          outputFields: [
            ...pos,
            field('key', t.keyType, false),
            field('value', t.valueType, t.valueContainsNull),
          ],
          generate: ([v]) => {
            if (v === null || v === undefined) return [];
            const out: Row[] = [];
            let i = 0;
            for (const [k, x] of v as Map<unknown, unknown>) out.push(withPos ? [i++, k, x] : [k, x]);
            return out;
          },
        };
      }
      throw typeMismatch(
        `${name}(${a.sql})`,
        `The first parameter requires the ("ARRAY" or "MAP") type, however "${a.sql}" has the type "${sqlTypeName(t)}"`,
      );
    },
  });
}

for (const name of ['inline', 'inline_outer']) {
  registerFunction({
    name,
    kind: 'generator',
    minArgs: 1,
    maxArgs: 1,
    bindGenerator: (args) => {
      const a = args[0]!;
      const t = a.dataType;
      if (t.kind !== 'array' || t.elementType.kind !== 'struct') {
        throw typeMismatch(
          `${name}(${a.sql})`,
          `The first parameter requires the "ARRAY<STRUCT>" type, however "${a.sql}" has the type "${sqlTypeName(t)}"`,
        );
      }
      const st = t.elementType;
      const width = st.fields.length;
      return {
        args,
        outputFields: st.fields.map((f) => field(f.name, f.dataType, f.nullable || t.containsNull)),
        generate: ([v]) => {
          if (v === null || v === undefined) return [];
          return (v as (unknown[] | null)[]).map((s) =>
            s === null ? new Array(width).fill(null) : s.slice(),
          );
        },
      };
    },
  });
}

registerFunction({
  name: 'stack',
  kind: 'generator',
  minArgs: 2,
  maxArgs: Number.POSITIVE_INFINITY,
  bindGenerator: (args, ctx) => {
    const n = Number(constantArg('stack', args[0]!));
    if (!Number.isInteger(n) || n < 1) {
      throw new AnalysisError(
        'DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE',
        'The number of rows of stack must be a positive integer.',
      );
    }
    checkCollectionSize('stack', 'n', n);
    const values = args.slice(1);
    const cols = Math.ceil(values.length / n);
    const types: DataType[] = [];
    const castValues = values.slice();
    for (let c = 0; c < cols; c++) {
      const colExprs = [];
      for (let r = 0; r < n; r++) {
        const e = values[r * cols + c];
        if (e) colExprs.push(e);
      }
      const t = findWiderTypeOfAll(
        colExprs.map((e) => e.dataType),
        ctx.ansi,
      );
      if (!t)
        throw typeMismatch('stack', `Argument types of stack column ${c} differ`, 'STACK_COLUMN_DIFF_TYPES');
      types.push(t);
      for (let r = 0; r < n; r++) {
        const i = r * cols + c;
        if (values[i]) castValues[i] = castExpr(values[i]!, t, ctx.ansi);
      }
    }
    return {
      args: castValues,
      outputFields: types.map((t, i) => field(`col${i}`, t)),
      generate: (vs) => {
        const out: Row[] = [];
        for (let r = 0; r < n; r++) {
          const row: Row = [];
          for (let c = 0; c < cols; c++) row.push(vs[r * cols + c] ?? null);
          out.push(row);
        }
        return out;
      },
    };
  },
});

registerFunction({
  name: 'json_tuple',
  kind: 'generator',
  minArgs: 2,
  maxArgs: Number.POSITIVE_INFINITY,
  bindGenerator: (raw, ctx) => {
    const args = coerceArgs('json_tuple', raw, [T.string], ctx);
    return {
      args,
      outputFields: args.slice(1).map((_, i) => field(`c${i}`, T.string)),
      generate: ([json, ...keys]) => [jsonTupleValues(json as string | null, keys as (string | null)[])],
    };
  },
});
