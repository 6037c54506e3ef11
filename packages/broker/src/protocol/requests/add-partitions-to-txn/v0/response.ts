// AddPartitionsToTxn Response (Version: 0..1) => throttle_time_ms
//   [results: name STRING [results: partition_index INT32 error_code INT16]]
import { array, int16, int32, string, struct } from '../../../codec.js';

const partition = struct({ partitionIndex: int32, errorCode: int16 });
export const response = struct({
  throttleTimeMs: int32,
  results: array(struct({ name: string, results: array(partition) })),
});
