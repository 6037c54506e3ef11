// ListOffsets Request (Version: 1) => replica_id INT32 [topics]
//   topics => name STRING [partitions: partition_index INT32 timestamp INT64]
import { array, int32, int64, string, struct } from '../../../codec.js';

export const topic = struct({
  name: string,
  partitions: array(struct({ partitionIndex: int32, timestamp: int64 })),
});
export const request = struct({ replicaId: int32, topics: array(topic) });
