// Fetch Request (Version: 7..8) => replica_id max_wait_ms min_bytes max_bytes isolation_level
//   session_id INT32 session_epoch INT32 [topics] [forgotten_topics_data: topic [partitions INT32]]
import { array, int8, int32, string, struct } from '../../../codec.js';
import { partition } from '../v5/request.js';

export const topic = struct({ topic: string, partitions: array(partition) });
export const forgotten = struct({ topic: string, partitions: array(int32) });
export const request = struct({
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: int32,
  isolationLevel: int8,
  sessionId: int32,
  sessionEpoch: int32,
  topics: array(topic),
  forgottenTopicsData: array(forgotten),
});
