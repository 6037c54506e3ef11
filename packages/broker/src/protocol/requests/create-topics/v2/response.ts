// CreateTopics Response (Version: 2..4) => throttle_time_ms INT32 [topics]
import { array, int32, struct } from '../../../codec.js';
import { topic } from '../v1/response.js';

export const response = struct({ throttleTimeMs: int32, topics: array(topic) });
