// DescribeConfigs Request (Version: 1..2) => [resources] include_synonyms BOOLEAN
import { bool, struct } from '../../../codec.js';
import { request as v0 } from '../v0/request.js';

export const request = struct({ ...v0.fields, includeSynonyms: bool });
