// OffsetCommit Response (Version: 3..7) => throttle_time_ms INT32 [topics]
import { array, int32, struct } from '../../../codec.js';
import { topic } from '../v0/response.js';

export const response = struct({ throttleTimeMs: int32, topics: array(topic) });
