// Metadata Response (Version: 0) => [brokers] [topics]
//   brokers => node_id INT32 host STRING port INT32
//   topics => error_code INT16 name STRING [partitions]
//     partitions => error_code INT16 partition_index INT32 leader_id INT32 [replica_nodes] [isr_nodes]
import { array, int16, int32, string, struct } from '../../../codec.js';

export const broker = struct({ nodeId: int32, host: string, port: int32 });
export const partition = struct({
  errorCode: int16,
  partitionIndex: int32,
  leaderId: int32,
  replicaNodes: array(int32),
  isrNodes: array(int32),
});
export const topic = struct({ errorCode: int16, name: string, partitions: array(partition) });
export const response = struct({ brokers: array(broker), topics: array(topic) });
