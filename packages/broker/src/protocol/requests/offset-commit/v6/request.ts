// OffsetCommit Request (Version: 6) => as v5, partitions gain committed_leader_epoch INT32 after the offset
import { array, int32, int64, nullableString, string, struct } from '../../../codec.js';

export const partition = struct({
  partitionIndex: int32,
  committedOffset: int64,
  committedLeaderEpoch: int32,
  committedMetadata: nullableString,
});
export const topic = struct({ name: string, partitions: array(partition) });
export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  topics: array(topic),
});
