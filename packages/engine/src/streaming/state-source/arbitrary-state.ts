/**
 * `read.format('statestore')` over the state of `[flat]MapGroupsWithState` and `transformWithState`.
 * Their keys and states are JavaScript values (no encoders), stored as JSON: the reader infers a
 * Spark type from the values it reads, as Spark's encoders would give it — an object becomes a
 * struct of its fields, any other value a struct with one field `value` (Spark's encoder of a
 * primitive) — and falls back to the JSON text when the values do not share one type.
 */
import { AnalysisError } from '../../errors.js';
import { parseKeyJson } from '../../exec/groups-with-state-exec.js';
import { inferType, mergeTypes, toEngineValue } from '../../session/create-data-frame.js';
import type { DataType, Row, StructField, StructType } from '../../types/data-type.js';
import type { KeyState } from '../stateful-processor.js';

/** One stored record: the store's key and value rows, and the state partition it is in. */
export interface StoredEntry {
  readonly key: Row;
  readonly value: Row;
  readonly partition: number;
}

/** The reader options that only transformWithState has. */
export interface TransformWithStateOptions {
  readonly stateVarName: string | undefined;
  readonly readRegisteredTimers: boolean;
  readonly flattenCollectionTypes: boolean;
}

interface StateVariableInfo {
  stateName: string;
  stateVariableType: 'ValueState' | 'ListState' | 'MapState';
  ttlEnabled: boolean;
}

const field = (name: string, dataType: DataType): StructField => ({ name, dataType, nullable: true });
const struct = (fields: StructField[]): StructType => ({ kind: 'struct', fields });
const PARTITION_ID = field('partition_id', { kind: 'int' });

/** A column of JS values shown as a struct: its type and each value's engine row. */
interface StructColumn {
  readonly dataType: StructType;
  convert(v: unknown): Row;
}

function structColumn(values: readonly unknown[]): StructColumn {
  let t: DataType = { kind: 'null' };
  try {
    for (const v of values) t = mergeTypes(t, inferType(v));
  } catch {
    // Values of different kinds (a key that is sometimes a string, sometimes a number): JSON text.
    return {
      dataType: struct([field('value', { kind: 'string' })]),
      convert: (v) => [JSON.stringify(v)],
    };
  }
  if (t.kind === 'struct') {
    const st = t;
    return { dataType: st, convert: (v) => toEngineValue(v, st) as Row };
  }
  const vt = t;
  return { dataType: struct([field('value', vt)]), convert: (v) => [toEngineValue(v, vt)] };
}

function invalidOption(name: string, message: string): AnalysisError {
  return new AnalysisError(
    'STDS_INVALID_OPTION_VALUE.WITH_MESSAGE',
    `Invalid value for source option '${name}': ${message}`,
  );
}

/** Rejects the transformWithState-only options for any other operator, as Spark does. */
export function assertNoTransformWithStateOptions(options: TransformWithStateOptions): void {
  if (options.stateVarName !== undefined || options.readRegisteredTimers) {
    throw invalidOption(
      'stateVarName',
      'Providing state variable names is only supported with the transformWithState operator',
    );
  }
}

/**
 * flatMapGroupsWithState's state (Spark's state format 2): `key` = the grouping key, `value` =
 * `struct<groupState, timeoutTimestamp>`.
 */
export function flatMapGroupsWithStateTable(entries: readonly StoredEntry[]): {
  schema: StructType;
  rows: Row[];
} {
  const keys = entries.map((e) => parseKeyJson(e.key[0] as string));
  const states = entries.map((e) => JSON.parse(e.value[0] as string) as unknown);
  const keyCol = structColumn(keys);
  const stateCol = structColumn(states);
  const valueType = struct([
    field('groupState', stateCol.dataType),
    field('timeoutTimestamp', { kind: 'long' }),
  ]);
  return {
    schema: struct([field('key', keyCol.dataType), field('value', valueType), PARTITION_ID]),
    rows: entries.map((e, i) => [
      keyCol.convert(keys[i]),
      [stateCol.convert(states[i]), e.value[1] as number],
      e.partition,
    ]),
  };
}

/**
 * One variable of transformWithState (`stateVarName`), or its timers (`readRegisteredTimers`), with
 * Spark 4's columns: value state `key, value`; list state `key, value` a row per element (or
 * `key, list_value` unflattened); map state `key, user_map_key, user_map_value` (or `key, map_value`);
 * timers `key struct<key, expiryTimestampMs>`. A variable with a TTL shows `ttlExpirationMs`
 * beside its value.
 */
export function transformWithStateTable(
  entries: readonly StoredEntry[],
  propertiesJson: string | undefined,
  options: TransformWithStateOptions,
): { schema: StructType; rows: Row[] } {
  const props = (propertiesJson ? JSON.parse(propertiesJson) : {}) as {
    timeMode?: string;
    stateVariables?: StateVariableInfo[];
  };
  if (options.stateVarName !== undefined && options.readRegisteredTimers) {
    throw new AnalysisError(
      'STDS_CONFLICT_OPTIONS',
      'The options readRegisteredTimers, stateVarName cannot be specified together. Please specify only one of them.',
    );
  }
  const states = entries.map((e) => ({
    key: parseKeyJson(e.key[0] as string),
    state: JSON.parse(e.value[0] as string) as KeyState,
    partition: e.partition,
  }));
  if (options.readRegisteredTimers) {
    if (props.timeMode === 'None') {
      throw invalidOption('readRegisteredTimers', 'Registered timers are not available in TimeMode=None.');
    }
    const timers = states.flatMap((s) => s.state.t.map((ts) => ({ key: s.key, ts, partition: s.partition })));
    const keyCol = structColumn(timers.map((t) => t.key));
    const timerKey = struct([field('key', keyCol.dataType), field('expiryTimestampMs', { kind: 'long' })]);
    return {
      schema: struct([field('key', timerKey), PARTITION_ID]),
      rows: timers.map((t) => [[keyCol.convert(t.key), t.ts], t.partition]),
    };
  }
  const name = options.stateVarName;
  if (name === undefined) {
    throw new AnalysisError('STDS_REQUIRED_OPTION_UNSPECIFIED', "'stateVarName' must be specified.");
  }
  const info = props.stateVariables?.find((v) => v.stateName === name);
  if (!info) {
    throw invalidOption(
      'stateVarName',
      `State variable ${name} is not defined for the transformWithState operator.`,
    );
  }
  const withTtl = (valueType: StructType): StructType =>
    info.ttlEnabled ? struct([...valueType.fields, field('ttlExpirationMs', { kind: 'long' })]) : valueType;
  const ttlOf = (expiresAt: number): unknown[] => (info.ttlEnabled ? [expiresAt] : []);

  switch (info.stateVariableType) {
    case 'ValueState': {
      const held = states.flatMap((s) => {
        const v = s.state.v[name];
        return v ? [{ ...s, value: v[0], expiresAt: v[1] }] : [];
      });
      const keyCol = structColumn(held.map((h) => h.key));
      const valueCol = structColumn(held.map((h) => h.value));
      return {
        schema: struct([
          field('key', keyCol.dataType),
          field('value', withTtl(valueCol.dataType)),
          PARTITION_ID,
        ]),
        rows: held.map((h) => [
          keyCol.convert(h.key),
          [...valueCol.convert(h.value), ...ttlOf(h.expiresAt)],
          h.partition,
        ]),
      };
    }
    case 'ListState': {
      const held = states.filter((s) => (s.state.l[name]?.length ?? 0) > 0);
      const keyCol = structColumn(held.map((h) => h.key));
      const elementCol = structColumn(held.flatMap((h) => h.state.l[name]!.map((e) => e[0])));
      const elementType = withTtl(elementCol.dataType);
      const element = (e: [unknown, number]): Row => [...elementCol.convert(e[0]), ...ttlOf(e[1])];
      if (options.flattenCollectionTypes) {
        return {
          schema: struct([field('key', keyCol.dataType), field('value', elementType), PARTITION_ID]),
          rows: held.flatMap((h) =>
            h.state.l[name]!.map((e) => [keyCol.convert(h.key), element(e), h.partition]),
          ),
        };
      }
      return {
        schema: struct([
          field('key', keyCol.dataType),
          field('list_value', { kind: 'array', elementType, containsNull: false }),
          PARTITION_ID,
        ]),
        rows: held.map((h) => [keyCol.convert(h.key), h.state.l[name]!.map(element), h.partition]),
      };
    }
    case 'MapState': {
      const held = states.filter((s) => (s.state.m[name]?.length ?? 0) > 0);
      const keyCol = structColumn(held.map((h) => h.key));
      const entriesOf = (h: (typeof held)[number]) => h.state.m[name]!;
      const userKeyCol = structColumn(held.flatMap((h) => entriesOf(h).map((e) => e[1])));
      const userValueCol = structColumn(held.flatMap((h) => entriesOf(h).map((e) => e[2])));
      const valueType = withTtl(userValueCol.dataType);
      const userValue = (e: [string, unknown, unknown, number]): Row => [
        ...userValueCol.convert(e[2]),
        ...ttlOf(e[3]),
      ];
      if (options.flattenCollectionTypes) {
        return {
          schema: struct([
            field('key', keyCol.dataType),
            field('user_map_key', userKeyCol.dataType),
            field('user_map_value', valueType),
            PARTITION_ID,
          ]),
          rows: held.flatMap((h) =>
            entriesOf(h).map((e) => [
              keyCol.convert(h.key),
              userKeyCol.convert(e[1]),
              userValue(e),
              h.partition,
            ]),
          ),
        };
      }
      return {
        schema: struct([
          field('key', keyCol.dataType),
          field('map_value', {
            kind: 'map',
            keyType: userKeyCol.dataType,
            valueType,
            valueContainsNull: false,
          }),
          PARTITION_ID,
        ]),
        rows: held.map((h) => [
          keyCol.convert(h.key),
          new Map(entriesOf(h).map((e) => [userKeyCol.convert(e[1]), userValue(e)])),
          h.partition,
        ]),
      };
    }
  }
}
