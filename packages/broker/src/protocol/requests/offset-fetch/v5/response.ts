// OffsetFetch Response (Version: 5) => as v3, partitions gain committed_leader_epoch INT32 after the offset
import { array, int16, int32, int64, nullableString, string, struct } from '../../../codec.js';

const partition = struct({
  partitionIndex: int32,
  committedOffset: int64,
  committedLeaderEpoch: int32,
  metadata: nullableString,
  errorCode: int16,
});
const topic = struct({ name: string, partitions: array(partition) });
export const response = struct({ throttleTimeMs: int32, topics: array(topic), errorCode: int16 });
