import type { Broker } from '../broker.js';
import type { RequestContext } from '../connection.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { MetadataRequest, MetadataResponse } from '../protocol/requests/metadata/index.js';
import type { Topic } from '../storage/log-manager.js';

export function metadata(b: Broker, ctx: RequestContext, req: MetadataRequest): MetadataResponse {
  // v0: an empty list means every topic; v1+: null means every topic. v0–v3 always auto-create.
  const all = req.topics === null || (ctx.version === 0 && req.topics.length === 0);
  const allowCreate = ctx.version < 4 || req.allowAutoTopicCreation === true;
  const topics: MetadataResponse['topics'] = [];
  const describe = (t: Topic) =>
    topics.push({
      errorCode: 0,
      name: t.meta.name,
      isInternal: false,
      partitions: t.logs.map((_, p) => ({
        errorCode: 0,
        partitionIndex: p,
        leaderId: b.nodeId,
        replicaNodes: [b.nodeId],
        isrNodes: [b.nodeId],
        offlineReplicas: [],
      })),
    });
  if (all) {
    for (const t of b.logs.topics.values()) describe(t);
  } else {
    for (const { name } of req.topics ?? []) {
      const t = b.ensureTopic(name, allowCreate);
      if (typeof t === 'number') topics.push({ errorCode: t, name, isInternal: false, partitions: [] });
      else describe(t);
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: b.nodeId, host: b.advertisedHost, port: b.port, rack: null }],
    clusterId: b.clusterId,
    controllerId: b.nodeId,
    topics,
  };
}
export { ErrorCode };
