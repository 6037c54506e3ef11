// Fetch Request (Version: 11) => as v9 plus rack_id STRING at the end
import { string, struct } from '../../../codec.js';
import { request as v9 } from '../v9/request.js';

export const request = struct({ ...v9.fields, rackId: string });
