// CreateTopics Request (Version: 0) => [topics] timeout_ms INT32
//   topics => name num_partitions INT32 replication_factor INT16
//     [assignments: partition_index INT32 [broker_ids INT32]] [configs: name STRING value NULLABLE_STRING]
import { array, int16, int32, nullableString, string, struct } from '../../../codec.js';

export const topic = struct({
  name: string,
  numPartitions: int32,
  replicationFactor: int16,
  assignments: array(struct({ partitionIndex: int32, brokerIds: array(int32) })),
  configs: array(struct({ name: string, value: nullableString })),
});
export const request = struct({ topics: array(topic), timeoutMs: int32 });
