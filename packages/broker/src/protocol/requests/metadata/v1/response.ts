// Metadata Response (Version: 1) => [brokers: node_id host port rack] controller_id
//   [topics: error_code name is_internal [partitions]]
import { array, bool, int16, int32, nullableString, string, struct } from '../../../codec.js';
import { partition, broker as v0Broker } from '../v0/response.js';

export const broker = struct({ ...v0Broker.fields, rack: nullableString });
export const topic = struct({
  errorCode: int16,
  name: string,
  isInternal: bool,
  partitions: array(partition),
});
export const response = struct({ brokers: array(broker), controllerId: int32, topics: array(topic) });
