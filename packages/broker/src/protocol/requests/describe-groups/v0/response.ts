// DescribeGroups Response (Version: 0) => [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     members => member_id client_id client_host member_metadata BYTES member_assignment BYTES
import { array, bytes, int16, string, struct } from '../../../codec.js';

const member = struct({
  memberId: string,
  clientId: string,
  clientHost: string,
  memberMetadata: bytes,
  memberAssignment: bytes,
});
export const group = struct({
  errorCode: int16,
  groupId: string,
  groupState: string,
  protocolType: string,
  protocolData: string,
  members: array(member),
});
export const response = struct({ groups: array(group) });
