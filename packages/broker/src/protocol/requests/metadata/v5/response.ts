// Metadata Response (Version: 5..6) => as v3, partitions gain [offline_replicas]
import { array, bool, int16, int32, nullableString, string, struct } from '../../../codec.js';
import { partition as v0Partition } from '../v0/response.js';
import { broker } from '../v1/response.js';

const partition = struct({ ...v0Partition.fields, offlineReplicas: array(int32) });
const topic = struct({ errorCode: int16, name: string, isInternal: bool, partitions: array(partition) });
export const response = struct({
  throttleTimeMs: int32,
  brokers: array(broker),
  clusterId: nullableString,
  controllerId: int32,
  topics: array(topic),
});
