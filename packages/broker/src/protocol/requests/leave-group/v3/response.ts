// LeaveGroup Response (Version: 3) => throttle_time_ms error_code
//   [members: member_id STRING group_instance_id NULLABLE_STRING error_code INT16]
import { array, int16, int32, nullableString, string, struct } from '../../../codec.js';

const member = struct({ memberId: string, groupInstanceId: nullableString, errorCode: int16 });
export const response = struct({ throttleTimeMs: int32, errorCode: int16, members: array(member) });
