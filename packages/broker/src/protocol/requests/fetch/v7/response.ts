// Fetch Response (Version: 7..10) => throttle_time_ms error_code INT16 session_id INT32 [responses]
import { array, int16, int32, string, struct } from '../../../codec.js';
import { partition } from '../v5/response.js';

export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  sessionId: int32,
  responses: array(struct({ topic: string, partitions: array(partition) })),
});
