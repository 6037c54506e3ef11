import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisError } from '../../errors.js';
import type { BoundExpr } from '../../expr/bound.js';
import { lookupFunction } from '../../functions/registry.js';
import { getStateStoreProviderFactory } from '../../state/registry.js';
import { defaultStateStoreConf } from '../../state/state-store.js';
import type { Row, StructField, StructType } from '../../types/data-type.js';
import { valueFromJson } from '../../types/format.js';
import { CommitLog } from '../checkpoint/commit-log.js';
import { OffsetSeqLog } from '../checkpoint/offset-seq-log.js';
import { FLAT_MAP_GROUPS_WITH_STATE } from '../operators/flat-map-groups-with-state-exec.js';
import { sessionsOf } from '../operators/session-window-exec.js';
import { TRANSFORM_WITH_STATE } from '../operators/transform-with-state-exec.js';
import { numericDirs, readOperatorMetadata } from '../state-layout.js';
import {
  assertNoTransformWithStateOptions,
  flatMapGroupsWithStateTable,
  type StoredEntry,
  transformWithStateTable,
} from './arbitrary-state.js';
import { fromSparkTypeJson, readStateSchema, type StateSchema } from './spark-schema.js';
import { AGGREGATE_METADATA, type AggregateRecipe } from './state-schema.js';

function opt(o: Readonly<Record<string, string>>, name: string): string | undefined {
  const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

/** `file:///x` or a plain path; `path` option or the one `load()` argument. */
export function checkpointRoot(options: Readonly<Record<string, string>>, paths: readonly string[]): string {
  const p = paths[0] ?? opt(options, 'path');
  if (p === undefined || paths.length > 1) {
    throw new AnalysisError('STDS_REQUIRED_OPTION_UNSPECIFIED', "'path' must be specified.");
  }
  return p.startsWith('file:') ? fileURLToPath(p) : path.resolve(p);
}

function invalidOption(name: string, message: string): AnalysisError {
  return new AnalysisError(
    'STDS_INVALID_OPTION_VALUE.WITH_MESSAGE',
    `Invalid value for source option '${name}': ${message}`,
  );
}

function nonNegativeInt(options: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = opt(options, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw invalidOption(name, `${raw} is not a number.`);
  const n = Number(raw);
  if (n < 0) {
    throw new AnalysisError(
      'STDS_INVALID_OPTION_VALUE.IS_NEGATIVE',
      `Invalid value for source option '${name}': cannot be negative.`,
    );
  }
  return n;
}

const plainField = (f: StructField): StructField => ({
  name: f.name,
  dataType: f.dataType,
  nullable: f.nullable,
});
const plainStruct = (s: StructType): StructType => ({ kind: 'struct', fields: s.fields.map(plainField) });

/** `read.format('statestore')`: Spark 4's schema `key struct, value struct, partition_id int`. */
export function readStateStore(
  root: string,
  options: Readonly<Record<string, string>>,
): { schema: StructType; rows: Row[] } {
  const commits = new CommitLog(path.join(root, 'commits')).listBatchIds();
  const lastCommitted = commits[commits.length - 1];
  const batchOption = nonNegativeInt(options, 'batchId');
  if (lastCommitted === undefined && batchOption === undefined) {
    throw new AnalysisError(
      'STDS_COMMITTED_BATCH_UNAVAILABLE',
      `No committed batch found, checkpoint location: ${root}. Ensure that the query has run and committed any microbatch before stopping.`,
    );
  }
  const batchId = batchOption ?? lastCommitted!;
  const offsets = new OffsetSeqLog(path.join(root, 'offsets')).get(batchId);
  if (!offsets) {
    throw new AnalysisError(
      'STDS_OFFSET_LOG_UNAVAILABLE',
      `The offset log for ${batchId} does not exist, checkpoint location: ${root}.\nPlease specify the batch ID which is available for querying - you can query the available batch IDs via using state metadata data source.`,
    );
  }
  const operatorId = nonNegativeInt(options, 'operatorId') ?? 0;
  const joinSide = (opt(options, 'joinSide') ?? 'none').toLowerCase();
  if (!['left', 'right', 'none'].includes(joinSide)) {
    throw invalidOption('joinSide', "must be one of 'left', 'right', 'none'.");
  }
  const storeOption = opt(options, 'storeName');
  if (joinSide !== 'none' && storeOption !== undefined && storeOption !== 'default') {
    throw new AnalysisError(
      'STDS_CONFLICT_OPTIONS',
      'The options joinSide, storeName cannot be specified together. Please specify only one of them.',
    );
  }
  // A stream-stream join side is read from its keyWithIndexToValue store (Spark's layout): the
  // key's trailing `index` and the value's trailing `matched` columns are not shown.
  const storeName = joinSide === 'none' ? (storeOption ?? 'default') : `${joinSide}-keyWithIndexToValue`;
  const stateDir = path.join(root, 'state');
  const meta = readOperatorMetadata(stateDir, operatorId);
  const numPartitions =
    meta?.stateStoreInfo[0]?.numPartitions ?? numericDirs(path.join(stateDir, String(operatorId))).length;
  const providerName = offsets.metadata.conf['spark.sql.streaming.stateStore.providerClass'] ?? 'memory';
  const readEntries = (): StoredEntry[] => {
    const factory = getStateStoreProviderFactory(providerName);
    const entries: StoredEntry[] = [];
    for (let p = 0; p < numPartitions; p++) {
      const provider = factory({ stateDir, operatorId, partitionId: p, storeName }, defaultStateStoreConf);
      try {
        // State version N+1 is the state after batch N.
        const store = provider.getStore(batchId + 1);
        try {
          for (const [key, value] of store.iterator()) entries.push({ key, value, partition: p });
        } finally {
          store.abort();
        }
      } finally {
        provider.close();
      }
    }
    return entries;
  };
  const twsOptions = {
    stateVarName: opt(options, 'stateVarName'),
    readRegisteredTimers: (opt(options, 'readRegisteredTimers') ?? 'false').toLowerCase() === 'true',
    flattenCollectionTypes: (opt(options, 'flattenCollectionTypes') ?? 'true').toLowerCase() !== 'false',
  };
  const operatorName = meta?.operatorInfo.operatorName;
  if (operatorName === TRANSFORM_WITH_STATE) {
    return transformWithStateTable(readEntries(), meta?.operatorPropertiesJson, twsOptions);
  }
  assertNoTransformWithStateOptions(twsOptions);
  if (operatorName === FLAT_MAP_GROUPS_WITH_STATE) return flatMapGroupsWithStateTable(readEntries());
  let schema: StateSchema | undefined;
  try {
    schema = readStateSchema(stateDir, operatorId, storeName);
  } catch {
    schema = undefined;
  }
  if (!schema) {
    throw new AnalysisError(
      'STDS_FAILED_TO_READ_STATE_SCHEMA',
      `Failed to read the state schema. Either the file does not exist, or the file is corrupted. options: StateSourceOptions(checkpointLocation=${root}, batchId=${batchId}, operatorId=${operatorId}, storeName=${storeName}, joinSide=${joinSide}).\nRerun the streaming query to construct the state schema, and report to the corresponding communities or vendors if the error persists.`,
    );
  }
  const convert = rowConverter(operatorName, schema, joinSide !== 'none');
  const rows: Row[] = [];
  for (const e of readEntries())
    for (const [key, value] of convert(e.key, e.value)) rows.push([key, value, e.partition]);
  const keyType = plainStruct(convert.keySchema);
  const valueType = plainStruct(convert.valueSchema);
  return {
    schema: {
      kind: 'struct',
      fields: [
        { name: 'key', dataType: keyType, nullable: true },
        { name: 'value', dataType: valueType, nullable: true },
        { name: 'partition_id', dataType: { kind: 'int' }, nullable: true },
      ],
    },
    rows,
  };
}

interface RowConverter {
  (key: Row, value: Row): [Row, Row][];
  keySchema: StructType;
  valueSchema: StructType;
}

/** How a stored (key, value) pair becomes the rows the reader shows, per operator. */
function rowConverter(
  operatorName: string | undefined,
  schema: StateSchema,
  joinSide: boolean,
): RowConverter {
  const decoders = schema.value.fields.map((f) => aggregateDecoder(f));
  const decodeAggregates = (states: readonly unknown[], offset: number): unknown[] =>
    states.map((s, i) => decoders[offset + i]?.(s) ?? s);
  let fn: (key: Row, value: Row) => [Row, Row][];
  let keySchema = schema.key;
  let valueSchema = schema.value;
  switch (operatorName) {
    case 'stateStoreSave':
      fn = (k, v) => [[k, decodeAggregates(v, 0)]];
      break;
    case 'dedupe':
      fn = (k) => [[k, [null]]];
      break;
    case 'sessionWindowStateStoreSaveExec': {
      // One stored entry per key holds its sessions; Spark's state has a row per session.
      const sessionIndex = schema.value.fields.findIndex((f) => f.metadata?.['spark.sessionWindow'] === true);
      const nGroups = schema.key.fields.length;
      fn = (k, v) =>
        sessionsOf(v).map((s) => {
          const groups: unknown[] = k.slice();
          groups.splice(sessionIndex, 0, [s[0], s[1]]);
          return [
            [...k, s[0]],
            [...groups, ...decodeAggregates(s.slice(2), nGroups)],
          ];
        });
      break;
    }
    default:
      if (joinSide) {
        const dropKey = schema.key.fields[schema.key.fields.length - 1]?.name === 'index';
        const dropValue = schema.value.fields[schema.value.fields.length - 1]?.name === 'matched';
        if (dropKey) keySchema = { kind: 'struct', fields: schema.key.fields.slice(0, -1) };
        if (dropValue) valueSchema = { kind: 'struct', fields: schema.value.fields.slice(0, -1) };
        fn = (k, v) => [[dropKey ? k.slice(0, -1) : k, dropValue ? v.slice(0, -1) : v]];
      } else {
        fn = (k, v) => [[k, v]];
      }
  }
  return Object.assign(fn, { keySchema, valueSchema });
}

/** Current value of an aggregate from its stored buffer state, from the field's recipe. */
function aggregateDecoder(f: StructField): ((state: unknown) => unknown) | undefined {
  const recipe = f.metadata?.[AGGREGATE_METADATA] as AggregateRecipe | undefined;
  if (!recipe) return undefined;
  const def = lookupFunction(recipe.name);
  if (!def?.bindAggregate) {
    throw new AnalysisError(
      'STDS_FAILED_TO_READ_STATE_SCHEMA',
      `The state schema names the aggregate function ${recipe.name}, which this engine does not have.`,
    );
  }
  const args: BoundExpr[] = recipe.args.map((a, i) => {
    const dataType = fromSparkTypeJson(a.type);
    return 'literal' in a
      ? {
          kind: 'literal',
          value: valueFromJson(a.literal, dataType),
          dataType,
          nullable: a.literal === null,
          sql: String(a.literal),
        }
      : { kind: 'ref', index: i, name: `arg${i}`, qualifier: [], dataType, nullable: true, sql: `arg${i}` };
  });
  const unsupported = (): never => {
    throw new AnalysisError('STDS_FAILED_TO_READ_STATE_SCHEMA', `Cannot rebuild aggregate ${recipe.name}.`);
  };
  const spec = def.bindAggregate(args, {
    ansi: false,
    now: Date.now() * 1000,
    bindLambda: unsupported,
    bind: unsupported,
  });
  return (state) => spec.fromState(state).result();
}

/**
 * `read.format('state-metadata')`: one row per operator and store, Spark 4's columns (`operatorId`,
 * `operatorName`, `stateStoreName`, `numPartitions`, `minBatchId`, `maxBatchId`,
 * `operatorProperties`).
 */
export function readStateMetadata(root: string): { schema: StructType; rows: Row[] } {
  const schema: StructType = {
    kind: 'struct',
    fields: [
      { name: 'operatorId', dataType: { kind: 'long' }, nullable: true },
      { name: 'operatorName', dataType: { kind: 'string' }, nullable: true },
      { name: 'stateStoreName', dataType: { kind: 'string' }, nullable: true },
      { name: 'numPartitions', dataType: { kind: 'int' }, nullable: true },
      { name: 'minBatchId', dataType: { kind: 'long' }, nullable: true },
      { name: 'maxBatchId', dataType: { kind: 'long' }, nullable: true },
      { name: 'operatorProperties', dataType: { kind: 'string' }, nullable: true },
    ],
  };
  const commits = new CommitLog(path.join(root, 'commits')).listBatchIds();
  if (commits.length === 0) return { schema, rows: [] };
  const minBatchId = commits[0]!;
  const maxBatchId = commits[commits.length - 1]!;
  const stateDir = path.join(root, 'state');
  const rows: Row[] = [];
  for (const id of numericDirs(stateDir)) {
    const meta = readOperatorMetadata(stateDir, id);
    if (!meta) continue;
    for (const s of meta.stateStoreInfo) {
      rows.push([
        id,
        meta.operatorInfo.operatorName,
        s.storeName,
        s.numPartitions,
        minBatchId,
        maxBatchId,
        meta.operatorPropertiesJson ?? null,
      ]);
    }
  }
  return { schema, rows };
}
