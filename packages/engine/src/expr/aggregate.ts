/**
 * Bound aggregates: wraps a function's Accumulator with argument evaluation (compiled once), FILTER,
 * DISTINCT and JSON-serializable state for the streaming state store.
 */
import type { Accumulator, AggregateSpec, BindContext, FunctionDef } from '../functions/registry.js';
import type { Row } from '../types/data-type.js';
import { valueFromJson, valueToJson } from '../types/format.js';
import type { AggregateBuffer, BoundAggregate, BoundExpr } from './bound.js';
import { compileExpr, compilePredicate, compileProjection } from './codegen.js';
import { valueKey } from './compare.js';

interface Runtime {
  evalArgs: (row: Row) => unknown[];
  filter: ((row: Row) => boolean) | null;
}

class PlainBuffer implements AggregateBuffer {
  constructor(
    readonly acc: Accumulator,
    private readonly rt: Runtime,
  ) {}
  update(row: Row): void {
    if (this.rt.filter !== null && !this.rt.filter(row)) return;
    this.acc.add(this.rt.evalArgs(row));
  }
  merge(other: AggregateBuffer): void {
    this.acc.merge((other as PlainBuffer).acc);
  }
  result(): unknown {
    return this.acc.result();
  }
  toState(): unknown {
    return this.acc.toState();
  }
}

/** One-argument aggregate without FILTER: `acc.add1(f(row))`, no argument array. */
class Unary1Buffer implements AggregateBuffer {
  constructor(
    readonly acc: Accumulator,
    private readonly f: (row: Row) => unknown,
  ) {}
  update(row: Row): void {
    this.acc.add1!(this.f(row));
  }
  merge(other: AggregateBuffer): void {
    this.acc.merge((other as Unary1Buffer).acc);
  }
  result(): unknown {
    return this.acc.result();
  }
  toState(): unknown {
    return this.acc.toState();
  }
}

/** `count(*)` without FILTER: one increment per row. */
class RowCountBuffer implements AggregateBuffer {
  constructor(readonly acc: Accumulator) {}
  update(): void {
    this.acc.addRow!();
  }
  merge(other: AggregateBuffer): void {
    this.acc.merge((other as RowCountBuffer).acc);
  }
  result(): unknown {
    return this.acc.result();
  }
  toState(): unknown {
    return this.acc.toState();
  }
}

/** DISTINCT: keeps the distinct argument tuples and aggregates them when the result is asked for. */
class DistinctBuffer implements AggregateBuffer {
  readonly seen = new Map<unknown, unknown[]>();
  constructor(
    private readonly spec: AggregateSpec,
    private readonly rt: Runtime,
  ) {}
  private key(values: readonly unknown[]): unknown {
    const args = this.spec.args;
    if (args.length === 1) {
      // One argument: the value key itself (strings and numbers cannot collide: a Map keeps types apart).
      return valueKey(values[0] ?? null, args[0]!.dataType);
    }
    return JSON.stringify(values.map((v, i) => valueKey(v, args[i]!.dataType)));
  }
  update(row: Row): void {
    if (this.rt.filter !== null && !this.rt.filter(row)) return;
    const values = this.rt.evalArgs(row);
    const k = this.key(values);
    if (!this.seen.has(k)) this.seen.set(k, values);
  }
  merge(other: AggregateBuffer): void {
    for (const [k, v] of (other as DistinctBuffer).seen) if (!this.seen.has(k)) this.seen.set(k, v);
  }
  result(): unknown {
    const acc = this.spec.create();
    for (const v of this.seen.values()) acc.add(v);
    return acc.result();
  }
  toState(): unknown {
    return [...this.seen.values()].map((vs) => vs.map((v, i) => valueToJson(v, this.spec.args[i]!.dataType)));
  }
  restore(state: unknown): this {
    for (const enc of state as unknown[][]) {
      const vs = enc.map((j, i) => valueFromJson(j, this.spec.args[i]!.dataType));
      this.seen.set(this.key(vs), vs);
    }
    return this;
  }
}

/** Builds the BoundAggregate of a registered aggregate function over bound arguments. */
export function makeAggregate(
  def: FunctionDef,
  name: string,
  rawArgs: BoundExpr[],
  distinct: boolean,
  filter: BoundExpr | undefined,
  ctx: BindContext,
  ignoreNulls = false,
): BoundAggregate {
  if (ignoreNulls && rawArgs.length === 1 && /^(first|last|any_value|first_value|last_value)$/.test(name)) {
    rawArgs = [
      ...rawArgs,
      { kind: 'literal', value: true, dataType: { kind: 'boolean' }, nullable: false, sql: 'true' },
    ];
  }
  const spec = def.bindAggregate!(rawArgs, ctx);
  const args = spec.args;
  const effectiveDistinct = distinct && !spec.distinctInsensitive;
  let rt: Runtime | null = null;
  const runtime = (): Runtime => {
    if (rt) return rt;
    let evalArgs: (row: Row) => unknown[];
    if (args.length === 0) {
      const empty: unknown[] = [];
      evalArgs = () => empty;
    } else if (args.length === 1) {
      const f = compileExpr(args[0]!);
      const buf: unknown[] = [null];
      evalArgs = effectiveDistinct
        ? (row) => [f(row)]
        : (row) => {
            buf[0] = f(row);
            return buf;
          };
    } else {
      evalArgs = compileProjection(args);
    }
    rt = { evalArgs, filter: filter ? compilePredicate(filter) : null };
    return rt;
  };
  let single: ((row: Row) => unknown) | null = null;
  const wrap = (acc: Accumulator): AggregateBuffer => {
    if (!filter) {
      // count(*) / count(1) / count(non-null column): one increment per row.
      if (acc.addRow && args.every((a) => !a.nullable)) return new RowCountBuffer(acc);
      if (args.length === 1 && acc.add1) {
        single ??= compileExpr(args[0]!);
        return new Unary1Buffer(acc, single);
      }
    }
    return new PlainBuffer(acc, runtime());
  };
  const argSql = name === 'count' && rawArgs.length === 0 ? '1' : rawArgs.map((a) => a.sql).join(', ');
  const sql = `${name}(${distinct ? 'DISTINCT ' : ''}${argSql})${filter ? ` FILTER (WHERE ${filter.sql})` : ''}${ignoreNulls ? ' IGNORE NULLS' : ''}`;
  return {
    name,
    args,
    distinct,
    ...(filter ? { filter } : {}),
    dataType: spec.dataType,
    nullable: spec.nullable,
    sql,
    create(): AggregateBuffer {
      return effectiveDistinct ? new DistinctBuffer(spec, runtime()) : wrap(spec.create());
    },
    fromState(state: unknown): AggregateBuffer {
      return effectiveDistinct
        ? new DistinctBuffer(spec, runtime()).restore(state)
        : wrap(spec.fromState(state));
    },
  };
}
