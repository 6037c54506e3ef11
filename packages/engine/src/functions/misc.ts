/** Miscellaneous functions: typeof, cast-named functions (int(x), string(x), ...), assert_true, raise_error, ids. */
import { ExecutionError } from '../errors.js';
import { canCast } from '../expr/cast.js';
import type { DataType } from '../types/data-type.js';
import { decimalType, simpleString, sqlTypeName, T } from '../types/types.js';
import { castExpr, defineScalar, makeCall, registerFunction, typeMismatch } from './registry.js';

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
  'current_database',
  { args: [], ret: T.string, nullable: false, fn: () => 'default' },
  'current_schema',
);
defineScalar('current_catalog', { args: [], ret: T.string, nullable: false, fn: () => 'spark_catalog' });
defineScalar(
  'current_user',
  { args: [], ret: T.string, nullable: false, fn: () => process.env.USER ?? 'sluice' },
  'user',
  'session_user',
);
defineScalar('version', { args: [], ret: T.string, nullable: false, fn: () => '4.0.0 sluice' });
