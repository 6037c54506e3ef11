// Fetch Request (Version: 5..6) => as v4, partitions gain log_start_offset INT64 after fetch_offset
import { array, int8, int32, int64, string, struct } from '../../../codec.js';

export const partition = struct({
  partition: int32,
  fetchOffset: int64,
  logStartOffset: int64,
  partitionMaxBytes: int32,
});
export const request = struct({
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: int32,
  isolationLevel: int8,
  topics: array(struct({ topic: string, partitions: array(partition) })),
});
