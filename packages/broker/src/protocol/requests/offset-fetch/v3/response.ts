// OffsetFetch Response (Version: 3..4) => throttle_time_ms INT32 [topics] error_code INT16
import { array, int16, int32, struct } from '../../../codec.js';
import { topic } from '../v0/response.js';

export const response = struct({ throttleTimeMs: int32, topics: array(topic), errorCode: int16 });
