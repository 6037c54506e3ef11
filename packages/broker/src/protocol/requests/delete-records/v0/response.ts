// DeleteRecords Response (Version: 0..1) => throttle_time_ms
//   [topics: name [partitions: partition_index INT32 low_watermark INT64 error_code INT16]]
import { array, int16, int32, int64, string, struct } from '../../../codec.js';

const partition = struct({ partitionIndex: int32, lowWatermark: int64, errorCode: int16 });
export const response = struct({
  throttleTimeMs: int32,
  topics: array(struct({ name: string, partitions: array(partition) })),
});
