import type { Expr } from '../expr/expression.js';
import { parseExpression } from '../sql/index.js';
import { Column, type ColumnLike, columnExpr, literalExpr, toColumn, toExpr } from './column.js';

/**
 * Spark's `functions` module (org.apache.spark.sql.functions / pyspark.sql.functions). Column
 * parameters accept a Column or a column name (`count('x')` = `count(col('x'))`) wherever Spark
 * accepts `Column | String`; value parameters accept a Column or a JS literal.
 * `import { functions as F } from '@sluice/engine'` or named imports.
 */

type ColOrName = Column | string;

function c(v: ColOrName): Expr {
  return toColumn(v).expr;
}

function fn(name: string, ...args: Expr[]): Column {
  return new Column({ type: 'function', name, args });
}

/** Any function by name (`call_function('upper', col('a'))`). */
export function call_function(name: string, ...cols: ColOrName[]): Column {
  return fn(name, ...cols.map(c));
}

export function col(name: string): Column {
  return new Column(columnExpr(name));
}
export const column = col;
export function lit(v: unknown): Column {
  return v instanceof Column ? v : new Column(literalExpr(v));
}
/** Parses a SQL expression (`expr('a + 1 AS b')`). */
export function expr(text: string): Column {
  return new Column(parseExpression(text));
}
export function when(condition: Column, value: ColumnLike): Column {
  // biome-ignore lint/suspicious/noThenProperty: the Expr contract names a CASE branch result `then`
  return new Column({ type: 'case', branches: [{ when: condition.expr, then: toExpr(value) }] });
}
export function not(e: Column): Column {
  return e.not();
}
export function asc(name: string): Column {
  return col(name).asc();
}
export function desc(name: string): Column {
  return col(name).desc();
}
export function asc_nulls_first(name: string): Column {
  return col(name).asc_nulls_first();
}
export function asc_nulls_last(name: string): Column {
  return col(name).asc_nulls_last();
}
export function desc_nulls_first(name: string): Column {
  return col(name).desc_nulls_first();
}
export function desc_nulls_last(name: string): Column {
  return col(name).desc_nulls_last();
}

// ---- aggregates ----
/** `count('*')` counts rows (Spark's count(1)). */
export function count(e: ColOrName): Column {
  if (e === '*') return fn('count', literalExpr(1));
  return fn('count', c(e));
}
export function countDistinct(...cols: ColOrName[]): Column {
  return new Column({ type: 'function', name: 'count', args: cols.map(c), distinct: true });
}
export const count_distinct = countDistinct;
export function sumDistinct(e: ColOrName): Column {
  return new Column({ type: 'function', name: 'sum', args: [c(e)], distinct: true });
}
export const sum_distinct = sumDistinct;
export function approx_count_distinct(e: ColOrName, rsd?: number): Column {
  return fn('approx_count_distinct', c(e), ...(rsd === undefined ? [] : [literalExpr(rsd)]));
}
export const approxCountDistinct = approx_count_distinct;
export function first(e: ColOrName, ignoreNulls = false): Column {
  return fn('first', c(e), ...(ignoreNulls ? [literalExpr(true)] : []));
}
export function last(e: ColOrName, ignoreNulls = false): Column {
  return fn('last', c(e), ...(ignoreNulls ? [literalExpr(true)] : []));
}
export function percentile_approx(e: ColOrName, percentage: ColumnLike, accuracy?: ColumnLike): Column {
  return fn(
    'percentile_approx',
    c(e),
    toExpr(percentage),
    ...(accuracy === undefined ? [] : [toExpr(accuracy)]),
  );
}
export function max_by(e: ColOrName, ord: ColOrName): Column {
  return fn('max_by', c(e), c(ord));
}
export function min_by(e: ColOrName, ord: ColOrName): Column {
  return fn('min_by', c(e), c(ord));
}

// ---- time windows ----
/** `window(timeColumn, windowDuration[, slideDuration[, startTime]])`. */
export function window(
  timeColumn: ColOrName,
  windowDuration: string,
  slideDuration?: string,
  startTime?: string,
): Column {
  const args = [c(timeColumn), literalExpr(windowDuration)];
  if (slideDuration !== undefined) args.push(literalExpr(slideDuration));
  if (startTime !== undefined) {
    if (slideDuration === undefined) args.push(literalExpr(windowDuration));
    args.push(literalExpr(startTime));
  }
  return fn('window', ...args);
}
export function session_window(timeColumn: ColOrName, gapDuration: ColumnLike): Column {
  return fn('session_window', c(timeColumn), toExpr(gapDuration));
}
export function window_time(windowColumn: ColOrName): Column {
  return fn('window_time', c(windowColumn));
}

// ---- higher-order functions (JS callbacks build lambda expressions) ----
let lambdaCounter = 0;
function lambda(f: (...xs: Column[]) => Column, arity: number): Expr {
  const params = Array.from({ length: arity }, (_, i) => `__x${lambdaCounter++}_${i}`);
  const body = f(...params.map((p) => new Column({ type: 'column', nameParts: [p] })));
  return { type: 'lambda', params, body: body.expr };
}
export function transform(e: ColOrName, f: (x: Column, i: Column) => Column): Column {
  return fn('transform', c(e), lambda(f as (...xs: Column[]) => Column, f.length >= 2 ? 2 : 1));
}
export function filter(e: ColOrName, f: (x: Column, i: Column) => Column): Column {
  return fn('filter', c(e), lambda(f as (...xs: Column[]) => Column, f.length >= 2 ? 2 : 1));
}
export function exists(e: ColOrName, f: (x: Column) => Column): Column {
  return fn('exists', c(e), lambda(f as (...xs: Column[]) => Column, 1));
}
export function forall(e: ColOrName, f: (x: Column) => Column): Column {
  return fn('forall', c(e), lambda(f as (...xs: Column[]) => Column, 1));
}
export function aggregate(
  e: ColOrName,
  initialValue: ColumnLike,
  merge: (acc: Column, x: Column) => Column,
  finish?: (acc: Column) => Column,
): Column {
  const args = [c(e), toExpr(initialValue), lambda(merge as (...xs: Column[]) => Column, 2)];
  if (finish) args.push(lambda(finish as (...xs: Column[]) => Column, 1));
  return fn('aggregate', ...args);
}
export function transform_keys(e: ColOrName, f: (k: Column, v: Column) => Column): Column {
  return fn('transform_keys', c(e), lambda(f as (...xs: Column[]) => Column, 2));
}
export function transform_values(e: ColOrName, f: (k: Column, v: Column) => Column): Column {
  return fn('transform_values', c(e), lambda(f as (...xs: Column[]) => Column, 2));
}
export function map_filter(e: ColOrName, f: (k: Column, v: Column) => Column): Column {
  return fn('map_filter', c(e), lambda(f as (...xs: Column[]) => Column, 2));
}
export function zip_with(a: ColOrName, b: ColOrName, f: (x: Column, y: Column) => Column): Column {
  return fn('zip_with', c(a), c(b), lambda(f as (...xs: Column[]) => Column, 2));
}

// ---- functions with literal (non-column) parameters ----
export function substring(str: ColOrName, pos: number, len: number): Column {
  return fn('substring', c(str), literalExpr(pos), literalExpr(len));
}
export function split(str: ColOrName, pattern: string, limit?: number): Column {
  return fn('split', c(str), literalExpr(pattern), ...(limit === undefined ? [] : [literalExpr(limit)]));
}
export function concat_ws(sep: string, ...cols: ColOrName[]): Column {
  return fn('concat_ws', literalExpr(sep), ...cols.map(c));
}
export function format_string(format: string, ...cols: ColOrName[]): Column {
  return fn('format_string', literalExpr(format), ...cols.map(c));
}
export const printf = format_string;
export function lpad(str: ColOrName, len: number, pad: string): Column {
  return fn('lpad', c(str), literalExpr(len), literalExpr(pad));
}
export function rpad(str: ColOrName, len: number, pad: string): Column {
  return fn('rpad', c(str), literalExpr(len), literalExpr(pad));
}
export function regexp_extract(str: ColOrName, pattern: string, idx: number): Column {
  return fn('regexp_extract', c(str), literalExpr(pattern), literalExpr(idx));
}
export function regexp_replace(str: ColOrName, pattern: ColumnLike, replacement: ColumnLike): Column {
  return fn('regexp_replace', c(str), toExpr(pattern), toExpr(replacement));
}
export function date_format(date: ColOrName, format: string): Column {
  return fn('date_format', c(date), literalExpr(format));
}
export function to_timestamp(e: ColOrName, format?: string): Column {
  return fn('to_timestamp', c(e), ...(format === undefined ? [] : [literalExpr(format)]));
}
export function to_date(e: ColOrName, format?: string): Column {
  return fn('to_date', c(e), ...(format === undefined ? [] : [literalExpr(format)]));
}
export function unix_timestamp(e?: ColOrName, format?: string): Column {
  if (e === undefined) return fn('unix_timestamp');
  return fn('unix_timestamp', c(e), ...(format === undefined ? [] : [literalExpr(format)]));
}
export function from_unixtime(e: ColOrName, format?: string): Column {
  return fn('from_unixtime', c(e), ...(format === undefined ? [] : [literalExpr(format)]));
}
export function date_trunc(format: string, e: ColOrName): Column {
  return fn('date_trunc', literalExpr(format), c(e));
}
export function trunc(e: ColOrName, format: string): Column {
  return fn('trunc', c(e), literalExpr(format));
}
export function date_add(e: ColOrName, days: ColumnLike): Column {
  return fn('date_add', c(e), toExpr(days));
}
export function date_sub(e: ColOrName, days: ColumnLike): Column {
  return fn('date_sub', c(e), toExpr(days));
}
export function add_months(e: ColOrName, months: ColumnLike): Column {
  return fn('add_months', c(e), toExpr(months));
}
export function round(e: ColOrName, scale = 0): Column {
  return fn('round', c(e), literalExpr(scale));
}
export function bround(e: ColOrName, scale = 0): Column {
  return fn('bround', c(e), literalExpr(scale));
}
export function sha2(e: ColOrName, numBits: number): Column {
  return fn('sha2', c(e), literalExpr(numBits));
}
export function element_at(e: ColOrName, extraction: ColumnLike): Column {
  return fn('element_at', c(e), toExpr(extraction));
}
export function array_contains(e: ColOrName, value: ColumnLike): Column {
  return fn('array_contains', c(e), toExpr(value));
}
export function array_position(e: ColOrName, value: ColumnLike): Column {
  return fn('array_position', c(e), toExpr(value));
}
export function array_remove(e: ColOrName, value: ColumnLike): Column {
  return fn('array_remove', c(e), toExpr(value));
}
export function array_join(e: ColOrName, delimiter: string, nullReplacement?: string): Column {
  return fn(
    'array_join',
    c(e),
    literalExpr(delimiter),
    ...(nullReplacement === undefined ? [] : [literalExpr(nullReplacement)]),
  );
}
export function slice(e: ColOrName, start: ColumnLike, length: ColumnLike): Column {
  return fn('slice', c(e), toExpr(start), toExpr(length));
}
export function sort_array(e: ColOrName, asc = true): Column {
  return fn('sort_array', c(e), literalExpr(asc));
}
export function get_json_object(e: ColOrName, path: string): Column {
  return fn('get_json_object', c(e), literalExpr(path));
}
export function json_tuple(e: ColOrName, ...fields: string[]): Column {
  return fn('json_tuple', c(e), ...fields.map((f) => literalExpr(f)));
}
/** `from_json(col, schema)` with a DDL / JSON schema string, or a DataType. */
export function from_json(e: ColOrName, schema: string | object, options?: Record<string, string>): Column {
  const s = typeof schema === 'string' ? schema : JSON.stringify(schema);
  const args = [c(e), literalExpr(s)];
  if (options)
    args.push(
      fn('map', ...Object.entries(options).flatMap(([k, v]) => [literalExpr(k), literalExpr(v)])).expr,
    );
  return fn('from_json', ...args);
}
export function to_json(e: ColOrName, options?: Record<string, string>): Column {
  const args = [c(e)];
  if (options)
    args.push(
      fn('map', ...Object.entries(options).flatMap(([k, v]) => [literalExpr(k), literalExpr(v)])).expr,
    );
  return fn('to_json', ...args);
}
export function schema_of_json(json: ColumnLike): Column {
  return fn('schema_of_json', toExpr(json));
}
export function from_csv(e: ColOrName, schema: string): Column {
  return fn('from_csv', c(e), literalExpr(schema));
}
export function locate(substr: string, str: ColOrName, pos?: number): Column {
  return fn('locate', literalExpr(substr), c(str), ...(pos === undefined ? [] : [literalExpr(pos)]));
}
export function instr(str: ColOrName, substr: string): Column {
  return fn('instr', c(str), literalExpr(substr));
}
export function translate(str: ColOrName, matching: string, replace: string): Column {
  return fn('translate', c(str), literalExpr(matching), literalExpr(replace));
}
export function repeat(str: ColOrName, n: number): Column {
  return fn('repeat', c(str), literalExpr(n));
}
export function substring_index(str: ColOrName, delim: string, count: number): Column {
  return fn('substring_index', c(str), literalExpr(delim), literalExpr(count));
}
export function conv(e: ColOrName, fromBase: number, toBase: number): Column {
  return fn('conv', c(e), literalExpr(fromBase), literalExpr(toBase));
}
export function format_number(e: ColOrName, d: number): Column {
  return fn('format_number', c(e), literalExpr(d));
}
export function shiftleft(e: ColOrName, n: number): Column {
  return fn('shiftleft', c(e), literalExpr(n));
}
export function shiftright(e: ColOrName, n: number): Column {
  return fn('shiftright', c(e), literalExpr(n));
}
export function pow(a: ColOrName | number, b: ColOrName | number): Column {
  return fn(
    'pow',
    typeof a === 'number' ? literalExpr(a) : c(a),
    typeof b === 'number' ? literalExpr(b) : c(b),
  );
}
export const power = pow;
export function atan2(a: ColOrName | number, b: ColOrName | number): Column {
  return fn(
    'atan2',
    typeof a === 'number' ? literalExpr(a) : c(a),
    typeof b === 'number' ? literalExpr(b) : c(b),
  );
}
export function rand(seed?: number): Column {
  return fn('rand', ...(seed === undefined ? [] : [literalExpr(seed)]));
}
export function randn(seed?: number): Column {
  return fn('randn', ...(seed === undefined ? [] : [literalExpr(seed)]));
}
export function current_timestamp(): Column {
  return fn('current_timestamp');
}
export function current_date(): Column {
  return fn('current_date');
}
export function now(): Column {
  return fn('now');
}
export function monotonically_increasing_id(): Column {
  return fn('monotonically_increasing_id');
}
export function uuid(): Column {
  return fn('uuid');
}
export function input_file_name(): Column {
  return fn('input_file_name');
}
export function expr_sql(text: string): Column {
  return expr(text);
}

export function abs(e: ColOrName): Column {
  return fn('abs', c(e));
}

export function acos(e: ColOrName): Column {
  return fn('acos', c(e));
}

export function acosh(e: ColOrName): Column {
  return fn('acosh', c(e));
}

export function asin(e: ColOrName): Column {
  return fn('asin', c(e));
}

export function asinh(e: ColOrName): Column {
  return fn('asinh', c(e));
}

export function atan(e: ColOrName): Column {
  return fn('atan', c(e));
}

export function atanh(e: ColOrName): Column {
  return fn('atanh', c(e));
}

export function cbrt(e: ColOrName): Column {
  return fn('cbrt', c(e));
}

export function ceil(e: ColOrName): Column {
  return fn('ceil', c(e));
}

export function ceiling(e: ColOrName): Column {
  return fn('ceiling', c(e));
}

export function cos(e: ColOrName): Column {
  return fn('cos', c(e));
}

export function cosh(e: ColOrName): Column {
  return fn('cosh', c(e));
}

export function cot(e: ColOrName): Column {
  return fn('cot', c(e));
}

export function degrees(e: ColOrName): Column {
  return fn('degrees', c(e));
}

export function exp(e: ColOrName): Column {
  return fn('exp', c(e));
}

export function expm1(e: ColOrName): Column {
  return fn('expm1', c(e));
}

export function factorial(e: ColOrName): Column {
  return fn('factorial', c(e));
}

export function floor(e: ColOrName): Column {
  return fn('floor', c(e));
}

export function log10(e: ColOrName): Column {
  return fn('log10', c(e));
}

export function log1p(e: ColOrName): Column {
  return fn('log1p', c(e));
}

export function log2(e: ColOrName): Column {
  return fn('log2', c(e));
}

export function negative(e: ColOrName): Column {
  return fn('negative', c(e));
}

export function positive(e: ColOrName): Column {
  return fn('positive', c(e));
}

export function radians(e: ColOrName): Column {
  return fn('radians', c(e));
}

export function rint(e: ColOrName): Column {
  return fn('rint', c(e));
}

export function signum(e: ColOrName): Column {
  return fn('signum', c(e));
}

export function sign(e: ColOrName): Column {
  return fn('sign', c(e));
}

export function sin(e: ColOrName): Column {
  return fn('sin', c(e));
}

export function sinh(e: ColOrName): Column {
  return fn('sinh', c(e));
}

export function sqrt(e: ColOrName): Column {
  return fn('sqrt', c(e));
}

export function tan(e: ColOrName): Column {
  return fn('tan', c(e));
}

export function tanh(e: ColOrName): Column {
  return fn('tanh', c(e));
}

export function bin(e: ColOrName): Column {
  return fn('bin', c(e));
}

export function hex(e: ColOrName): Column {
  return fn('hex', c(e));
}

export function unhex(e: ColOrName): Column {
  return fn('unhex', c(e));
}

export function ascii(e: ColOrName): Column {
  return fn('ascii', c(e));
}

export function base64(e: ColOrName): Column {
  return fn('base64', c(e));
}

export function unbase64(e: ColOrName): Column {
  return fn('unbase64', c(e));
}

export function bit_length(e: ColOrName): Column {
  return fn('bit_length', c(e));
}

export function char_length(e: ColOrName): Column {
  return fn('char_length', c(e));
}

export function character_length(e: ColOrName): Column {
  return fn('character_length', c(e));
}

export function length(e: ColOrName): Column {
  return fn('length', c(e));
}

export function lower(e: ColOrName): Column {
  return fn('lower', c(e));
}

export function upper(e: ColOrName): Column {
  return fn('upper', c(e));
}

export function lcase(e: ColOrName): Column {
  return fn('lcase', c(e));
}

export function ucase(e: ColOrName): Column {
  return fn('ucase', c(e));
}

export function ltrim(e: ColOrName): Column {
  return fn('ltrim', c(e));
}

export function rtrim(e: ColOrName): Column {
  return fn('rtrim', c(e));
}

export function trim(e: ColOrName): Column {
  return fn('trim', c(e));
}

export function initcap(e: ColOrName): Column {
  return fn('initcap', c(e));
}

export function reverse(e: ColOrName): Column {
  return fn('reverse', c(e));
}

export function soundex(e: ColOrName): Column {
  return fn('soundex', c(e));
}

export function octet_length(e: ColOrName): Column {
  return fn('octet_length', c(e));
}

export function md5(e: ColOrName): Column {
  return fn('md5', c(e));
}

export function sha1(e: ColOrName): Column {
  return fn('sha1', c(e));
}

export function crc32(e: ColOrName): Column {
  return fn('crc32', c(e));
}

export function isnan(e: ColOrName): Column {
  return fn('isnan', c(e));
}

export function isnull(e: ColOrName): Column {
  return fn('isnull', c(e));
}

export function isnotnull(e: ColOrName): Column {
  return fn('isnotnull', c(e));
}

export function year(e: ColOrName): Column {
  return fn('year', c(e));
}

export function quarter(e: ColOrName): Column {
  return fn('quarter', c(e));
}

export function month(e: ColOrName): Column {
  return fn('month', c(e));
}

export function dayofmonth(e: ColOrName): Column {
  return fn('dayofmonth', c(e));
}

export function day(e: ColOrName): Column {
  return fn('day', c(e));
}

export function dayofweek(e: ColOrName): Column {
  return fn('dayofweek', c(e));
}

export function dayofyear(e: ColOrName): Column {
  return fn('dayofyear', c(e));
}

export function hour(e: ColOrName): Column {
  return fn('hour', c(e));
}

export function minute(e: ColOrName): Column {
  return fn('minute', c(e));
}

export function second(e: ColOrName): Column {
  return fn('second', c(e));
}

export function weekofyear(e: ColOrName): Column {
  return fn('weekofyear', c(e));
}

export function last_day(e: ColOrName): Column {
  return fn('last_day', c(e));
}

export function to_unix_timestamp(e: ColOrName): Column {
  return fn('to_unix_timestamp', c(e));
}

export function unix_seconds(e: ColOrName): Column {
  return fn('unix_seconds', c(e));
}

export function unix_millis(e: ColOrName): Column {
  return fn('unix_millis', c(e));
}

export function unix_micros(e: ColOrName): Column {
  return fn('unix_micros', c(e));
}

export function timestamp_seconds(e: ColOrName): Column {
  return fn('timestamp_seconds', c(e));
}

export function timestamp_millis(e: ColOrName): Column {
  return fn('timestamp_millis', c(e));
}

export function timestamp_micros(e: ColOrName): Column {
  return fn('timestamp_micros', c(e));
}

export function date_from_unix_date(e: ColOrName): Column {
  return fn('date_from_unix_date', c(e));
}

export function unix_date(e: ColOrName): Column {
  return fn('unix_date', c(e));
}

export function size(e: ColOrName): Column {
  return fn('size', c(e));
}

export function cardinality(e: ColOrName): Column {
  return fn('cardinality', c(e));
}

export function array_distinct(e: ColOrName): Column {
  return fn('array_distinct', c(e));
}

export function array_max(e: ColOrName): Column {
  return fn('array_max', c(e));
}

export function array_min(e: ColOrName): Column {
  return fn('array_min', c(e));
}

export function array_sort(e: ColOrName): Column {
  return fn('array_sort', c(e));
}

export function flatten(e: ColOrName): Column {
  return fn('flatten', c(e));
}

export function map_keys(e: ColOrName): Column {
  return fn('map_keys', c(e));
}

export function map_values(e: ColOrName): Column {
  return fn('map_values', c(e));
}

export function map_entries(e: ColOrName): Column {
  return fn('map_entries', c(e));
}

export function map_from_entries(e: ColOrName): Column {
  return fn('map_from_entries', c(e));
}

export function explode(e: ColOrName): Column {
  return fn('explode', c(e));
}

export function explode_outer(e: ColOrName): Column {
  return fn('explode_outer', c(e));
}

export function posexplode(e: ColOrName): Column {
  return fn('posexplode', c(e));
}

export function posexplode_outer(e: ColOrName): Column {
  return fn('posexplode_outer', c(e));
}

export function inline(e: ColOrName): Column {
  return fn('inline', c(e));
}

export function inline_outer(e: ColOrName): Column {
  return fn('inline_outer', c(e));
}

export function shuffle(e: ColOrName): Column {
  return fn('shuffle', c(e));
}

export function sum(e: ColOrName): Column {
  return fn('sum', c(e));
}

export function avg(e: ColOrName): Column {
  return fn('avg', c(e));
}

export function mean(e: ColOrName): Column {
  return fn('mean', c(e));
}

export function min(e: ColOrName): Column {
  return fn('min', c(e));
}

export function max(e: ColOrName): Column {
  return fn('max', c(e));
}

export function stddev(e: ColOrName): Column {
  return fn('stddev', c(e));
}

export function stddev_samp(e: ColOrName): Column {
  return fn('stddev_samp', c(e));
}

export function stddev_pop(e: ColOrName): Column {
  return fn('stddev_pop', c(e));
}

export function variance(e: ColOrName): Column {
  return fn('variance', c(e));
}

export function var_samp(e: ColOrName): Column {
  return fn('var_samp', c(e));
}

export function var_pop(e: ColOrName): Column {
  return fn('var_pop', c(e));
}

export function collect_list(e: ColOrName): Column {
  return fn('collect_list', c(e));
}

export function collect_set(e: ColOrName): Column {
  return fn('collect_set', c(e));
}

export function skewness(e: ColOrName): Column {
  return fn('skewness', c(e));
}

export function kurtosis(e: ColOrName): Column {
  return fn('kurtosis', c(e));
}

export function any_value(e: ColOrName): Column {
  return fn('any_value', c(e));
}

export function bool_and(e: ColOrName): Column {
  return fn('bool_and', c(e));
}

export function bool_or(e: ColOrName): Column {
  return fn('bool_or', c(e));
}

export function every(e: ColOrName): Column {
  return fn('every', c(e));
}

export function some(e: ColOrName): Column {
  return fn('some', c(e));
}

export function count_if(e: ColOrName): Column {
  return fn('count_if', c(e));
}

export function median(e: ColOrName): Column {
  return fn('median', c(e));
}

export function mode(e: ColOrName): Column {
  return fn('mode', c(e));
}

export function product(e: ColOrName): Column {
  return fn('product', c(e));
}

export function bitwise_not(e: ColOrName): Column {
  return fn('bitwise_not', c(e));
}

export function concat(...cols: ColOrName[]): Column {
  return fn('concat', ...cols.map(c));
}

export function coalesce(...cols: ColOrName[]): Column {
  return fn('coalesce', ...cols.map(c));
}

export function greatest(...cols: ColOrName[]): Column {
  return fn('greatest', ...cols.map(c));
}

export function least(...cols: ColOrName[]): Column {
  return fn('least', ...cols.map(c));
}

export function array(...cols: ColOrName[]): Column {
  return fn('array', ...cols.map(c));
}

export function struct(...cols: ColOrName[]): Column {
  return fn('struct', ...cols.map(c));
}

export function named_struct(...cols: ColOrName[]): Column {
  return fn('named_struct', ...cols.map(c));
}

export function map(...cols: ColOrName[]): Column {
  return fn('map', ...cols.map(c));
}

export function create_map(...cols: ColOrName[]): Column {
  return fn('create_map', ...cols.map(c));
}

export function hash(...cols: ColOrName[]): Column {
  return fn('hash', ...cols.map(c));
}

export function xxhash64(...cols: ColOrName[]): Column {
  return fn('xxhash64', ...cols.map(c));
}

export function array_union(...cols: ColOrName[]): Column {
  return fn('array_union', ...cols.map(c));
}

export function array_intersect(...cols: ColOrName[]): Column {
  return fn('array_intersect', ...cols.map(c));
}

export function array_except(...cols: ColOrName[]): Column {
  return fn('array_except', ...cols.map(c));
}

export function arrays_zip(...cols: ColOrName[]): Column {
  return fn('arrays_zip', ...cols.map(c));
}

export function arrays_overlap(...cols: ColOrName[]): Column {
  return fn('arrays_overlap', ...cols.map(c));
}

export function map_concat(...cols: ColOrName[]): Column {
  return fn('map_concat', ...cols.map(c));
}

export function map_from_arrays(...cols: ColOrName[]): Column {
  return fn('map_from_arrays', ...cols.map(c));
}

export function nanvl(...cols: ColOrName[]): Column {
  return fn('nanvl', ...cols.map(c));
}

export function nullif(...cols: ColOrName[]): Column {
  return fn('nullif', ...cols.map(c));
}

export function ifnull(...cols: ColOrName[]): Column {
  return fn('ifnull', ...cols.map(c));
}

export function nvl(...cols: ColOrName[]): Column {
  return fn('nvl', ...cols.map(c));
}

export function nvl2(...cols: ColOrName[]): Column {
  return fn('nvl2', ...cols.map(c));
}

export function datediff(...cols: ColOrName[]): Column {
  return fn('datediff', ...cols.map(c));
}

export function months_between(...cols: ColOrName[]): Column {
  return fn('months_between', ...cols.map(c));
}

export function next_day(...cols: ColOrName[]): Column {
  return fn('next_day', ...cols.map(c));
}

export function to_utc_timestamp(...cols: ColOrName[]): Column {
  return fn('to_utc_timestamp', ...cols.map(c));
}

export function from_utc_timestamp(...cols: ColOrName[]): Column {
  return fn('from_utc_timestamp', ...cols.map(c));
}

export function make_date(...cols: ColOrName[]): Column {
  return fn('make_date', ...cols.map(c));
}

export function make_timestamp(...cols: ColOrName[]): Column {
  return fn('make_timestamp', ...cols.map(c));
}

export function sequence(...cols: ColOrName[]): Column {
  return fn('sequence', ...cols.map(c));
}

export function stack(...cols: ColOrName[]): Column {
  return fn('stack', ...cols.map(c));
}

export function array_append(...cols: ColOrName[]): Column {
  return fn('array_append', ...cols.map(c));
}

export function array_prepend(...cols: ColOrName[]): Column {
  return fn('array_prepend', ...cols.map(c));
}

export function array_compact(...cols: ColOrName[]): Column {
  return fn('array_compact', ...cols.map(c));
}

export function levenshtein(...cols: ColOrName[]): Column {
  return fn('levenshtein', ...cols.map(c));
}

export function find_in_set(...cols: ColOrName[]): Column {
  return fn('find_in_set', ...cols.map(c));
}

export function sentences(...cols: ColOrName[]): Column {
  return fn('sentences', ...cols.map(c));
}

export function corr(...cols: ColOrName[]): Column {
  return fn('corr', ...cols.map(c));
}

export function covar_pop(...cols: ColOrName[]): Column {
  return fn('covar_pop', ...cols.map(c));
}

export function covar_samp(...cols: ColOrName[]): Column {
  return fn('covar_samp', ...cols.map(c));
}

export function regr_count(...cols: ColOrName[]): Column {
  return fn('regr_count', ...cols.map(c));
}

export function try_add(...cols: ColOrName[]): Column {
  return fn('try_add', ...cols.map(c));
}

export function try_subtract(...cols: ColOrName[]): Column {
  return fn('try_subtract', ...cols.map(c));
}

export function try_multiply(...cols: ColOrName[]): Column {
  return fn('try_multiply', ...cols.map(c));
}

export function try_divide(...cols: ColOrName[]): Column {
  return fn('try_divide', ...cols.map(c));
}

export function log(a: ColOrName | number, b?: ColOrName): Column {
  if (b === undefined) return fn('ln', c(a as ColOrName));
  return fn('log', typeof a === 'number' ? literalExpr(a) : c(a), c(b));
}
export function ln(e: ColOrName): Column {
  return fn('ln', c(e));
}
export function assert_true(e: ColOrName): Column {
  return fn('assert_true', c(e));
}
export function to_char(e: ColOrName, format: string): Column {
  return fn('to_char', c(e), literalExpr(format));
}

/** Spark's broadcast hint: a no-op in a single-process engine (the DataFrame itself). */
export function broadcast<T>(df: T): T {
  return df;
}
