// ApiVersions Response (Version: 3, flexible body, header v0) =>
//   error_code [api_keys: api_key min_version max_version TAG_BUFFER] throttle_time_ms TAG_BUFFER
import { compactArray, flexStruct, int16, int32 } from '../../../codec.js';

const apiKey = flexStruct({ apiKey: int16, minVersion: int16, maxVersion: int16 });
export const response = flexStruct({
  errorCode: int16,
  apiKeys: compactArray(apiKey),
  throttleTimeMs: int32,
});
