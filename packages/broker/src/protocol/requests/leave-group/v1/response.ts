// LeaveGroup Response (Version: 1..2) => throttle_time_ms INT32 error_code INT16
import { int16, int32, struct } from '../../../codec.js';

export const response = struct({ throttleTimeMs: int32, errorCode: int16 });
