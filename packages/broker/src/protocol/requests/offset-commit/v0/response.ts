// OffsetCommit Response (Version: 0..2) => [topics: name [partitions: partition_index INT32 error_code INT16]]
import { array, int16, int32, string, struct } from '../../../codec.js';

export const topic = struct({
  name: string,
  partitions: array(struct({ partitionIndex: int32, errorCode: int16 })),
});
export const response = struct({ topics: array(topic) });
