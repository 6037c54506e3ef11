// DeleteGroups Request (Version: 0..1) => [groups_names STRING]
import { array, string, struct } from '../../../codec.js';

export const request = struct({ groupsNames: array(string) });
