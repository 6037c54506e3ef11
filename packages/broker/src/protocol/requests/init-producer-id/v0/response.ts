// InitProducerId Response (Version: 0..1) => throttle_time_ms INT32 error_code INT16
//   producer_id INT64 producer_epoch INT16
import { int16, int32, int64, struct } from '../../../codec.js';

export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  producerId: int64,
  producerEpoch: int16,
});
