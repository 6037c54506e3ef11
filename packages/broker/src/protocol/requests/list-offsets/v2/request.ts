// ListOffsets Request (Version: 2..3) => replica_id INT32 isolation_level INT8 [topics]
import { array, int8, int32, struct } from '../../../codec.js';
import { topic } from '../v1/request.js';

export const request = struct({ replicaId: int32, isolationLevel: int8, topics: array(topic) });
