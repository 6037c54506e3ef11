// Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
//   topics => topic STRING [partitions]
//     partitions => partition INT32 fetch_offset INT64 partition_max_bytes INT32
import { array, int8, int32, int64, string, struct } from '../../../codec.js';

export const partition = struct({ partition: int32, fetchOffset: int64, partitionMaxBytes: int32 });
export const request = struct({
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: int32,
  isolationLevel: int8,
  topics: array(struct({ topic: string, partitions: array(partition) })),
});
