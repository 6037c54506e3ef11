import * as path from 'node:path';
import { AnalysisError } from '../errors.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { containsStreamingLeaf, logicalChildren } from '../plan/logical/plan.js';
import { ManagedTables, readManagedTable } from './managed-tables.js';

/** A temporary view or a managed table as `session.catalog.listTables()` reports it. */
export interface TableInfo {
  readonly name: string;
  readonly database: string | null;
  readonly description: string | null;
  readonly tableType: 'TEMPORARY' | 'MANAGED';
  readonly isTemporary: boolean;
}

/**
 * Session-scoped temporary views (Spark's session catalog for temp views) over the managed tables of
 * the warehouse directory; names are case-insensitive and a temp view hides a table of its name.
 */
export class Catalog {
  private readonly views = new Map<string, { name: string; plan: LogicalPlan }>();

  constructor(readonly tables: ManagedTables = new ManagedTables(() => path.resolve('spark-warehouse'))) {}

  registerView(name: string, plan: LogicalPlan, replace: boolean): void {
    const key = name.toLowerCase();
    if (!replace && this.views.has(key))
      throw new AnalysisError(
        'TEMP_TABLE_OR_VIEW_ALREADY_EXISTS',
        `Cannot create the temporary view \`${name}\` because it already exists.`,
      );
    this.views.set(key, { name, plan });
  }

  lookup(name: readonly string[]): LogicalPlan | undefined {
    const n =
      name.length > 1 && ['global_temp', 'default'].includes(name[0]!.toLowerCase()) ? name.slice(1) : name;
    const qualified =
      name.length === 3 && name[0]!.toLowerCase() === 'spark_catalog' && name[1]!.toLowerCase() === 'default';
    if (qualified) return this.managedTable(name[2]!);
    if (n.length !== 1) return undefined;
    return this.views.get(n[0]!.toLowerCase())?.plan ?? this.managedTable(n[0]!);
  }

  private managedTable(name: string): LogicalPlan | undefined {
    const t = this.tables.get(name);
    return t ? readManagedTable(t) : undefined;
  }

  /** The temp view of a name, if any (views hide managed tables). */
  isTempView(name: string): boolean {
    return this.views.has(name.toLowerCase());
  }

  tableExists(name: string): boolean {
    return this.views.has(name.toLowerCase()) || this.tables.get(name) !== undefined;
  }

  dropTempView(name: string): boolean {
    return this.views.delete(name.toLowerCase());
  }

  dropGlobalTempView(name: string): boolean {
    return this.dropTempView(name);
  }

  listTables(): TableInfo[] {
    return [...this.views.values()]
      .map(
        (v): TableInfo => ({
          name: v.name,
          database: null,
          description: null,
          tableType: 'TEMPORARY' as const,
          isTemporary: true,
        }),
      )
      .concat(
        this.tables
          .list()
          .filter((t) => !this.views.has(t.name.toLowerCase()))
          .map(
            (t): TableInfo => ({
              name: t.name,
              database: 'default',
              description: null,
              tableType: 'MANAGED' as const,
              isTemporary: false,
            }),
          ),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  names(): string[] {
    return [...this.views.values()].map((v) => v.name);
  }

  /** True when the plan reads a streaming leaf, looking through view names. */
  planIsStreaming(p: LogicalPlan, seen = new Set<string>()): boolean {
    if (containsStreamingLeaf(p)) return true;
    const walk = (x: LogicalPlan): boolean => {
      if (x.kind === 'unresolvedRelation') {
        const key = x.name.join('.').toLowerCase();
        if (seen.has(key)) return false;
        seen.add(key);
        const target = this.lookup(x.name);
        return target ? this.planIsStreaming(target, seen) : false;
      }
      return logicalChildren(x).some(walk);
    };
    return walk(p);
  }

  clear(): void {
    this.views.clear();
  }
}
