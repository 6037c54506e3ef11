// Fetch Response (Version: 11) => as v7, partitions gain preferred_read_replica INT32 before records
import { array, int16, int32, int64, nullableArray, records, string, struct } from '../../../codec.js';
import { aborted } from '../v4/response.js';

const partition = struct({
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  logStartOffset: int64,
  abortedTransactions: nullableArray(aborted),
  preferredReadReplica: int32,
  records,
});
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  sessionId: int32,
  responses: array(struct({ topic: string, partitions: array(partition) })),
});
