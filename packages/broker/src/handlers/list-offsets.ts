import type { Broker } from '../broker.js';
import type { RequestContext } from '../connection.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../protocol/requests/list-offsets/index.js';

const LATEST = -1;
const EARLIEST = -2;

export function listOffsets(b: Broker, _ctx: RequestContext, req: ListOffsetsRequest): ListOffsetsResponse {
  const readCommitted = req.isolationLevel === 1;
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = b.partitionLog(t.name, p.partitionIndex);
        if (!log) {
          return {
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            timestamp: -1,
            offset: -1,
          };
        }
        if (p.timestamp === LATEST) {
          const offset = readCommitted ? log.lastStableOffset : log.nextOffset;
          return { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset };
        }
        if (p.timestamp === EARLIEST) {
          return {
            partitionIndex: p.partitionIndex,
            errorCode: 0,
            timestamp: -1,
            offset: log.logStartOffset,
          };
        }
        const found = log.offsetForTimestamp(p.timestamp);
        return {
          partitionIndex: p.partitionIndex,
          errorCode: 0,
          timestamp: found.timestamp,
          offset: found.offset,
        };
      }),
    })),
  };
}
