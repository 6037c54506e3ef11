// CreatePartitions Response (Version: 0..1) => throttle_time_ms
//   [results: name STRING error_code INT16 error_message NULLABLE_STRING]
import { array, int16, int32, nullableString, string, struct } from '../../../codec.js';

export const response = struct({
  throttleTimeMs: int32,
  results: array(struct({ name: string, errorCode: int16, errorMessage: nullableString })),
});
