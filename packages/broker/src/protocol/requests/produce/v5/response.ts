// Produce Response (Version: 5..7) => as v3, partition_responses gain log_start_offset INT64
import { array, int32, int64, string, struct } from '../../../codec.js';
import { partitionResponse as v3Partition } from '../v3/response.js';

const partitionResponse = struct({ ...v3Partition.fields, logStartOffset: int64 });
export const response = struct({
  responses: array(struct({ name: string, partitionResponses: array(partitionResponse) })),
  throttleTimeMs: int32,
});
