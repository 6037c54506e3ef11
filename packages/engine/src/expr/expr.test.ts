import { describe, expect, it } from 'vitest';
import { AnalysisError, ExecutionError } from '../errors.js';
import type { DataType } from '../types/data-type.js';
import { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import { arrayType, decimalType, mapType, structType, T } from '../types/types.js';
import type { Expr } from './expression.js';
import { compileExpr, compilePredicate, compileProjection, resolveExpr, type Scope } from './index.js';

const col = (...nameParts: string[]): Expr => ({ type: 'column', nameParts });
const lit = (value: unknown, dataType: DataType): Expr => ({ type: 'literal', value, dataType });
const int = (v: number) => lit(v, T.int);
const str = (v: string) => lit(v, T.string);
const bin = (op: Extract<Expr, { type: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({
  type: 'binary',
  op,
  left,
  right,
});
const fn = (name: string, ...args: Expr[]): Expr => ({ type: 'function', name, args });

const scope: Scope = {
  fields: [
    { name: 'a', qualifier: ['t'], dataType: T.int, nullable: true },
    { name: 'b', qualifier: ['t'], dataType: T.string, nullable: true },
    { name: 'c', qualifier: ['t'], dataType: T.double, nullable: false },
    {
      name: 's',
      qualifier: ['t'],
      dataType: structType([{ name: 'x', dataType: T.int, nullable: true }]),
      nullable: true,
    },
    { name: 'arr', qualifier: ['t'], dataType: arrayType(T.int), nullable: true },
    { name: 'm', qualifier: ['t'], dataType: mapType(T.string, T.int), nullable: true },
  ],
};

function evalExpr(e: Expr, row: unknown[] = [1, 'x', 2.5, [7], [1, 2, 3], new Map([['k', 9]])], ansi = true) {
  return compileExpr(resolveExpr(e, scope, { ansi }))(row);
}

describe('resolution', () => {
  it('resolves qualified and unqualified columns to ordinals', async () => {
    const b = resolveExpr(col('t', 'b'), scope);
    expect(b).toMatchObject({ kind: 'ref', index: 1, dataType: T.string });
    expect(resolveExpr(col('A'), scope)).toMatchObject({ kind: 'ref', index: 0 });
  });

  it('resolves struct fields, subscripts and map keys', async () => {
    expect(evalExpr(col('s', 'x'))).toBe(7);
    expect(evalExpr(col('t', 's', 'x'))).toBe(7);
    expect(evalExpr({ type: 'subscript', operand: col('arr'), index: int(1) })).toBe(2);
    expect(evalExpr({ type: 'subscript', operand: col('m'), index: str('k') })).toBe(9);
    expect(evalExpr({ type: 'subscript', operand: col('m'), index: str('nope') })).toBe(null);
  });

  it('suggests similar names for an unknown column, with the position', async () => {
    const e: Expr = { type: 'column', nameParts: ['bb'], span: { line: 2, column: 5, start: 10, end: 12 } };
    try {
      resolveExpr(e, scope);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AnalysisError);
      const a = err as AnalysisError;
      expect(a.errorClass).toBe('UNRESOLVED_COLUMN.WITH_SUGGESTION');
      expect(a.message).toBe(
        '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `bb` cannot be resolved. Did you mean one of the following? [`t`.`b`, `t`.`a`, `t`.`c`, `t`.`s`, `t`.`m`].',
      );
      expect(a.position).toEqual({ line: 2, column: 5 });
    }
  });

  it('reports ambiguous references', async () => {
    const s2: Scope = {
      fields: [
        { name: 'id', qualifier: ['x'], dataType: T.int, nullable: false },
        { name: 'id', qualifier: ['y'], dataType: T.int, nullable: false },
      ],
    };
    expect(() => resolveExpr(col('id'), s2)).toThrow(
      '[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous, could be: [`x`.`id`, `y`.`id`].',
    );
    expect(resolveExpr(col('y', 'id'), s2)).toMatchObject({ kind: 'ref', index: 1 });
  });

  it('rejects unknown functions and wrong argument counts', async () => {
    expect(() => resolveExpr(fn('nope', int(1)), scope)).toThrow(/UNRESOLVED_ROUTINE/);
    expect(() => resolveExpr(fn('coalesce'), scope)).toThrow(/WRONG_NUM_ARGS/);
  });

  it('names expressions as Spark does', async () => {
    expect(resolveExpr(bin('+', col('a'), int(1)), scope).sql).toBe('(a + 1)');
    expect(resolveExpr({ type: 'cast', operand: col('a'), dataType: T.string }, scope).sql).toBe(
      'CAST(a AS STRING)',
    );
    expect(resolveExpr(fn('count', { type: 'star' }), scope, { allowAggregates: true }).sql).toBe('count(1)');
  });
});

describe('arithmetic', () => {
  it('adds ints with ANSI overflow errors and legacy wrap-around', async () => {
    expect(evalExpr(bin('+', col('a'), int(41)))).toBe(42);
    expect(() => evalExpr(bin('+', int(2147483647), int(1)))).toThrow(/ARITHMETIC_OVERFLOW/);
    expect(evalExpr(bin('+', int(2147483647), int(1)), undefined, false)).toBe(-2147483648);
  });

  it('divides as double; ANSI division by zero raises DIVIDE_BY_ZERO', async () => {
    expect(evalExpr(bin('/', int(3), int(2)))).toBe(1.5);
    expect(() => evalExpr(bin('/', int(1), int(0)))).toThrow(ExecutionError);
    expect(() => evalExpr(bin('/', int(1), int(0)))).toThrow(/^\[DIVIDE_BY_ZERO\] Division by zero/);
    expect(evalExpr(bin('/', int(1), int(0)), undefined, false)).toBe(null);
    expect(evalExpr(bin('div', int(7), int(2)))).toBe(3);
    expect(evalExpr(bin('%', int(-7), int(2)))).toBe(-1);
  });

  it('propagates nulls', async () => {
    expect(evalExpr(bin('+', col('a'), int(1)), [null, 'x', 1, null, null, null])).toBe(null);
  });

  it('uses decimal precision rules', async () => {
    const d = (s: string, p: number, sc: number) => lit(Decimal.parse(s), decimalType(p, sc));
    const e = resolveExpr(bin('+', d('1.25', 3, 2), d('10.5', 3, 1)), scope);
    expect(e.dataType).toEqual(decimalType(5, 2));
    expect(String(compileExpr(e)([]))).toBe('11.75');
    const q = resolveExpr(bin('/', d('1', 1, 0), d('3', 1, 0)), scope);
    expect(q.dataType).toEqual(decimalType(7, 6));
    expect(String(compileExpr(q)([]))).toBe('0.333333');
  });

  it('adds intervals to timestamps', async () => {
    const ts = lit(0, T.timestamp);
    expect(evalExpr(bin('+', ts, lit(new Interval(0, 1, 5), T.interval)))).toBe(86_400_000_005);
  });
});

describe('three-valued logic and predicates', () => {
  const b = (v: boolean | null) => lit(v, T.boolean);
  it('AND / OR follow SQL truth tables', async () => {
    expect(evalExpr(bin('and', b(null), b(false)))).toBe(false);
    expect(evalExpr(bin('and', b(null), b(true)))).toBe(null);
    expect(evalExpr(bin('or', b(null), b(true)))).toBe(true);
    expect(evalExpr(bin('or', b(null), b(false)))).toBe(null);
    expect(evalExpr({ type: 'unary', op: 'not', operand: b(null) })).toBe(null);
  });

  it('compilePredicate treats null as false', async () => {
    const p = compilePredicate(resolveExpr(bin('>', col('a'), int(0)), scope));
    expect(p([1])).toBe(true);
    expect(p([null])).toBe(false);
  });

  it('IN has SQL null semantics', async () => {
    const inE = (operand: Expr, ...list: Expr[]): Expr => ({ type: 'in', operand, list, negated: false });
    expect(evalExpr(inE(int(1), int(1), int(2)))).toBe(true);
    expect(evalExpr(inE(int(3), int(1), lit(null, T.null)))).toBe(null);
    expect(evalExpr(inE(int(3), int(1), int(2)))).toBe(false);
    expect(evalExpr(inE(col('a'), bin('+', int(0), int(1))))).toBe(true);
  });

  it('BETWEEN, LIKE with escapes, RLIKE', async () => {
    expect(evalExpr({ type: 'between', operand: int(5), low: int(1), high: int(5), negated: false })).toBe(
      true,
    );
    const like = (s: string, p: string, kind: 'like' | 'ilike' | 'rlike' = 'like', esc?: string): Expr => ({
      type: 'like',
      kind,
      operand: str(s),
      pattern: str(p),
      negated: false,
      ...(esc ? { escape: esc } : {}),
    });
    expect(evalExpr(like('Spark', 'S%k'))).toBe(true);
    expect(evalExpr(like('Spark', 's%k'))).toBe(false);
    expect(evalExpr(like('Spark', 's%K', 'ilike'))).toBe(true);
    expect(evalExpr(like('a_b', 'a\\_b'))).toBe(true);
    expect(evalExpr(like('axb', 'a\\_b'))).toBe(false);
    expect(evalExpr(like('a%b', 'a/%b', 'like', '/'))).toBe(true);
    expect(evalExpr(like('%SystemDrive%\\Users\\John', '%SystemDrive%\\\\Users.*', 'rlike'))).toBe(true);
  });

  it('CASE, IF, COALESCE, NULLIF, NVL2 evaluate lazily', async () => {
    const caseE: Expr = {
      type: 'case',
      // biome-ignore lint/suspicious/noThenProperty: the Expr contract names the CASE result `then`
      branches: [{ when: bin('>', col('a'), int(0)), then: str('pos') }],
      otherwise: bin('/', int(1), int(0)),
    };
    // The ELSE branch would raise DIVIDE_BY_ZERO; it must not run when the WHEN matches.
    expect(() => evalExpr({ ...caseE, otherwise: str('neg') })).not.toThrow();
    expect(evalExpr({ ...caseE, otherwise: str('neg') }, [-1])).toBe('neg');
    expect(evalExpr(fn('coalesce', lit(null, T.null), int(2), bin('/', int(1), int(0))))).toBe(2);
    expect(evalExpr(fn('if', bin('=', col('a'), int(1)), str('one'), str('other')))).toBe('one');
    expect(evalExpr(fn('nullif', int(1), int(1)))).toBe(null);
    expect(evalExpr(fn('nvl2', lit(null, T.null), int(2), int(1)))).toBe(1);
  });
});

describe('casts', () => {
  const cast = (e: Expr, t: DataType, safe = false): Expr => ({
    type: 'cast',
    operand: e,
    dataType: t,
    safe,
  });
  it('raises CAST_INVALID_INPUT in ANSI mode and gives null otherwise', async () => {
    expect(() => evalExpr(cast(str('abc'), T.int))).toThrow(
      `[CAST_INVALID_INPUT] The value 'abc' of the type "STRING" cannot be cast to "INT" because it is malformed. Correct the value as per the syntax, or change its target type. Use \`try_cast\` to tolerate malformed input and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
    );
    expect(evalExpr(cast(str('abc'), T.int), undefined, false)).toBe(null);
    expect(evalExpr(cast(str('abc'), T.int, true))).toBe(null);
    expect(evalExpr(cast(str(' 12 '), T.int))).toBe(12);
    expect(evalExpr(cast(str('1.9'), T.int))).toBe(1);
  });

  it('casts numbers, booleans, dates and timestamps', async () => {
    expect(evalExpr(cast(int(300), T.byte), undefined, false)).toBe(44);
    expect(() => evalExpr(cast(int(300), T.byte))).toThrow(/CAST_OVERFLOW/);
    expect(evalExpr(cast(lit(1.0, T.double), T.string))).toBe('1.0');
    expect(evalExpr(cast(lit(1e10, T.double), T.string))).toBe('1.0E10');
    expect(evalExpr(cast(str('2024-01-02'), T.date))).toBe(19724);
    expect(evalExpr(cast(str('2024-01-01 00:00:01.5'), T.timestamp))).toBe(1704067201500000);
    expect(evalExpr(cast(cast(str('2024-01-01 00:00:01.5'), T.timestamp), T.string))).toBe(
      '2024-01-01 00:00:01.5',
    );
    expect(evalExpr(cast(str('yes'), T.boolean))).toBe(true);
    expect(String(evalExpr(cast(str('3.14159'), decimalType(5, 2))))).toBe('3.14');
    expect(evalExpr(cast(col('arr'), T.string))).toBe('[1, 2, 3]');
    expect(evalExpr(cast(col('m'), T.string))).toBe('{k -> 9}');
  });

  it('rejects casts Spark does not allow', async () => {
    expect(() => resolveExpr(cast(col('arr'), T.int), scope)).toThrow(/CAST_WITHOUT_SUGGESTION/);
  });
});

describe('projection', () => {
  it('compiles several expressions into one row function', async () => {
    const proj = compileProjection([
      resolveExpr(col('b'), scope),
      resolveExpr(bin('*', col('c'), int(2)), scope),
    ]);
    expect(proj([1, 'x', 2.5])).toEqual(['x', 5]);
  });
});

describe('scopes', () => {
  it('resolves correlated references into the enclosing scope', async () => {
    const inner: Scope = {
      fields: [{ name: 'x', qualifier: ['i'], dataType: T.int, nullable: false }],
      outer: { fields: [{ name: 'y', qualifier: ['o'], dataType: T.int, nullable: false }] },
    };
    const e = resolveExpr(bin('+', col('x'), col('o', 'y')), inner);
    expect(compileExpr(e)([1], [[41]])).toBe(42);
  });

  it('delegates sub-queries to the planner hook', async () => {
    const sub: Expr = { type: 'subquery', kind: 'scalar', query: { fake: true } };
    expect(() => resolveExpr(sub, scope)).toThrow(/UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY/);
    const e = resolveExpr(bin('+', sub, int(1)), scope, {
      resolveSubquery: () => ({
        kind: 'literal',
        value: 41,
        dataType: T.int,
        nullable: false,
        sql: 'scalarsubquery()',
      }),
    });
    expect(compileExpr(e)([])).toBe(42);
  });

  it('reports the position of the innermost expression with a span', async () => {
    const bad: Expr = {
      type: 'function',
      name: 'upper',
      args: [col('arr')],
      span: { line: 3, column: 7, start: 20, end: 30 },
    };
    try {
      resolveExpr({ type: 'binary', op: '||', left: str('a'), right: bad }, scope);
      expect.unreachable();
    } catch (err) {
      expect((err as AnalysisError).errorClass).toBe('DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE');
      expect((err as AnalysisError).position).toEqual({ line: 3, column: 7 });
      expect((err as Error).message).toContain('Cannot resolve "upper(arr)" due to data type mismatch');
    }
  });

  it('keeps aliases as names', async () => {
    const e = resolveExpr({ type: 'alias', operand: bin('+', col('a'), int(1)), names: ['b'] }, scope);
    expect(e.sql).toBe('b');
    expect(e.alias).toBe('b');
  });
});
