// DeleteTopics Response (Version: 0) => [responses: name STRING error_code INT16]
import { array, int16, string, struct } from '../../../codec.js';

export const result = struct({ name: string, errorCode: int16 });
export const response = struct({ responses: array(result) });
