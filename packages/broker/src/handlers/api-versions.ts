import type { Broker } from '../broker.js';
import type { RequestContext } from '../connection.js';
import { versionRange } from '../protocol/api.js';
import { allApis } from '../protocol/apis.js';
import type { ApiVersionsResponse } from '../protocol/requests/api-versions/index.js';

export function apiVersions(_b: Broker, _ctx: RequestContext): ApiVersionsResponse {
  return {
    errorCode: 0,
    apiKeys: allApis.map((a) => {
      const { min, max } = versionRange(a);
      return { apiKey: a.key, minVersion: min, maxVersion: max };
    }),
    throttleTimeMs: 0,
  };
}
