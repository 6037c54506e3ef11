// DeleteTopics Request (Version: 0..3) => [topic_names STRING] timeout_ms INT32
import { array, int32, string, struct } from '../../../codec.js';

export const request = struct({ topicNames: array(string), timeoutMs: int32 });
