// OffsetCommit Request (Version: 0) => group_id [topics]
//   topics => name STRING [partitions: partition_index INT32 committed_offset INT64 committed_metadata NULLABLE_STRING]
import { array, int32, int64, nullableString, string, struct } from '../../../codec.js';

export const partition = struct({
  partitionIndex: int32,
  committedOffset: int64,
  committedMetadata: nullableString,
});
export const topic = struct({ name: string, partitions: array(partition) });
export const request = struct({ groupId: string, topics: array(topic) });
