import type { BoundAggregate } from '../../expr/bound.js';
import type { BoundPlan } from '../../plan/bound-plan.js';
import type { DataType, StructField, StructType } from '../../types/data-type.js';
import { valueToJson } from '../../types/format.js';
import type { StatefulOperatorConfig } from '../operators/index.js';
import { type SparkTypeJson, type StateSchema, toSparkTypeJson } from './spark-schema.js';

/**
 * Field metadata telling the state reader how to turn an aggregate's stored buffer state into its
 * current value: the function (by its registry name) and its arguments' types (literal arguments
 * with their value). A Sluice addition to Spark's schema JSON (field metadata is free-form there).
 */
export const AGGREGATE_METADATA = 'sluice.aggregate';

export interface AggregateRecipe {
  readonly name: string;
  /** Spark type JSON of each argument (after implicit casts); `literal` for literal arguments. */
  readonly args: readonly { readonly type: SparkTypeJson; readonly literal?: unknown }[];
}

function recipe(a: BoundAggregate): AggregateRecipe {
  return {
    name: a.name,
    args: a.args.map((x) =>
      x.kind === 'literal'
        ? { type: toSparkTypeJson(x.dataType), literal: valueToJson(x.value, x.dataType) }
        : { type: toSparkTypeJson(x.dataType) },
    ),
  };
}

function struct(fields: StructField[]): StructType {
  return { kind: 'struct', fields };
}

function field(
  f: { name: string; dataType: DataType; nullable: boolean },
  metadata?: Record<string, unknown>,
) {
  return { name: f.name, dataType: f.dataType, nullable: f.nullable, ...(metadata ? { metadata } : {}) };
}

function aggregateFields(
  p: Extract<BoundPlan, { kind: 'aggregate' }>,
  aggregates: readonly BoundAggregate[],
) {
  const n = p.groupings.length;
  return aggregates.map((a, i) =>
    field(
      { name: p.output[n + i]?.name ?? a.sql, dataType: a.dataType, nullable: true },
      { [AGGREGATE_METADATA]: recipe(a) },
    ),
  );
}

/**
 * The key and value schemas of a stateful node's store, as Spark's state data source shows them:
 *  - aggregation: key = the grouping columns, value = one column per aggregate (its current value;
 *    Spark shows the aggregation buffer's internal columns);
 *  - session-window aggregation: key = the other grouping columns + `sessionStartTime`, value = the
 *    grouping columns with `session_window` + the aggregates (one state row per session);
 *  - dropDuplicates: key = the columns, value = `__dummy__` (void); within watermark,
 *    value = `expiresAtMicros`.
 * Undefined for operators it does not know (their state is then not readable as a table).
 */
export function describeState(p: BoundPlan, config: StatefulOperatorConfig): StateSchema | undefined {
  switch (config.kind) {
    case 'aggregate': {
      if (p.kind !== 'aggregate') return undefined;
      const keys = p.output.slice(0, p.groupings.length).map((f) => field(f));
      return { key: struct(keys), value: struct(aggregateFields(p, config.aggregates)) };
    }
    case 'sessionAggregate': {
      if (p.kind !== 'aggregate') return undefined;
      const groups = p.output
        .slice(0, p.groupings.length)
        .map((f, i) =>
          i === config.sessionIndex
            ? field({ ...f, nullable: false }, { 'spark.sessionWindow': true })
            : field(f),
        );
      const keys = groups.filter((_, i) => i !== config.sessionIndex);
      return {
        key: struct([
          ...keys,
          { name: 'sessionStartTime', dataType: { kind: 'timestamp' }, nullable: false },
        ]),
        value: struct([...groups, ...aggregateFields(p, config.aggregates)]),
      };
    }
    case 'dedup': {
      if (p.kind !== 'distinct' && p.kind !== 'deduplicate') return undefined;
      const keys = config.keys.map((i) => field(p.child.output[i]!));
      const value: StructField = config.withinWatermark
        ? { name: 'expiresAtMicros', dataType: { kind: 'long' }, nullable: true }
        : { name: '__dummy__', dataType: { kind: 'null' }, nullable: true };
      return { key: struct(keys), value: struct([value]) };
    }
    default:
      return undefined;
  }
}
