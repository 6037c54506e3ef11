// OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id [topics]
import { array, int32, nullableString, string, struct } from '../../../codec.js';
import { topic } from '../v6/request.js';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
  topics: array(topic),
});
