// OffsetFetch Request (Version: 2..5) => group_id [topics] (nullable: null = every committed partition)
import { nullableArray, string, struct } from '../../../codec.js';
import { topic } from '../v0/request.js';

export const request = struct({ groupId: string, topics: nullableArray(topic) });
