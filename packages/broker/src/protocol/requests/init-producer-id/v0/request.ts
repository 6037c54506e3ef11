// InitProducerId Request (Version: 0..1) => transactional_id NULLABLE_STRING transaction_timeout_ms INT32
import { int32, nullableString, struct } from '../../../codec.js';

export const request = struct({ transactionalId: nullableString, transactionTimeoutMs: int32 });
