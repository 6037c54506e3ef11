/** API key → handler. A handler answers every version with one superset response object. */
import type { Broker } from '../broker.js';
import type { NO_RESPONSE, RequestContext } from '../connection.js';
import { createPartitions, createTopics, deleteRecords, deleteTopics, describeConfigs } from './admin.js';
import { apiVersions } from './api-versions.js';
import { fetch } from './fetch.js';
import {
  deleteGroups,
  describeGroups,
  findCoordinator,
  heartbeat,
  joinGroup,
  leaveGroup,
  listGroups,
  offsetCommit,
  offsetFetch,
  syncGroup,
} from './groups.js';
import { listOffsets } from './list-offsets.js';
import { metadata } from './metadata.js';
import { produce } from './produce.js';
import {
  addOffsetsToTxn,
  addPartitionsToTxn,
  endTxn,
  initProducerId,
  txnOffsetCommit,
} from './transactions.js';

export type Handler = (
  broker: Broker,
  ctx: RequestContext,
  request: any,
) => unknown | typeof NO_RESPONSE | Promise<unknown | typeof NO_RESPONSE>;

export const handlers = new Map<number, Handler>([
  [0, produce],
  [1, fetch],
  [2, listOffsets],
  [3, metadata],
  [8, offsetCommit],
  [9, offsetFetch],
  [10, findCoordinator],
  [11, joinGroup],
  [12, heartbeat],
  [13, leaveGroup],
  [14, syncGroup],
  [15, describeGroups],
  [16, listGroups],
  [18, apiVersions],
  [19, createTopics],
  [20, deleteTopics],
  [21, deleteRecords],
  [22, initProducerId],
  [24, addPartitionsToTxn],
  [25, addOffsetsToTxn],
  [26, endTxn],
  [28, txnOffsetCommit],
  [32, describeConfigs],
  [37, createPartitions],
  [42, deleteGroups],
]);
