/**
 * Code generation: a bound expression tree becomes straight-line JavaScript source, compiled once
 * with `new Function`. Column reads are inlined as `row[i]`, null checks are inlined and skipped for
 * non-nullable inputs, hot operators are inlined, and every other function is a closure constant.
 */
import { InternalError } from '../errors.js';
import type { Row } from '../types/data-type.js';
import type { BoundExpr } from './bound.js';

/** Deterministic calls over literals only: evaluated once at compile time. */
function foldable(e: BoundExpr): boolean {
  if (e.kind === 'literal') return true;
  return e.kind === 'call' && !e.impl.nondeterministic && e.args.every(foldable);
}

export class CodeGen {
  /** Set on the nested generator that evaluates a constant sub-expression. */
  private noFold = false;
  private readonly consts: unknown[] = [];
  private readonly constIndex = new Map<unknown, string>();
  private lines: string[] = [];
  private counter = 0;

  /** The name of a closure constant holding `value` inside the generated code. */
  constant(value: unknown): string {
    const existing = this.constIndex.get(value);
    if (existing) return existing;
    const name = `c${this.consts.length}`;
    this.consts.push(value);
    this.constIndex.set(value, name);
    return name;
  }

  fresh(prefix = 'v'): string {
    return `${prefix}${this.counter++}`;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  /** Generates code into a separate block and returns its lines (for branches and lambda bodies). */
  block(fn: () => void): string[] {
    const saved = this.lines;
    this.lines = [];
    try {
      fn();
      return this.lines;
    } finally {
      this.lines = saved;
    }
  }

  private readonly hoisted = new Set<number>();

  /** Reads the columns the expressions reference once, into locals, at the top of the function. */
  hoistColumns(es: readonly BoundExpr[]): void {
    const visit = (e: BoundExpr): void => {
      if (e.kind === 'ref') this.hoisted.add(e.index);
      else if (e.kind === 'call') e.args.forEach(visit);
      else if (e.kind === 'lambda') visit(e.body);
    };
    es.forEach(visit);
    for (const i of [...this.hoisted].sort((a, b) => a - b)) this.emit(`const r${i} = row[${i}];`);
  }

  /** Emits the statements computing `e` and returns a side-effect-free JS expression for its value. */
  expr(e: BoundExpr): string {
    switch (e.kind) {
      case 'ref':
        return this.hoisted.has(e.index) ? `r${e.index}` : `row[${e.index}]`;
      case 'outerRef':
        return `outer[${e.depth - 1}][${e.index}]`;
      case 'literal':
        return this.literal(e.value);
      case 'lambdaVar':
        return `l${e.id}`;
      case 'lambda': {
        const params = e.params.map((p) => `l${p.id}`).join(', ');
        let result = '';
        const body = this.block(() => {
          result = this.expr(e.body);
        });
        const v = this.fresh();
        this.emit(`const ${v} = (${params}) => {\n${body.join('\n')}\nreturn ${result};\n};`);
        return v;
      }
      case 'aggregate':
        throw new InternalError(
          'INTERNAL_ERROR',
          `aggregate ${e.sql} must be planned by an aggregation before compiling`,
        );
      case 'call':
        return this.call(e);
    }
  }

  literal(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') {
      if (Number.isFinite(value) && !Object.is(value, -0)) return value < 0 ? `(${value})` : String(value);
      return this.constant(value);
    }
    if (typeof value === 'string') return JSON.stringify(value);
    return this.constant(value);
  }

  private call(e: Extract<BoundExpr, { kind: 'call' }>): string {
    if (!this.noFold && e.args.length > 0 && foldable(e)) {
      // Constant folding: evaluate once now; on an error (ANSI cast of a bad literal, 1/0) keep the
      // runtime code so the error is raised when rows are evaluated, as Spark does.
      const sub = new CodeGen();
      sub.noFold = true;
      try {
        const r = sub.expr(e);
        const value = sub.build<CompiledExpr>(r)([]);
        return this.literal(value);
      } catch {
        // fall through
      }
    }
    const impl = e.impl;
    if (impl.gen) return impl.gen(this, e.args);
    const args = e.args.map((a) => this.expr(a));
    const v = this.fresh();
    let body: string;
    if (impl.inline) body = impl.inline(args, this);
    else if (impl.fn) body = `${this.constant(impl.fn)}(${args.join(', ')})`;
    else throw new InternalError('INTERNAL_ERROR', `function ${e.name} has no implementation`);
    if (impl.nulls === 'raw') {
      this.emit(`const ${v} = ${body};`);
      return v;
    }
    const checks: string[] = [];
    e.args.forEach((a, i) => {
      if (a.nullable) checks.push(`${args[i]} === null`);
    });
    if (checks.length === 0) this.emit(`const ${v} = ${body};`);
    else this.emit(`const ${v} = (${checks.join(' || ')}) ? null : ${body};`);
    return v;
  }

  /** Compiles the generated lines to a function `(row, outer) => <ret>`. */
  build<F>(ret: string): F {
    const constDecls = this.consts.map((_, i) => `const c${i} = $c[${i}];`).join('\n');
    const src = `${constDecls}\nreturn function compiled(row, outer) {\n${this.lines.join('\n')}\nreturn ${ret};\n};`;
    try {
      return new Function('$c', src)(this.consts) as F;
    } catch (err) {
      throw new InternalError(
        'INTERNAL_ERROR',
        `generated code does not compile: ${(err as Error).message}\n${src}`,
      );
    }
  }

  /** The generated source (for tests and debugging). */
  source(): string {
    return this.lines.join('\n');
  }
}

/** A compiled scalar expression; `outer` holds the rows of enclosing queries for correlated references. */
export type CompiledExpr = (row: Row, outer?: Row[]) => unknown;

/** Compiles one bound expression into a function of the input row. */
export function compileExpr(e: BoundExpr): CompiledExpr {
  const g = new CodeGen();
  g.hoistColumns([e]);
  const r = g.expr(e);
  return g.build<CompiledExpr>(r);
}

/** Compiles several expressions into one function producing the output row. */
export function compileProjection(es: readonly BoundExpr[]): (row: Row, outer?: Row[]) => Row {
  const g = new CodeGen();
  g.hoistColumns(es);
  const rs = es.map((e) => g.expr(e));
  return g.build<(row: Row) => Row>(`[${rs.join(', ')}]`);
}

/** Compiles a boolean expression to a predicate; SQL null is false. */
export function compilePredicate(e: BoundExpr): (row: Row, outer?: Row[]) => boolean {
  const g = new CodeGen();
  g.hoistColumns([e]);
  const r = g.expr(e);
  return g.build<(row: Row) => boolean>(`${r} === true`);
}
