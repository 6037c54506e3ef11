// JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id
//   group_instance_id NULLABLE_STRING protocol_type [protocols]
import { array, int32, nullableString, string, struct } from '../../../codec.js';
import { protocol } from '../v0/request.js';

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: int32,
  memberId: string,
  groupInstanceId: nullableString,
  protocolType: string,
  protocols: array(protocol),
});
