// LeaveGroup Request (Version: 3) => group_id [members: member_id STRING group_instance_id NULLABLE_STRING]
import { array, nullableString, string, struct } from '../../../codec.js';

export const member = struct({ memberId: string, groupInstanceId: nullableString });
export const request = struct({ groupId: string, members: array(member) });
