// DescribeConfigs Response (Version: 1..2) => throttle_time_ms [results]
//   configs => name value read_only config_source INT8 is_sensitive
//     [synonyms: name STRING value NULLABLE_STRING source INT8]
import { array, bool, int8, int16, int32, nullableString, string, struct } from '../../../codec.js';

const synonym = struct({ name: string, value: nullableString, source: int8 });
const config = struct({
  name: string,
  value: nullableString,
  readOnly: bool,
  configSource: int8,
  isSensitive: bool,
  synonyms: array(synonym),
});
const result = struct({
  errorCode: int16,
  errorMessage: nullableString,
  resourceType: int8,
  resourceName: string,
  configs: array(config),
});
export const response = struct({ throttleTimeMs: int32, results: array(result) });
