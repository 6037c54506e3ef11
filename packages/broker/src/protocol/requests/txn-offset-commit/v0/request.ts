// TxnOffsetCommit Request (Version: 0..1) => transactional_id group_id producer_id INT64 producer_epoch INT16
//   [topics: name [partitions: partition_index INT32 committed_offset INT64 committed_metadata NULLABLE_STRING]]
import { array, int16, int32, int64, nullableString, string, struct } from '../../../codec.js';

const partition = struct({
  partitionIndex: int32,
  committedOffset: int64,
  committedMetadata: nullableString,
});
export const request = struct({
  transactionalId: string,
  groupId: string,
  producerId: int64,
  producerEpoch: int16,
  topics: array(struct({ name: string, partitions: array(partition) })),
});
