// ListGroups Request (Version: 0..2) =>
import { struct } from '../../../codec.js';

export const request = struct({});
