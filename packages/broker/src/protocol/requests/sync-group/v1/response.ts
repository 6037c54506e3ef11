// SyncGroup Response (Version: 1..3) => throttle_time_ms INT32 error_code INT16 assignment BYTES
import { int32, struct } from '../../../codec.js';
import { response as v0 } from '../v0/response.js';

export const response = struct({ throttleTimeMs: int32, ...v0.fields });
