/** Generator resolution (`explode`, `posexplode`, `inline`, `stack`, `json_tuple`, `_outer` variants). */
import { AnalysisError } from '../errors.js';
import { lookupFunction } from '../functions/registry.js';
import type { Row } from '../types/data-type.js';
import type { BoundGenerator, Scope } from './bound.js';
import { compileProjection } from './codegen.js';
import type { Expr } from './expression.js';
import { bindContext, type ResolveOptions } from './resolve.js';

/**
 * Resolves a generator call, optionally under an alias (`explode(m) AS (k, v)`), to a BoundGenerator
 * whose `generate(row)` yields the output rows (generator columns only; the planner joins them to
 * the input row, as Spark's Generate with `join = true`).
 */
export function resolveGenerator(
  expr: Expr,
  scope: Scope,
  options: ResolveOptions & {
    /** `LATERAL VIEW OUTER`: behave as the `_outer` variant whatever the function's name. */
    outer?: boolean;
  } = {},
): BoundGenerator {
  let e = expr;
  let names: readonly string[] | undefined;
  if (e.type === 'alias') {
    names = e.names;
    e = e.operand;
  }
  if (e.type !== 'function')
    throw new AnalysisError('UNSUPPORTED_GENERATOR.NOT_GENERATOR', 'The expression is not a generator.');
  const name = e.name.toLowerCase();
  const def = lookupFunction(name);
  if (def?.kind !== 'generator') {
    throw new AnalysisError(
      'UNSUPPORTED_GENERATOR.NOT_GENERATOR',
      `The generator is not supported: \`${e.name}\` is expected to be a generator. However, its class is not a generator.`,
    );
  }
  if (e.args.length < def.minArgs || e.args.length > def.maxArgs) {
    throw new AnalysisError(
      'WRONG_NUM_ARGS.WITHOUT_SUGGESTION',
      `The \`${name}\` requires ${def.minArgs === def.maxArgs ? def.minArgs : `> ${def.minArgs - 1}`} parameters but the actual number is ${e.args.length}.`,
    );
  }
  const ctx = bindContext(scope, options);
  const bound = e.args.map((a) => ctx.bind(a));
  const spec = def.bindGenerator!(bound, ctx);
  const outer = name.endsWith('_outer') || options.outer === true;
  let fields = spec.outputFields;
  if (names && names.length > 0) {
    if (names.length !== fields.length) {
      throw new AnalysisError(
        'NUM_TABLE_VALUE_ALIASES_MISMATCH',
        `Number of given aliases does not match number of output columns. Function name: ${name}; number of aliases: ${names.length}; number of output columns: ${fields.length}.`,
      );
    }
    fields = fields.map((f, i) => ({ ...f, name: names![i]! }));
  }
  if (outer) fields = fields.map((f) => ({ ...f, nullable: true }));
  const evalArgs = compileProjection(spec.args);
  const nullRow: Row = fields.map(() => null);
  const sql = `${name}(${bound.map((b) => b.sql).join(', ')})`;
  return {
    name,
    args: spec.args,
    outputFields: fields,
    outer,
    sql,
    generate(row: Row): Row[] {
      const out = spec.generate(evalArgs(row));
      if (outer && out.length === 0) return [nullRow.slice()];
      return out;
    },
  };
}
