// SyncGroup Request (Version: 0..2) => group_id generation_id member_id [assignments]
//   assignments => member_id STRING assignment BYTES
import { array, bytes, int32, string, struct } from '../../../codec.js';

export const assignment = struct({ memberId: string, assignment: bytes });
export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  assignments: array(assignment),
});
