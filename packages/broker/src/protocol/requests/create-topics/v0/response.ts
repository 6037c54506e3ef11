// CreateTopics Response (Version: 0) => [topics: name STRING error_code INT16]
import { array, int16, string, struct } from '../../../codec.js';

export const response = struct({ topics: array(struct({ name: string, errorCode: int16 })) });
