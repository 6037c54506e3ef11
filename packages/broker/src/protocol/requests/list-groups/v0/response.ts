// ListGroups Response (Version: 0) => error_code INT16 [groups: group_id STRING protocol_type STRING]
import { array, int16, string, struct } from '../../../codec.js';

export const response = struct({
  errorCode: int16,
  groups: array(struct({ groupId: string, protocolType: string })),
});
