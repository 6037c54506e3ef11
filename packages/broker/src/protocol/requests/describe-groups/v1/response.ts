// DescribeGroups Response (Version: 1..2) => throttle_time_ms INT32 [groups]
import { array, int32, struct } from '../../../codec.js';
import { group } from '../v0/response.js';

export const response = struct({ throttleTimeMs: int32, groups: array(group) });
