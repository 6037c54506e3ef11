// Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics]
import { array, int32, nullableString, struct } from '../../../codec.js';
import { broker, topic } from '../v1/response.js';

export const response = struct({
  brokers: array(broker),
  clusterId: nullableString,
  controllerId: int32,
  topics: array(topic),
});
