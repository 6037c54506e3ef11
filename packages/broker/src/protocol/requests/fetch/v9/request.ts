// Fetch Request (Version: 9..10) => as v7, partitions gain current_leader_epoch INT32 after partition
import { array, int32, int64, string, struct } from '../../../codec.js';
import { request as v7 } from '../v7/request.js';

export const partition = struct({
  partition: int32,
  currentLeaderEpoch: int32,
  fetchOffset: int64,
  logStartOffset: int64,
  partitionMaxBytes: int32,
});
export const request = struct({
  ...v7.fields,
  topics: array(struct({ topic: string, partitions: array(partition) })),
});
