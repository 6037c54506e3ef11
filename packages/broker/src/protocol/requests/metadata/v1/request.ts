// Metadata Request (Version: 1..3) => [topics] (nullable: null = all topics)
import { nullableArray, string, struct } from '../../../codec.js';

export const request = struct({ topics: nullableArray(struct({ name: string })) });
