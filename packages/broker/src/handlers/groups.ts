/** Group coordinator APIs: this broker coordinates every group and transactional id. */
import type { Broker } from '../broker.js';
import type { RequestContext } from '../connection.js';
import type { JoinResult, SyncResult } from '../groups/group.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../protocol/requests/delete-groups/index.js';
import type {
  DescribeGroupsRequest,
  DescribeGroupsResponse,
} from '../protocol/requests/describe-groups/index.js';
import type {
  FindCoordinatorRequest,
  FindCoordinatorResponse,
} from '../protocol/requests/find-coordinator/index.js';
import type { HeartbeatRequest, HeartbeatResponse } from '../protocol/requests/heartbeat/index.js';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/requests/join-group/index.js';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../protocol/requests/leave-group/index.js';
import type { ListGroupsResponse } from '../protocol/requests/list-groups/index.js';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../protocol/requests/offset-commit/index.js';
import type { OffsetFetchRequest, OffsetFetchResponse } from '../protocol/requests/offset-fetch/index.js';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/requests/sync-group/index.js';

const MIN_SESSION_MS = 1000;
const MAX_SESSION_MS = 3_600_000;

export function findCoordinator(
  b: Broker,
  _ctx: RequestContext,
  req: FindCoordinatorRequest,
): FindCoordinatorResponse {
  if (req.key === '' && (req.keyType ?? 0) === 0) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.INVALID_GROUP_ID,
      errorMessage: null,
      nodeId: -1,
      host: '',
      port: -1,
    };
  }
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    nodeId: b.nodeId,
    host: b.advertisedHost,
    port: b.port,
  };
}

export function joinGroup(
  b: Broker,
  ctx: RequestContext,
  req: JoinGroupRequest,
): Promise<JoinGroupResponse> | JoinGroupResponse {
  const fail = (errorCode: number): JoinGroupResponse => ({
    throttleTimeMs: 0,
    errorCode,
    generationId: -1,
    protocolName: '',
    leader: '',
    memberId: req.memberId,
    members: [],
  });
  if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
  if (req.sessionTimeoutMs < MIN_SESSION_MS || req.sessionTimeoutMs > MAX_SESSION_MS) {
    return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
  }
  const group = b.groups.getOrCreate(req.groupId);
  return new Promise((resolve) => {
    group.join(
      {
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId ?? null,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs ?? req.sessionTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
        clientId: ctx.clientId,
        clientHost: ctx.clientHost,
      },
      ctx.version >= 4,
      (r: JoinResult) => resolve({ throttleTimeMs: 0, ...r }),
    );
  });
}

export function syncGroup(
  b: Broker,
  _ctx: RequestContext,
  req: SyncGroupRequest,
): Promise<SyncGroupResponse> | SyncGroupResponse {
  const group = b.groups.get(req.groupId);
  if (!group)
    return { throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) };
  const assignments = req.assignments.map((a) => ({
    memberId: a.memberId,
    assignment: Buffer.from(a.assignment),
  }));
  return new Promise((resolve) => {
    group.sync(req.memberId, req.generationId, assignments, (r: SyncResult) =>
      resolve({ throttleTimeMs: 0, ...r }),
    );
  });
}

export function heartbeat(b: Broker, _ctx: RequestContext, req: HeartbeatRequest): HeartbeatResponse {
  const group = b.groups.get(req.groupId);
  if (!group) return { throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
  return { throttleTimeMs: 0, errorCode: group.heartbeat(req.memberId, req.generationId) };
}

export function leaveGroup(b: Broker, _ctx: RequestContext, req: LeaveGroupRequest): LeaveGroupResponse {
  const group = b.groups.get(req.groupId);
  const leaving = req.members ?? [{ memberId: req.memberId ?? '', groupInstanceId: null }];
  const members = leaving.map((m) => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    errorCode: group ? group.leave(m.memberId) : ErrorCode.UNKNOWN_MEMBER_ID,
  }));
  // v0–v2 carry one member and report its error at the top level.
  const errorCode = req.members ? 0 : (members[0]?.errorCode ?? 0);
  return { throttleTimeMs: 0, errorCode, members };
}

export function offsetCommit(
  b: Broker,
  _ctx: RequestContext,
  req: OffsetCommitRequest,
): OffsetCommitResponse {
  const now = Date.now();
  const entries = req.topics.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionIndex,
      committed: {
        offset: p.committedOffset,
        metadata: p.committedMetadata,
        leaderEpoch: p.committedLeaderEpoch ?? -1,
        commitTimestamp: now,
      },
    })),
  );
  const code =
    req.groupId === ''
      ? ErrorCode.INVALID_GROUP_ID
      : b.groups.commit(req.groupId, req.memberId ?? '', req.generationId ?? -1, entries);
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })),
    })),
  };
}

export function offsetFetch(b: Broker, _ctx: RequestContext, req: OffsetFetchRequest): OffsetFetchResponse {
  const store = b.groups.offsets;
  const wanted =
    req.topics ??
    [...store.all(req.groupId)].map(([name, parts]) => ({ name, partitionIndexes: [...parts.keys()] }));
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    topics: wanted.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => {
        const c = store.get(req.groupId, t.name, p);
        return {
          partitionIndex: p,
          committedOffset: c?.offset ?? -1,
          committedLeaderEpoch: c?.leaderEpoch ?? -1,
          metadata: c ? c.metadata : '',
          errorCode: 0,
        };
      }),
    })),
  };
}

export function describeGroups(
  b: Broker,
  _ctx: RequestContext,
  req: DescribeGroupsRequest,
): DescribeGroupsResponse {
  return {
    throttleTimeMs: 0,
    groups: req.groups.map((id) => {
      const g = b.groups.get(id);
      if (!g) {
        const state = b.groups.offsets.has(id) ? 'Empty' : 'Dead';
        return {
          errorCode: 0,
          groupId: id,
          groupState: state,
          protocolType: '',
          protocolData: '',
          members: [],
        };
      }
      const stable = g.state === 'Stable';
      return {
        errorCode: 0,
        groupId: id,
        groupState: g.state,
        protocolType: g.protocolType,
        protocolData: stable ? g.protocolName : '',
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: stable
            ? (m.protocols.find((p) => p.name === g.protocolName)?.metadata ?? Buffer.alloc(0))
            : Buffer.alloc(0),
          memberAssignment: stable ? m.assignment : Buffer.alloc(0),
        })),
      };
    }),
  };
}

export function listGroups(b: Broker): ListGroupsResponse {
  return { throttleTimeMs: 0, errorCode: 0, groups: b.groups.listGroups() };
}

export function deleteGroups(
  b: Broker,
  _ctx: RequestContext,
  req: DeleteGroupsRequest,
): DeleteGroupsResponse {
  return {
    throttleTimeMs: 0,
    results: req.groupsNames.map((groupId) => ({ groupId, errorCode: b.groups.delete(groupId) })),
  };
}
