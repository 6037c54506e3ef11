// LeaveGroup Request (Version: 0..2) => group_id STRING member_id STRING
import { string, struct } from '../../../codec.js';

export const request = struct({ groupId: string, memberId: string });
