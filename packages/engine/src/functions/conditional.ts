/** Conditional and null functions: coalesce, if, nullif, nvl, nvl2, ifnull, isnull, isnotnull, nanvl, greatest, least. */
import type { BoundExpr, CallImpl } from '../expr/bound.js';
import { bindCase, bindCoalesce, coerceAll } from '../expr/conditional.js';
import { bindComparison, comparisonCode } from '../expr/operators.js';
import { T } from '../types/types.js';
import { castExpr, coerceArgs, defaultSql, makeCall, registerFunction } from './registry.js';

const lit = (value: unknown, dataType = T.null): BoundExpr => ({
  kind: 'literal',
  value,
  dataType,
  nullable: value === null,
  sql: value === null ? 'NULL' : String(value),
});

registerFunction({
  name: 'coalesce',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: Number.POSITIVE_INFINITY,
  bind: (args, ctx) => bindCoalesce(args, ctx.ansi),
});

for (const name of ['nvl', 'ifnull']) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 2,
    maxArgs: 2,
    bind: (args, ctx) => bindCoalesce(args, ctx.ansi, name),
  });
}

registerFunction(
  {
    name: 'if',
    kind: 'scalar',
    minArgs: 3,
    maxArgs: 3,
    bind: (args, ctx) => {
      const [c, a, b] = args as [BoundExpr, BoundExpr, BoundExpr];
      const cond = c.dataType.kind === 'boolean' ? c : castExpr(c, T.boolean, ctx.ansi);
      return bindCase([{ when: cond, value: a }], b, ctx.ansi, `(IF(${c.sql}, ${a.sql}, ${b.sql}))`);
    },
  },
  'iff',
);

registerFunction({
  name: 'nullif',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (args, ctx) => {
    const [a, b] = args as [BoundExpr, BoundExpr];
    const eq = bindComparison('=', a, b, ctx.ansi);
    const call = bindCase(
      [{ when: eq, value: castExpr(lit(null), a.dataType, false) }],
      a,
      ctx.ansi,
      defaultSql('nullif', args),
    );
    return { ...call, nullable: true } as BoundExpr;
  },
});

registerFunction({
  name: 'nvl2',
  kind: 'scalar',
  minArgs: 3,
  maxArgs: 3,
  bind: (args, ctx) => {
    const [a, b, c] = args as [BoundExpr, BoundExpr, BoundExpr];
    const notNull = makeCall(
      'isnotnull',
      [a],
      T.boolean,
      { nulls: 'raw', inline: ([v]) => `(${v} !== null)` },
      { nullable: false },
    );
    return bindCase([{ when: notNull, value: b }], c, ctx.ansi, defaultSql('nvl2', args));
  },
});

registerFunction({
  name: 'isnull',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a]) =>
    makeCall(
      'isnull',
      [a!],
      T.boolean,
      { nulls: 'raw', inline: ([v]) => `(${v} === null)` },
      { nullable: false, sql: `(${a!.sql} IS NULL)` },
    ),
});

registerFunction({
  name: 'isnotnull',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: ([a]) =>
    makeCall(
      'isnotnull',
      [a!],
      T.boolean,
      { nulls: 'raw', inline: ([v]) => `(${v} !== null)` },
      {
        nullable: false,
        sql: `(${a!.sql} IS NOT NULL)`,
      },
    ),
});

registerFunction({
  name: 'nanvl',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (args, ctx) => {
    const cs = coerceArgs('nanvl', args, [T.double, T.double], ctx);
    return makeCall('nanvl', cs, T.double, {
      nulls: 'raw',
      fn: (a: number | null, b: number | null) => (a === null ? null : Number.isNaN(a) ? b : a),
    });
  },
});

for (const name of ['greatest', 'least'] as const) {
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    bind: (args, ctx) => {
      const cs = coerceAll(defaultSql(name, args), name, args, ctx.ansi);
      const t = cs[0]!.dataType;
      const op = name === 'greatest' ? '>' : '<';
      const impl: CallImpl = {
        gen: (g, a) => {
          const r = g.fresh();
          const first = g.expr(a[0]!);
          g.emit(`let ${r} = ${first};`);
          for (let i = 1; i < a.length; i++) {
            const v = g.expr(a[i]!);
            g.emit(`if (${v} !== null && (${r} === null || ${comparisonCode(op, t, v, r, g)})) ${r} = ${v};`);
          }
          return r;
        },
      };
      return makeCall(name, cs, t, impl, { nullable: cs.every((c) => c.nullable) });
    },
  });
}
