// TxnOffsetCommit Response (Version: 0..1) => throttle_time_ms
//   [topics: name [partitions: partition_index INT32 error_code INT16]]
import { array, int16, int32, string, struct } from '../../../codec.js';

export const response = struct({
  throttleTimeMs: int32,
  topics: array(
    struct({ name: string, partitions: array(struct({ partitionIndex: int32, errorCode: int16 })) }),
  ),
});
