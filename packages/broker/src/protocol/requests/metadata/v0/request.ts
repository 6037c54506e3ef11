// Metadata Request (Version: 0) => [topics]
//   topics => name STRING   (empty array = all topics)
import { array, string, struct } from '../../../codec.js';

export const request = struct({ topics: array(struct({ name: string })) });
