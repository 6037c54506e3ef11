// CreateTopics Response (Version: 1) => [topics: name error_code error_message NULLABLE_STRING]
import { array, int16, nullableString, string, struct } from '../../../codec.js';

export const topic = struct({ name: string, errorCode: int16, errorMessage: nullableString });
export const response = struct({ topics: array(topic) });
