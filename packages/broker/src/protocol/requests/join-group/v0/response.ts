// JoinGroup Response (Version: 0..1) => error_code generation_id protocol_name leader member_id [members]
//   members => member_id STRING metadata BYTES
import { array, bytes, int16, int32, string, struct } from '../../../codec.js';

export const member = struct({ memberId: string, metadata: bytes });
export const response = struct({
  errorCode: int16,
  generationId: int32,
  protocolName: string,
  leader: string,
  memberId: string,
  members: array(member),
});
