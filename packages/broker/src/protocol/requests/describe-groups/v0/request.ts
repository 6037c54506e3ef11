// DescribeGroups Request (Version: 0..2) => [groups STRING]
import { array, string, struct } from '../../../codec.js';

export const request = struct({ groups: array(string) });
