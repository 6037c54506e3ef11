// OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics] (retention dropped)
import { array, int32, string, struct } from '../../../codec.js';
import { topic } from '../v0/request.js';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  topics: array(topic),
});
