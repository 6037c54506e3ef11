/** Idempotent and transactional producer APIs (this broker is every transaction's coordinator). */
import type { Broker } from '../broker.js';
import type { RequestContext } from '../connection.js';
import type {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
} from '../protocol/requests/add-offsets-to-txn/index.js';
import type {
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
} from '../protocol/requests/add-partitions-to-txn/index.js';
import type { EndTxnRequest, EndTxnResponse } from '../protocol/requests/end-txn/index.js';
import type {
  InitProducerIdRequest,
  InitProducerIdResponse,
} from '../protocol/requests/init-producer-id/index.js';
import type {
  TxnOffsetCommitRequest,
  TxnOffsetCommitResponse,
} from '../protocol/requests/txn-offset-commit/index.js';

export function initProducerId(
  b: Broker,
  _ctx: RequestContext,
  req: InitProducerIdRequest,
): InitProducerIdResponse {
  return { throttleTimeMs: 0, ...b.txns.initProducerId(req.transactionalId, req.transactionTimeoutMs) };
}

export function addPartitionsToTxn(
  b: Broker,
  _ctx: RequestContext,
  req: AddPartitionsToTxnRequest,
): AddPartitionsToTxnResponse {
  const parts = req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
  const codes = b.txns.addPartitions(req.transactionalId, req.producerId, req.producerEpoch, parts);
  let i = 0;
  return {
    throttleTimeMs: 0,
    results: req.topics.map((t) => ({
      name: t.name,
      results: t.partitions.map((partitionIndex) => ({ partitionIndex, errorCode: codes[i++] ?? 0 })),
    })),
  };
}

export function addOffsetsToTxn(
  b: Broker,
  _ctx: RequestContext,
  req: AddOffsetsToTxnRequest,
): AddOffsetsToTxnResponse {
  return {
    throttleTimeMs: 0,
    errorCode: b.txns.addOffsets(req.transactionalId, req.producerId, req.producerEpoch),
  };
}

export function txnOffsetCommit(
  b: Broker,
  _ctx: RequestContext,
  req: TxnOffsetCommitRequest,
): TxnOffsetCommitResponse {
  const now = Date.now();
  const entries = req.topics.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionIndex,
      committed: {
        offset: p.committedOffset,
        metadata: p.committedMetadata,
        leaderEpoch: -1,
        commitTimestamp: now,
      },
    })),
  );
  const code = b.txns.stageOffsets(
    req.transactionalId,
    req.producerId,
    req.producerEpoch,
    req.groupId,
    entries,
  );
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })),
    })),
  };
}

export function endTxn(b: Broker, _ctx: RequestContext, req: EndTxnRequest): EndTxnResponse {
  return {
    throttleTimeMs: 0,
    errorCode: b.txns.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed),
  };
}
