// CreatePartitions Request (Version: 0..1) => [topics] timeout_ms INT32 validate_only BOOLEAN
//   topics => name STRING count INT32 [assignments: [broker_ids INT32]] (nullable)
import { array, bool, int32, nullableArray, string, struct } from '../../../codec.js';

const topic = struct({
  name: string,
  count: int32,
  assignments: nullableArray(struct({ brokerIds: array(int32) })),
});
export const request = struct({ topics: array(topic), timeoutMs: int32, validateOnly: bool });
