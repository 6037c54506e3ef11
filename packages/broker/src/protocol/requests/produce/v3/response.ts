// Produce Response (Version: 3..4) => [responses] throttle_time_ms
//   responses => name STRING [partition_responses]
//     partition_responses => index INT32 error_code INT16 base_offset INT64 log_append_time_ms INT64
import { array, int16, int32, int64, string, struct } from '../../../codec.js';

export const partitionResponse = struct({
  index: int32,
  errorCode: int16,
  baseOffset: int64,
  logAppendTimeMs: int64,
});
export const response = struct({
  responses: array(struct({ name: string, partitionResponses: array(partitionResponse) })),
  throttleTimeMs: int32,
});
