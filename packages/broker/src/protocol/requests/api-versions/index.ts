import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { response as v1Response } from './v1/response.js';
import { request as v3Request } from './v3/request.js';
import { response as v3Response } from './v3/response.js';

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
  throttleTimeMs?: number;
}
export const apiVersions: ApiSpec<unknown, ApiVersionsResponse> = {
  key: 18,
  name: 'ApiVersions',
  flexibleFrom: 3,
  versions: {
    0: { request: v0Request, response: v0Response },
    ...same([1, 2], { request: v0Request, response: v1Response }),
    3: { request: v3Request, response: v3Response },
  },
};
/** ApiVersions answers in v0 form when the client asked for a version we do not implement. */
export const apiVersionsFallback = v0Response;
