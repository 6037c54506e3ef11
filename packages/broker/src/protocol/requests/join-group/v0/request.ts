// JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
//   protocols => name STRING metadata BYTES
import { array, bytes, int32, string, struct } from '../../../codec.js';

export const protocol = struct({ name: string, metadata: bytes });
export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  memberId: string,
  protocolType: string,
  protocols: array(protocol),
});
