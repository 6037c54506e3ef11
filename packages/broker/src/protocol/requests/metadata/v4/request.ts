// Metadata Request (Version: 4..6) => [topics] allow_auto_topic_creation
import { bool, struct } from '../../../codec.js';
import { request as v1 } from '../v1/request.js';

export const request = struct({ ...v1.fields, allowAutoTopicCreation: bool });
