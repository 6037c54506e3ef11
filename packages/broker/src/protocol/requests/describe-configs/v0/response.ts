// DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
//   results => error_code error_message resource_type INT8 resource_name [configs]
//     configs => name STRING value NULLABLE_STRING read_only BOOLEAN is_default BOOLEAN is_sensitive BOOLEAN
import { array, bool, int8, int16, int32, nullableString, string, struct } from '../../../codec.js';

const config = struct({
  name: string,
  value: nullableString,
  readOnly: bool,
  isDefault: bool,
  isSensitive: bool,
});
const result = struct({
  errorCode: int16,
  errorMessage: nullableString,
  resourceType: int8,
  resourceName: string,
  configs: array(config),
});
export const response = struct({ throttleTimeMs: int32, results: array(result) });
