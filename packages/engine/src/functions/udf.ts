/**
 * User-defined functions (Spark's `udf(f, returnType)` and `spark.udf.register(name, f, returnType)`):
 * a TypeScript function called once per row with the arguments' values. Structs arrive as plain
 * objects keyed by field name, arrays as arrays, maps as Maps; other values keep the engine's runtime
 * representation (timestamps are epoch microseconds, dates epoch days, as in collected rows). The
 * result is converted to `returnType` as `createDataFrame` converts JS values (Date, bigint, objects).
 *
 * A UDF is registered in the function registry under its name (anonymous ones under a hidden name),
 * so it is called from SQL and from the DataFrame API alike.
 */
import { ExecutionError } from '../errors.js';
import type { BoundExpr } from '../expr/bound.js';
import { toEngineValue } from '../session/create-data-frame.js';
import { parseDataType } from '../sql/index.js';
import type { DataType } from '../types/data-type.js';
import { simpleString } from '../types/types.js';
import { makeCall, registerFunction } from './registry.js';

/** Hidden names of anonymous UDFs start with this (never shown in function lists). */
export const ANONYMOUS_UDF_PREFIX = '\u0002udf';
let anonymous = 0;

export interface UdfSpec {
  readonly name: string;
  readonly fn: (...args: any[]) => unknown;
  readonly returnType: DataType;
  readonly deterministic: boolean;
}

export function toDataType(t: DataType | string): DataType {
  return typeof t === 'string' ? parseDataType(t) : t;
}

/** A fresh hidden name for an anonymous UDF. */
export function anonymousUdfName(): string {
  return `${ANONYMOUS_UDF_PREFIX}${anonymous++}`;
}

/** Engine value → the value a UDF receives. */
export function toUdfArg(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'struct': {
      const arr = v as unknown[];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < t.fields.length; i++) {
        const f = t.fields[i]!;
        o[f.name] = toUdfArg(arr[i], f.dataType);
      }
      return o;
    }
    case 'array':
      return (v as unknown[]).map((x) => toUdfArg(x, t.elementType));
    case 'map': {
      const m = new Map<unknown, unknown>();
      for (const [k, x] of v as Map<unknown, unknown>)
        m.set(toUdfArg(k, t.keyType), toUdfArg(x, t.valueType));
      return m;
    }
    default:
      return v;
  }
}

/** Registers a UDF in the function registry (replacing one of the same name, as Spark does). */
export function registerUdf(spec: UdfSpec): void {
  const name = spec.name.toLowerCase();
  registerFunction({
    name,
    kind: 'scalar',
    minArgs: 0,
    maxArgs: Number.POSITIVE_INFINITY,
    bind: (args: BoundExpr[]) => {
      const types = args.map((a) => a.dataType);
      // Spark's signature: (`name`: (argument types) => result type), types in their simple form.
      const signature = `\`${spec.name.startsWith(ANONYMOUS_UDF_PREFIX) ? 'udf' : spec.name}\`: (${types.map(simpleString).join(', ')}) => ${simpleString(spec.returnType)}`;
      const call = (...values: unknown[]): unknown => {
        let out: unknown;
        try {
          out = spec.fn(...values.map((v, i) => toUdfArg(v, types[i]!)));
        } catch (err) {
          throw new ExecutionError(
            'FAILED_EXECUTE_UDF',
            `User defined function (${signature}) failed due to: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}.`,
            undefined,
            { cause: err },
          );
        }
        return toEngineValue(out, spec.returnType);
      };
      return makeCall(
        name,
        args,
        spec.returnType,
        { fn: call, nulls: 'raw', ...(spec.deterministic ? {} : { nondeterministic: true }) },
        {
          nullable: true,
          sql: `${spec.name.startsWith(ANONYMOUS_UDF_PREFIX) ? 'udf' : spec.name}(${args.map((a) => a.sql).join(', ')})`,
        },
      );
    },
  });
}
