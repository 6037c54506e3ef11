// DeleteRecords Request (Version: 0..1) => [topics] timeout_ms INT32
//   topics => name STRING [partitions: partition_index INT32 offset INT64]
import { array, int32, int64, string, struct } from '../../../codec.js';

const topic = struct({ name: string, partitions: array(struct({ partitionIndex: int32, offset: int64 })) });
export const request = struct({ topics: array(topic), timeoutMs: int32 });
