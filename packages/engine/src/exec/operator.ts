import type { ScopeField } from '../plan/expr-api.js';
import type { Row } from '../types/data-type.js';

/**
 * A batch physical operator: built from a plain config, `name`, a one-line
 * `display()` for EXPLAIN, `children`, and `execute()` producing all output rows. `forEachRow` is the
 * push-based form pipelined operators (scan, filter, project, generate) implement without
 * materializing intermediate arrays; blocking operators (aggregate, sort, join) consume it.
 */
export interface PhysicalOperator {
  readonly name: string;
  readonly children: readonly PhysicalOperator[];
  readonly output: readonly ScopeField[];
  display(): string;
  execute(): Row[];
  forEachRow(sink: (row: Row) => void): void;
}

/** Base class: `execute()` collects `forEachRow`, and vice versa for operators that only materialize. */
export abstract class BaseExec implements PhysicalOperator {
  abstract readonly name: string;
  abstract readonly children: readonly PhysicalOperator[];
  abstract readonly output: readonly ScopeField[];
  abstract display(): string;

  execute(): Row[] {
    const out: Row[] = [];
    this.forEachRow((r) => {
      out.push(r);
    });
    return out;
  }

  forEachRow(sink: (row: Row) => void): void {
    const rows = this.execute();
    for (let i = 0; i < rows.length; i++) sink(rows[i]!);
  }
}

/** Column list as EXPLAIN prints it: `[a, b, c]`. */
export function fieldList(fields: readonly ScopeField[]): string {
  return `[${fields.map((f) => f.name).join(', ')}]`;
}

/** Spark's tree rendering of an operator tree (`+- ` / `:- ` prefixes). */
export function treeString(
  node: { display(): string; children: readonly unknown[] },
  childrenOf: (n: any) => readonly any[] = (n) => n.children,
): string {
  const lines: string[] = [];
  const walk = (n: any, prefix: string, self: string): void => {
    lines.push(`${prefix}${self}${n.display()}`);
    const cs = childrenOf(n);
    cs.forEach((c, i) => {
      const last = i === cs.length - 1;
      const childPrefix = prefix + (self === '' ? '' : self === '+- ' ? '   ' : ':  ');
      walk(c, childPrefix, last ? '+- ' : ':- ');
    });
  };
  walk(node, '', '');
  return lines.join('\n');
}
