// Produce Request (Version: 3..7) => transactional_id acks timeout_ms [topic_data]
//   topic_data => name STRING [partition_data]
//     partition_data => index INT32 records RECORDS
import { array, int16, int32, nullableString, records, string, struct } from '../../../codec.js';

export const partitionData = struct({ index: int32, records });
export const request = struct({
  transactionalId: nullableString,
  acks: int16,
  timeoutMs: int32,
  topicData: array(struct({ name: string, partitionData: array(partitionData) })),
});
