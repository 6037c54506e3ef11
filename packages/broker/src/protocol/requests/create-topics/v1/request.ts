// CreateTopics Request (Version: 1..4) => [topics] timeout_ms validate_only BOOLEAN
import { bool, struct } from '../../../codec.js';
import { request as v0 } from '../v0/request.js';

export const request = struct({ ...v0.fields, validateOnly: bool });
