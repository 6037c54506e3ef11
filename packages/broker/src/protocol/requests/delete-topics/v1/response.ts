// DeleteTopics Response (Version: 1..3) => throttle_time_ms INT32 [responses]
import { array, int32, struct } from '../../../codec.js';
import { result } from '../v0/response.js';

export const response = struct({ throttleTimeMs: int32, responses: array(result) });
