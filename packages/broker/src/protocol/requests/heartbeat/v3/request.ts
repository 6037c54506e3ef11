// Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id NULLABLE_STRING
import { nullableString, struct } from '../../../codec.js';
import { request as v0 } from '../v0/request.js';

export const request = struct({ ...v0.fields, groupInstanceId: nullableString });
