// FindCoordinator Response (Version: 1..2) => throttle_time_ms error_code error_message node_id host port
import { int16, int32, nullableString, string, struct } from '../../../codec.js';

export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  nodeId: int32,
  host: string,
  port: int32,
});
