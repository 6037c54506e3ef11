// OffsetFetch Request (Version: 0..1) => group_id [topics: name STRING [partition_indexes INT32]]
import { array, int32, string, struct } from '../../../codec.js';

export const topic = struct({ name: string, partitionIndexes: array(int32) });
export const request = struct({ groupId: string, topics: array(topic) });
