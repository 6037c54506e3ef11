// OffsetFetch Response (Version: 2) => [topics] error_code INT16
import { array, int16, struct } from '../../../codec.js';
import { topic } from '../v0/response.js';

export const response = struct({ topics: array(topic), errorCode: int16 });
