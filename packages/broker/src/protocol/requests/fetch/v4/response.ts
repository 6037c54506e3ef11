// Fetch Response (Version: 4) => throttle_time_ms [responses]
//   responses => topic STRING [partitions]
//     partitions => partition_index INT32 error_code INT16 high_watermark INT64 last_stable_offset INT64
//                   [aborted_transactions: producer_id INT64 first_offset INT64] records RECORDS
import { array, int16, int32, int64, nullableArray, records, string, struct } from '../../../codec.js';

export const aborted = struct({ producerId: int64, firstOffset: int64 });
export const partition = struct({
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  abortedTransactions: nullableArray(aborted),
  records,
});
export const response = struct({
  throttleTimeMs: int32,
  responses: array(struct({ topic: string, partitions: array(partition) })),
});
