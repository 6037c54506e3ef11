/** Every API the broker implements: this table is also the ApiVersions answer. */
import type { ApiSpec } from './api.js';
import { addOffsetsToTxn } from './requests/add-offsets-to-txn/index.js';
import { addPartitionsToTxn } from './requests/add-partitions-to-txn/index.js';
import { apiVersions } from './requests/api-versions/index.js';
import { createPartitions } from './requests/create-partitions/index.js';
import { createTopics } from './requests/create-topics/index.js';
import { deleteGroups } from './requests/delete-groups/index.js';
import { deleteRecords } from './requests/delete-records/index.js';
import { deleteTopics } from './requests/delete-topics/index.js';
import { describeConfigs } from './requests/describe-configs/index.js';
import { describeGroups } from './requests/describe-groups/index.js';
import { endTxn } from './requests/end-txn/index.js';
import { fetch } from './requests/fetch/index.js';
import { findCoordinator } from './requests/find-coordinator/index.js';
import { heartbeat } from './requests/heartbeat/index.js';
import { initProducerId } from './requests/init-producer-id/index.js';
import { joinGroup } from './requests/join-group/index.js';
import { leaveGroup } from './requests/leave-group/index.js';
import { listGroups } from './requests/list-groups/index.js';
import { listOffsets } from './requests/list-offsets/index.js';
import { metadata } from './requests/metadata/index.js';
import { offsetCommit } from './requests/offset-commit/index.js';
import { offsetFetch } from './requests/offset-fetch/index.js';
import { produce } from './requests/produce/index.js';
import { syncGroup } from './requests/sync-group/index.js';
import { txnOffsetCommit } from './requests/txn-offset-commit/index.js';

export const allApis: readonly ApiSpec[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  txnOffsetCommit,
  describeConfigs,
  createPartitions,
  deleteGroups,
];

export const apisByKey = new Map<number, ApiSpec>(allApis.map((a) => [a.key, a]));
