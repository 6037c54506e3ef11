// OffsetFetch Response (Version: 0..1) => [topics: name [partitions: partition_index INT32
//   committed_offset INT64 metadata NULLABLE_STRING error_code INT16]]
import { array, int16, int32, int64, nullableString, string, struct } from '../../../codec.js';

const partition = struct({
  partitionIndex: int32,
  committedOffset: int64,
  metadata: nullableString,
  errorCode: int16,
});
export const topic = struct({ name: string, partitions: array(partition) });
export const response = struct({ topics: array(topic) });
