// OffsetCommit Request (Version: 1) => group_id generation_id member_id [topics]
//   partitions => partition_index committed_offset commit_timestamp INT64 committed_metadata
import { array, int32, int64, nullableString, string, struct } from '../../../codec.js';

const partition = struct({
  partitionIndex: int32,
  committedOffset: int64,
  commitTimestamp: int64,
  committedMetadata: nullableString,
});
export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  topics: array(struct({ name: string, partitions: array(partition) })),
});
