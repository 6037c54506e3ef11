// Fetch Response (Version: 5..6) => as v4, partitions gain log_start_offset INT64 after last_stable_offset
import { array, int16, int32, int64, nullableArray, records, string, struct } from '../../../codec.js';
import { aborted } from '../v4/response.js';

export const partition = struct({
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  logStartOffset: int64,
  abortedTransactions: nullableArray(aborted),
  records,
});
export const response = struct({
  throttleTimeMs: int32,
  responses: array(struct({ topic: string, partitions: array(partition) })),
});
