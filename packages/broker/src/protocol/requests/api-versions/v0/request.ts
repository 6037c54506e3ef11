// ApiVersions Request (Version: 0) =>
import { struct } from '../../../codec.js';

export const request = struct({});
