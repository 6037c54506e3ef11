// AddPartitionsToTxn Request (Version: 0..1) => transactional_id STRING producer_id INT64
//   producer_epoch INT16 [topics: name STRING [partitions INT32]]
import { array, int16, int32, int64, string, struct } from '../../../codec.js';

export const request = struct({
  transactionalId: string,
  producerId: int64,
  producerEpoch: int16,
  topics: array(struct({ name: string, partitions: array(int32) })),
});
