/**
 * Spark's KeyValueGroupedDataset: `ds.groupByKey(f)` groups a typed Dataset by a TypeScript key
 * function. `mapGroups`/`flatMapGroups`/`reduceGroups`/`count`/`keys` on batch Datasets, and
 * `mapGroupsWithState`/`flatMapGroupsWithState` (arbitrary state, streaming/group-state.ts) on
 * batch and streaming ones. Groups and their state are identified by the key's JSON; state values
 * must be JSON values. Output schemas come from encoders, as for `Dataset.map`.
 */
import { AnalysisError } from '../errors.js';
import { keyJson } from '../exec/groups-with-state-exec.js';
import type { GroupsWithStateSpec } from '../plan/logical/plan.js';
import { toEngineValue } from '../session/create-data-frame.js';
import type { GroupState, GroupStateTimeout } from '../streaming/group-state.js';
import type { TransformRun } from '../streaming/operators/transform-with-state-exec.js';
import {
  ProcessorHandle,
  type StatefulProcessor,
  type TimeMode,
  type TimerValues,
} from '../streaming/stateful-processor.js';
import type { DataType, Row, StructType } from '../types/data-type.js';
import type { DataFrame } from './dataframe.js';
import { Dataset, type Encoder, encoderType } from './dataset.js';

/** How an element of type U becomes a row of `schema` (one `value` column for a non-struct type). */
function outputOf(encoder: Encoder): { schema: StructType; toRow: (u: unknown) => Row } {
  const t = encoderType(encoder);
  if (t.kind === 'struct')
    return { schema: t, toRow: (u) => (toEngineValue(u, t) as Row | null) ?? t.fields.map(() => null) };
  const schema: StructType = { kind: 'struct', fields: [{ name: 'value', dataType: t, nullable: true }] };
  return { schema, toRow: (u) => [toEngineValue(u, t)] };
}

function typedOf<U>(df: DataFrame, encoder: Encoder): Dataset<U> {
  return new Dataset<U>(df, encoderType(encoder).kind !== 'struct');
}

export class KeyValueGroupedDataset<K, V> {
  constructor(
    private readonly df: DataFrame,
    /** The key of a row of `df` (the user's key function over the row's element). */
    private readonly keyOfRow: (row: Row) => K,
    /** The value a grouping function sees for a row (the element, or `mapValues` of it). */
    private readonly valueOfRow: (row: Row) => V,
    private readonly keyEncoder: Encoder,
  ) {}

  /** This grouped Dataset as an initial state: its (key, value) pairs, one per key (Spark's rule). */
  private asInitialState(operation: string): NonNullable<GroupsWithStateSpec['initialState']> {
    const { df, keyOfRow, valueOfRow } = this;
    return {
      isStreaming: df.isStreaming,
      entries: () => {
        const seen = new Set<string>();
        return df.session.execute(df.plan).map((row) => {
          const key = keyOfRow(row);
          const k = keyJson(key);
          if (seen.has(k)) {
            throw new AnalysisError(
              'STATEFUL_PROCESSOR_DUPLICATE_INITIAL_STATE',
              `The initial state provided to ${operation} contained multiple rows (state) with the same key ${k}. Make sure to de-duplicate the initial state before passing it.`,
            );
          }
          seen.add(k);
          return { key, state: valueOfRow(row) };
        });
      },
    };
  }

  private spec(
    call: (key: K, values: V[], state: GroupState<unknown>) => Iterable<unknown>,
    encoder: Encoder,
    extra: Pick<GroupsWithStateSpec, 'timeout' | 'outputMode' | 'isMapGroups' | 'initialState'> & {
      stateless?: boolean;
    },
  ): GroupsWithStateSpec {
    const out = outputOf(encoder);
    const { keyOfRow, valueOfRow } = this;
    return {
      keyOf: keyOfRow,
      call: (key, rows, state) => {
        const produced = call(key as K, rows.map(valueOfRow), state as GroupState<unknown>);
        return Array.from(produced ?? [], out.toRow);
      },
      outputSchema: out.schema,
      ...extra,
    };
  }

  private grouped<U>(spec: GroupsWithStateSpec, encoder: Encoder): Dataset<U> {
    return typedOf<U>(
      this.df.session.dataFrame({ kind: 'groupsWithState', child: this.df.plan, spec }),
      encoder,
    );
  }

  private batchOnly(what: string): void {
    if (this.df.isStreaming) {
      throw new AnalysisError(
        'STREAMING_UNSUPPORTED_OPERATION',
        `${what} on a streaming KeyValueGroupedDataset is not supported by Sluice; use flatMapGroupsWithState, or groupBy with an aggregation.`,
      );
    }
  }

  /** One output element per key (Spark's mapGroups). */
  mapGroups<U>(f: (key: K, values: V[]) => U, encoder: Encoder): Dataset<U> {
    this.batchOnly('mapGroups');
    const spec = this.spec((k, vs) => [f(k, vs)], encoder, {
      timeout: 'NoTimeout',
      outputMode: 'update',
      isMapGroups: true,
      stateless: true,
    });
    return this.grouped<U>(spec, encoder);
  }

  /** Any number of output elements per key. */
  flatMapGroups<U>(f: (key: K, values: V[]) => Iterable<U>, encoder: Encoder): Dataset<U> {
    this.batchOnly('flatMapGroups');
    const spec = this.spec((k, vs) => f(k, vs), encoder, {
      timeout: 'NoTimeout',
      outputMode: 'append',
      isMapGroups: false,
      stateless: true,
    });
    return this.grouped<U>(spec, encoder);
  }

  /** The distinct keys. */
  keys(): Dataset<K> {
    return this.mapGroups((k) => k, this.keyEncoder);
  }

  /** `(key, count)` per key: columns `key` and `count(1)`, as Spark's. */
  count(): Dataset<[K, number]> {
    const kt = encoderType(this.keyEncoder);
    const schema: StructType = {
      kind: 'struct',
      fields: [
        { name: 'key', dataType: kt, nullable: true },
        { name: 'count(1)', dataType: { kind: 'long' }, nullable: false },
      ],
    };
    return this.mapGroups((k, vs) => ({ key: k, 'count(1)': vs.length }), schema) as unknown as Dataset<
      [K, number]
    >;
  }

  /** `(key, reduced value)` per key: columns `key` and `value` (Spark's ReduceAggregator). */
  reduceGroups(f: (a: V, b: V) => V): Dataset<{ key: K; value: V }> {
    const vt: DataType = this.valueType();
    const schema: StructType = {
      kind: 'struct',
      fields: [
        { name: 'key', dataType: encoderType(this.keyEncoder), nullable: true },
        { name: 'value', dataType: vt, nullable: true },
      ],
    };
    return this.mapGroups((k, vs) => ({ key: k, value: vs.reduce(f) }), schema);
  }

  /** Maps the values before grouping functions see them (the keys stay those of the elements). */
  mapValues<W>(f: (v: V) => W): KeyValueGroupedDataset<K, W> {
    const valueOfRow = this.valueOfRow;
    return new KeyValueGroupedDataset<K, W>(
      this.df,
      this.keyOfRow,
      (row) => f(valueOfRow(row)),
      this.keyEncoder,
    );
  }

  /**
   * Spark's `mapGroupsWithState(timeoutConf)(func)`: one output element per call; the query must run
   * in Update mode.
   */
  mapGroupsWithState<S, U>(
    timeoutConf: GroupStateTimeout,
    f: (key: K, values: V[], state: GroupState<S>) => U,
    outputEncoder: Encoder,
    initialState?: KeyValueGroupedDataset<K, S>,
  ): Dataset<U> {
    const spec = this.spec((k, vs, st) => [f(k, vs, st as GroupState<S>)], outputEncoder, {
      timeout: timeoutConf,
      outputMode: 'update',
      isMapGroups: true,
      ...(initialState ? { initialState: initialState.asInitialState('mapGroupsWithState') } : {}),
    });
    return this.grouped<U>(spec, outputEncoder);
  }

  /** Spark's `flatMapGroupsWithState(outputMode, timeoutConf)(func)`: any number of elements per call. */
  flatMapGroupsWithState<S, U>(
    outputMode: 'append' | 'update',
    timeoutConf: GroupStateTimeout,
    f: (key: K, values: V[], state: GroupState<S>) => Iterable<U>,
    outputEncoder: Encoder,
    initialState?: KeyValueGroupedDataset<K, S>,
  ): Dataset<U> {
    const mode = outputMode.toLowerCase() as 'append' | 'update';
    if (mode !== 'append' && mode !== 'update') {
      throw new AnalysisError(
        'INVALID_OUTPUT_MODE',
        `flatMapGroupsWithState supports the Append and Update output modes, not ${outputMode}.`,
      );
    }
    const spec = this.spec((k, vs, st) => f(k, vs, st as GroupState<S>), outputEncoder, {
      timeout: timeoutConf,
      outputMode: mode,
      isMapGroups: false,
      ...(initialState ? { initialState: initialState.asInitialState('flatMapGroupsWithState') } : {}),
    });
    return this.grouped<U>(spec, outputEncoder);
  }

  /**
   * Spark 4's `transformWithState(statefulProcessor, timeMode, outputMode)`: the processor's state
   * variables and timers per key (streaming/stateful-processor.ts).
   */
  transformWithState<U>(
    processor: StatefulProcessor<K, V, U>,
    timeMode: TimeMode,
    outputMode: 'append' | 'update',
    outputEncoder: Encoder,
    initialState?: KeyValueGroupedDataset<K, unknown>,
  ): Dataset<U> {
    if (initialState && typeof processor.handleInitialState !== 'function') {
      throw new AnalysisError(
        'STATEFUL_PROCESSOR_MISSING_HANDLE_INITIAL_STATE',
        'transformWithState with an initial state needs a processor that implements handleInitialState(key, initialState, timerValues).',
      );
    }
    if (!['None', 'ProcessingTime', 'EventTime'].includes(timeMode)) {
      throw new AnalysisError(
        'STATEFUL_PROCESSOR_INVALID_TIME_MODE',
        `Invalid timeMode ${timeMode}: expected None, ProcessingTime or EventTime.`,
      );
    }
    const out = outputOf(outputEncoder);
    const { keyOfRow, valueOfRow } = this;
    const mode = outputMode.toLowerCase() as 'append' | 'update';
    const open = (): TransformRun => {
      const handle = new ProcessorHandle();
      handle.timeMode = timeMode;
      processor.setHandle(handle);
      processor.init(mode === 'append' ? 'Append' : 'Update', timeMode);
      const tv = (batchTs: number, wm: number): TimerValues => ({
        getCurrentProcessingTimeInMs: () => batchTs,
        getCurrentWatermarkInMs: () => wm,
      });
      return {
        handle,
        input: (key, rows, batchTs, wm) =>
          Array.from(
            processor.handleInputRows(key as K, rows.map(valueOfRow), tv(batchTs, wm)) ?? [],
            out.toRow,
          ),
        initial: (key, state, batchTs, wm) =>
          processor.handleInitialState?.(key as K, state, tv(batchTs, wm)),
        timer: (key, expiry, batchTs, wm) =>
          Array.from(
            processor.handleExpiredTimer(key as K, tv(batchTs, wm), { getExpiryTimeInMs: () => expiry }) ??
              [],
            out.toRow,
          ),
        close: () => processor.close(),
      };
    };
    const spec: GroupsWithStateSpec = {
      keyOf: keyOfRow,
      call: () => [],
      outputSchema: out.schema,
      timeout: 'NoTimeout',
      outputMode: mode,
      isMapGroups: false,
      transform: { timeMode, open },
      ...(initialState ? { initialState: initialState.asInitialState('transformWithState') } : {}),
    };
    return this.grouped<U>(spec, outputEncoder);
  }

  private valueType(): DataType {
    const fields = this.df.schema.fields;
    return fields.length === 1 && fields[0]!.name === 'value' ? fields[0]!.dataType : this.df.schema;
  }
}
