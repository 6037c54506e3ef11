// Metadata Response (Version: 3..4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
import { int32, struct } from '../../../codec.js';
import { response as v2 } from '../v2/response.js';

export const response = struct({ throttleTimeMs: int32, ...v2.fields });
