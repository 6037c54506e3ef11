// OffsetCommit Request (Version: 2..4) => group_id generation_id member_id retention_time_ms INT64 [topics]
import { array, int32, int64, string, struct } from '../../../codec.js';
import { topic } from '../v0/request.js';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  retentionTimeMs: int64,
  topics: array(topic),
});
