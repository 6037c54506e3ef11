// JoinGroup Response (Version: 5) => as v2, members gain group_instance_id NULLABLE_STRING
import { array, bytes, int16, int32, nullableString, string, struct } from '../../../codec.js';

const member = struct({ memberId: string, groupInstanceId: nullableString, metadata: bytes });
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  generationId: int32,
  protocolName: string,
  leader: string,
  memberId: string,
  members: array(member),
});
