import { AnalysisError } from '../errors.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { containsStreamingLeaf, logicalChildren } from '../plan/logical/plan.js';

/** A temporary view as `session.catalog.listTables()` reports it. */
export interface TableInfo {
  readonly name: string;
  readonly database: string | null;
  readonly description: string | null;
  readonly tableType: 'TEMPORARY';
  readonly isTemporary: true;
}

/** Session-scoped temporary views (Spark's session catalog for temp views); names are case-insensitive. */
export class Catalog {
  private readonly views = new Map<string, { name: string; plan: LogicalPlan }>();

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
    if (n.length !== 1) return undefined;
    return this.views.get(n[0]!.toLowerCase())?.plan;
  }

  tableExists(name: string): boolean {
    return this.views.has(name.toLowerCase());
  }

  dropTempView(name: string): boolean {
    return this.views.delete(name.toLowerCase());
  }

  dropGlobalTempView(name: string): boolean {
    return this.dropTempView(name);
  }

  listTables(): TableInfo[] {
    return [...this.views.values()]
      .map((v) => ({
        name: v.name,
        database: null,
        description: null,
        tableType: 'TEMPORARY' as const,
        isTemporary: true as const,
      }))
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
