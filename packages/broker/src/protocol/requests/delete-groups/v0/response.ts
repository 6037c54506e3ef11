// DeleteGroups Response (Version: 0..1) => throttle_time_ms [results: group_id STRING error_code INT16]
import { array, int16, int32, string, struct } from '../../../codec.js';

export const response = struct({
  throttleTimeMs: int32,
  results: array(struct({ groupId: string, errorCode: int16 })),
});
