// JoinGroup Response (Version: 2..4) => throttle_time_ms + the v0 fields
import { int32, struct } from '../../../codec.js';
import { response as v0 } from '../v0/response.js';

export const response = struct({ throttleTimeMs: int32, ...v0.fields });
