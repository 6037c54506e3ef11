// ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
import { int32, struct } from '../../../codec.js';
import { response as v0 } from '../v0/response.js';

export const response = struct({ ...v0.fields, throttleTimeMs: int32 });
