// ListOffsets Response (Version: 1) => [topics]
//   topics => name STRING [partitions: partition_index INT32 error_code INT16 timestamp INT64 offset INT64]
import { array, int16, int32, int64, string, struct } from '../../../codec.js';

const partition = struct({ partitionIndex: int32, errorCode: int16, timestamp: int64, offset: int64 });
export const topic = struct({ name: string, partitions: array(partition) });
export const response = struct({ topics: array(topic) });
