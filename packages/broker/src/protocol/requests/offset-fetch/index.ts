import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { request as v2Request } from './v2/request.js';
import { response as v2Response } from './v2/response.js';
import { response as v3Response } from './v3/response.js';
import { response as v5Response } from './v5/response.js';

export interface OffsetFetchRequest {
  groupId: string;
  topics: { name: string; partitionIndexes: number[] }[] | null;
}
export interface OffsetFetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch: number;
      metadata: string | null;
      errorCode: number;
    }[];
  }[];
}
export const offsetFetch: ApiSpec<OffsetFetchRequest, OffsetFetchResponse> = {
  key: 9,
  name: 'OffsetFetch',
  versions: {
    ...same([0, 1], { request: v0Request, response: v0Response }),
    2: { request: v2Request, response: v2Response },
    ...same([3, 4], { request: v2Request, response: v3Response }),
    5: { request: v2Request, response: v5Response },
  },
};
