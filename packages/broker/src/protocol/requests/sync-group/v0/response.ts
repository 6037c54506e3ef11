// SyncGroup Response (Version: 0) => error_code INT16 assignment BYTES
import { bytes, int16, struct } from '../../../codec.js';

export const response = struct({ errorCode: int16, assignment: bytes });
