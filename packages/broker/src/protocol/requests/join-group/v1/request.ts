// JoinGroup Request (Version: 1..4) => group_id session_timeout_ms rebalance_timeout_ms member_id
//   protocol_type [protocols]
import { array, int32, string, struct } from '../../../codec.js';
import { protocol } from '../v0/request.js';

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: int32,
  memberId: string,
  protocolType: string,
  protocols: array(protocol),
});
