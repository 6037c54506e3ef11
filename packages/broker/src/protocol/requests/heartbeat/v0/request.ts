// Heartbeat Request (Version: 0..2) => group_id STRING generation_id INT32 member_id STRING
import { int32, string, struct } from '../../../codec.js';

export const request = struct({ groupId: string, generationId: int32, memberId: string });
