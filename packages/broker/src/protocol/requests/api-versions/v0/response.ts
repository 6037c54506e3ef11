// ApiVersions Response (Version: 0) => error_code [api_keys]
//   error_code => INT16
//   api_keys => api_key min_version max_version
import { array, int16, struct } from '../../../codec.js';

export const apiKey = struct({ apiKey: int16, minVersion: int16, maxVersion: int16 });
export const response = struct({ errorCode: int16, apiKeys: array(apiKey) });
