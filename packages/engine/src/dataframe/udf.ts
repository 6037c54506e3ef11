/**
 * The DataFrame API of user-defined functions: `udf(f, returnType)` gives a function of Columns,
 * `session.udf.register(name, f, returnType)` makes it callable from SQL too (Spark's
 * `UDFRegistration`). The default return type is string, as in PySpark.
 */
import { anonymousUdfName, registerUdf, toDataType } from '../functions/udf.js';
import type { DataType } from '../types/data-type.js';
import { Column, toColumn } from './column.js';

export interface UserDefinedFunction {
  (...cols: (Column | string)[]): Column;
  /** The name SQL calls it by (a hidden one for an unregistered UDF). */
  readonly functionName: string;
  readonly returnType: DataType;
  readonly deterministic: boolean;
  /** The wrapped TypeScript function. */
  readonly func: AnyFunction;
  /** The same function, never constant-folded or deduplicated (Spark's `asNondeterministic`). */
  asNondeterministic(): UserDefinedFunction;
}

type AnyFunction = (...args: any[]) => unknown;

function define(
  name: string,
  fn: AnyFunction,
  returnType: DataType,
  deterministic: boolean,
): UserDefinedFunction {
  registerUdf({ name, fn, returnType, deterministic });
  const call = (...cols: (Column | string)[]): Column =>
    new Column({ type: 'function', name, args: cols.map((c) => toColumn(c).expr) });
  return Object.assign(call, {
    functionName: name,
    func: fn,
    returnType,
    deterministic,
    asNondeterministic: () => define(anonymousUdfName(), fn, returnType, false),
  });
}

/** `udf(f, returnType)`: a function of Columns calling `f` for each row. */
export function udf(fn: AnyFunction, returnType: DataType | string = 'string'): UserDefinedFunction {
  return define(anonymousUdfName(), fn, toDataType(returnType), true);
}

/** `session.udf`: registers UDFs under names SQL can call. */
export class UDFRegistration {
  /**
   * `register(name, f, returnType)` or `register(name, udf(...))`; returns the UDF, callable from the
   * DataFrame API too.
   */
  register(
    name: string,
    f: AnyFunction | UserDefinedFunction,
    returnType?: DataType | string,
  ): UserDefinedFunction {
    if (isUdf(f)) return define(name, f.func, f.returnType, f.deterministic);
    return define(name, f, toDataType(returnType ?? 'string'), true);
  }
}

function isUdf(f: AnyFunction | UserDefinedFunction): f is UserDefinedFunction {
  return typeof (f as UserDefinedFunction).functionName === 'string';
}
