// EndTxn Request (Version: 0..1) => transactional_id STRING producer_id INT64 producer_epoch INT16
//   committed BOOLEAN
import { bool, int16, int64, string, struct } from '../../../codec.js';

export const request = struct({
  transactionalId: string,
  producerId: int64,
  producerEpoch: int16,
  committed: bool,
});
