import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamingQueryError } from '../errors.js';
import { sqlTypeName, typeMatches } from '../types/types.js';
import { writeFileAtomic } from './checkpoint/atomic-file.js';
import type { StatefulOperator } from './operators/stateful-operator.js';
import { readStateSchema, type StateSchema } from './state-source/spark-schema.js';

/**
 * The checkpoint's record of each stateful operator (Spark 4's OperatorStateMetadataV1, in
 * `state/<operatorId>/_metadata/metadata`): its name and how many state partitions (shards) it
 * has. Checked at start so that a checkpoint is never silently reinterpreted by a different
 * query (docs/decisions/0003).
 */
export interface OperatorMetadata {
  operatorInfo: { operatorId: number; operatorName: string };
  stateStoreInfo: { storeName: string; numColsPrefixKey: number; numPartitions: number }[];
  /** Spark's operatorPropertiesJson (v2 metadata): operator-specific facts, e.g. state variables. */
  operatorPropertiesJson?: string;
}

function metadataPath(stateDir: string, operatorId: number): string {
  return path.join(stateDir, String(operatorId), '_metadata', 'metadata');
}

/** The metadata of one operator of a checkpoint's `state` directory, if written. */
export function readOperatorMetadata(stateDir: string, operatorId: number): OperatorMetadata | undefined {
  return readMetadata(metadataPath(stateDir, operatorId));
}

function readMetadata(file: string): OperatorMetadata | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  try {
    if (text.slice(0, nl) !== 'v1') throw new Error(`unknown version ${JSON.stringify(text.slice(0, nl))}`);
    return JSON.parse(text.slice(nl + 1)) as OperatorMetadata;
  } catch (e) {
    throw new StreamingQueryError(
      'STATE_METADATA_CORRUPT',
      `The state metadata file ${file} cannot be read: ${(e as Error).message}`,
    );
  }
}

/** The numbered subdirectories of `dir` (operators, partitions), in order. */
export function numericDirs(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+$/.test(d.name))
    .map((d) => Number(d.name))
    .sort((a, b) => a - b);
}

/** The number of state partitions an existing checkpoint's operators were written with, if any. */
export function existingShardCount(stateDir: string): number | undefined {
  for (const op of numericDirs(stateDir)) {
    const meta = readMetadata(metadataPath(stateDir, op));
    if (meta?.stateStoreInfo[0]) return meta.stateStoreInfo[0].numPartitions;
    const parts = numericDirs(path.join(stateDir, String(op)));
    if (parts.length > 0) return parts.length;
  }
  return undefined;
}

/**
 * Fails when the checkpoint's state does not belong to this query's stateful operators: state of
 * an operator id the query does not have, an operator of another kind at the same id, or another
 * number of state partitions. The message names the path and what differs.
 */
export function assertStateLayout(
  stateDir: string,
  ops: readonly StatefulOperator[],
  numShards: number,
): void {
  const onDisk = numericDirs(stateDir);
  const current = ops.map((o) => `(OperatorId: ${o.operatorId} -> OperatorName: ${o.name})`).join(', ');
  for (const id of onDisk) {
    const op = ops.find((o) => o.operatorId === id);
    const file = metadataPath(stateDir, id);
    const meta = readMetadata(file);
    if (!op) {
      const name = meta?.operatorInfo.operatorName ?? 'unknown';
      throw new StreamingQueryError(
        'STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA',
        `Streaming stateful operator name does not match with the operator in state metadata. This likely to happen when user adds/removes/changes stateful operator of existing streaming query. Stateful operators in the metadata: [(OperatorId: ${id} -> OperatorName: ${name})]; Stateful operators in current batch: [${current}]. (state directory ${path.join(stateDir, String(id))})`,
      );
    }
    if (meta && meta.operatorInfo.operatorName !== op.name) {
      throw new StreamingQueryError(
        'STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA',
        `Streaming stateful operator name does not match with the operator in state metadata. This likely to happen when user adds/removes/changes stateful operator of existing streaming query. Stateful operators in the metadata: [(OperatorId: ${id} -> OperatorName: ${meta.operatorInfo.operatorName})]; Stateful operators in current batch: [${current}]. (${file})`,
      );
    }
    const partitions =
      meta?.stateStoreInfo[0]?.numPartitions ?? numericDirs(path.join(stateDir, String(id))).length;
    if (partitions > 0 && partitions !== numShards) {
      throw new StreamingQueryError(
        'STATE_STORE_NUM_PARTITIONS_MISMATCH',
        `The state of operator ${id} in ${path.join(stateDir, String(id))} has ${partitions} partition(s), but the query runs with ${numShards} (spark.sql.shuffle.partitions is fixed for the life of a checkpoint).`,
      );
    }
  }
}

/** Writes each operator's metadata file once (after its first commit). */
export function writeOperatorMetadata(
  stateDir: string,
  ops: readonly StatefulOperator[],
  numShards: number,
): void {
  for (const op of ops) {
    const file = metadataPath(stateDir, op.operatorId);
    if (fs.existsSync(file)) continue;
    const meta: OperatorMetadata = {
      operatorInfo: { operatorId: op.operatorId, operatorName: op.name },
      stateStoreInfo: (op.stateSchemas?.().map((s) => s.storeName) ?? ['default']).map((storeName) => ({
        storeName,
        numColsPrefixKey: 0,
        numPartitions: numShards,
      })),
      ...(op.operatorProperties ? { operatorPropertiesJson: JSON.stringify(op.operatorProperties()) } : {}),
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, `v1\n${JSON.stringify(meta)}`);
  }
}

/** One state store of an operator with the key and value schema this plan gives it. */
export interface StoreSchema {
  readonly operatorId: number;
  readonly storeName: string;
  readonly schema: StateSchema;
}

/**
 * Spark's StateSchemaCompatibilityChecker: a restarted query's state stores must have the key and
 * value schemas the checkpoint recorded, up to field names and nullability that only widens (a
 * changed grouping or join key would otherwise read the old state under other keys).
 * `spark.sql.streaming.stateStore.stateSchemaCheck=false` skips it, as in Spark.
 */
export function assertStateSchemas(stateDir: string, stores: readonly StoreSchema[]): void {
  for (const { operatorId, storeName, schema } of stores) {
    const stored = readStateSchema(stateDir, operatorId, storeName);
    if (!stored) continue;
    for (const part of ['key', 'value'] as const) {
      if (typeMatches(stored[part], schema[part], { names: false, nullability: 'widen' })) continue;
      const what = part.toUpperCase();
      throw new StreamingQueryError(
        `STATE_STORE_${what}_SCHEMA_NOT_COMPATIBLE`,
        `Provided ${part} schema does not match existing state ${part} schema.\nPlease check number and type of fields.\nExisting ${part}_schema=${sqlTypeName(stored[part])} and new ${part}_schema=${sqlTypeName(schema[part])}.\nIf you want to force running the query without schema validation, please set spark.sql.streaming.stateStore.stateSchemaCheck to false.\nHowever, please note that running the query with incompatible schema could cause non-deterministic behavior. (operator ${operatorId}, store ${storeName})`,
      );
    }
  }
}
