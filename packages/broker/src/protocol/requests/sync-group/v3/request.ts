// SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
import { array, int32, nullableString, string, struct } from '../../../codec.js';
import { assignment } from '../v0/request.js';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
  assignments: array(assignment),
});
